import { expect } from "bun:test"
import { DownstreamError } from "../../src/core/index.ts"

/** The DownstreamError `p` rejects with (fails the test when it resolves or rejects with anything else). */
export async function downstreamFailure(p: Promise<unknown>): Promise<DownstreamError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(DownstreamError)
  return e as DownstreamError
}
