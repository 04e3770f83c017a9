/**
 * core/secrets `snapshot`: what test/helpers/secrets.ts puts back after a file. The values added
 * since (in a new group, in one that was there, a rotating one) are forgotten; those registered
 * before are masked as they were, and a group deleted since is back.
 */
import { expect, test } from "bun:test"
import { REDACTED, redactString, secrets } from "../../src/core/index.ts"

test("put back: values registered since are no longer masked, those before still are", () => {
  secrets.add("snap-a", "Before-9f3aQz7xK2")
  const restore = secrets.snapshot()
  secrets.add("snap-a", "SameGroup-4kLw8nB")
  secrets.add("snap-b", "NewGroup-7tRp2mVc")
  secrets.rotate("snap-c", ["Rotated-3xQk9LmZ"], 1)
  secrets.delete("snap-a")
  const text = "Before-9f3aQz7xK2 SameGroup-4kLw8nB NewGroup-7tRp2mVc Rotated-3xQk9LmZ"
  // snap-a deleted: both its values unmasked
  expect(redactString(text)).toBe(`Before-9f3aQz7xK2 SameGroup-4kLw8nB ${REDACTED} ${REDACTED}`)
  restore()
  expect(redactString(text)).toBe(`${REDACTED} SameGroup-4kLw8nB NewGroup-7tRp2mVc Rotated-3xQk9LmZ`)
  secrets.delete("snap-a")
  expect(redactString(text)).toBe(text)
})
