/**
 * @module test/docker/error-key-null.test
 * A list command printing one key set to null: Go's nil list under the list's name
 * (`{"secrets":null}`) is none, but an error or status envelope (`{"error":null}`,
 * `{"message":null}`) says nothing of entries. Before, it was read as an empty list: secrets_list
 * answered "no secrets" for a broken answer. Now it is OUTPUT_UNPARSEABLE naming the command and
 * version (found by qa355's sample-mutation probe). Through the fake docker, profiles era.
 */
import { describe, expect, test } from "bun:test"
import { ToolkitError } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("one key set to null in a list command's output", () => {
  test("under the list's own name (Go's nil list): no entries", async () => {
    const f = fake({ version: "v0.43.3" })
    for (const key of ["secrets", "items", "data"]) {
      f.setOutput("secret ls", { stdout: JSON.stringify({ [key]: null }) })
      expect(await createToolkitDriver({ env: f.env }).secretsList()).toEqual([])
    }
  }, 30_000)

  for (const key of ["error", "message", "status", "Errors"]) {
    test(`under ${JSON.stringify(key)}: an unreadable answer naming the command and version, not "no secrets"`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("secret ls", { stdout: JSON.stringify({ [key]: null }) })
      const err = await createToolkitDriver({ env: f.env }).secretsList().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ToolkitError)
      expect((err as ToolkitError).code).toBe("OUTPUT_UNPARSEABLE")
      expect((err as ToolkitError).message).toContain("secret ls")
      expect((err as ToolkitError).message).toContain("v0.43.3")
    }, 30_000)
  }
})
