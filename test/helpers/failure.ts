import { expect } from "bun:test"
import { DownstreamError, ToolkitError } from "../../src/core/index.ts"

/** The error `p` rejects with, which must be a `kind` (fails the test when `p` resolves or rejects with anything else). */
export async function failureOf<E>(p: Promise<unknown>, kind: abstract new (...args: never[]) => E): Promise<E> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(kind)
  return e as E
}

/** The DownstreamError `p` rejects with (fails the test when it resolves or rejects with anything else). */
export function downstreamFailure(p: Promise<unknown>): Promise<DownstreamError> {
  return failureOf(p, DownstreamError)
}

/** The ToolkitError `p` rejects with, which must say what to do (a remedy of more than a few words). */
export async function toolkitFailure(p: Promise<unknown>): Promise<ToolkitError> {
  const err = await failureOf(p, ToolkitError)
  expect(err.remedy?.length ?? 0).toBeGreaterThan(10)
  return err
}
