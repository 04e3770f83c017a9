/**
 * The secret registry (core/secrets) is one per process, and `bun test` runs the suite in one: a
 * value a test file registers, by hand or through the code it drives (a remote server's headers go
 * to the "runtime" group, an env file's values, a Toolkit config's), stayed registered for every file
 * after it, masking or holding their text (stream-tail's "no value's start" property held a piece
 * "key" for remote-bad-answer's `X-Api-Key: key-8b-…`). Call once at a file's top level, before
 * anything registers: the registry is put back as it was then when the file ends.
 */
import { afterAll } from "bun:test"
import { secrets } from "../../src/core/index.ts"

export function secretsRestoredAfterFile(): void {
  // taken now, as the file is evaluated: values its top level registers are the file's too
  const restore = secrets.snapshot()
  afterAll(restore)
}
