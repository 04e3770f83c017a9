/**
 * The step-up error (auth/scope) from a hostile or sloppy challenge: the scope comes from the
 * server, and the remedy is a command the user types. Only OAuth scope tokens reach it, quoted so
 * no shell expands them; the description is one line, cut; no scope named still says what to do.
 */
import { expect, test } from "bun:test"
import { badScopeTokens, insufficientScopeError, scopeUnion } from "../../src/auth/scope.ts"

test("the command of the remedy quotes the scopes: nothing in them runs in a shell", () => {
  const e = insufficientScopeError("web", { requiredScope: "read $(touch${IFS}/tmp/x) `id` it's", errorDescription: "line1\nline2\u202e" }, "read")
  const cmd = String(e.details?.login)
  expect(cmd).toBe("mcp-orchestrator auth login web --scope '$(touch${IFS}/tmp/x)'")
  expect(e.message).toContain("not OAuth scopes")
  expect(e.message).not.toContain("\n")
  expect(e.message).not.toContain("\u202e")
  expect(e.code).toBe("INSUFFICIENT_SCOPE")
})

test("a challenge naming no scope, or refusing the connection itself", () => {
  const none = insufficientScopeError("web", {}, undefined)
  expect(none.message).toContain("does not say which scope")
  expect(none.remedy).toContain("--scope SCOPE")
  const whole = insufficientScopeError("web", { requiredScope: "admin" }, "read", true)
  expect(whole.code).toBe("NEEDS_AUTH")
  expect(whole.remedy).toContain("auth login web --scope admin")
})

test("scope helpers", () => {
  expect(scopeUnion("a b", undefined, "b c")).toBe("a b c")
  expect(badScopeTokens(`a "b" c\\d`)).toEqual(['"b"', "c\\d"])
})
