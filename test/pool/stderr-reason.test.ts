/**
 * pool/stderr-reason on the stderr shapes of other runtimes than the npm servers of
 * start-refusal.test.ts (which drives them through the binary): a Python traceback, Node and npm
 * warnings ahead of the reason, a Rust panic naming RUST_BACKTRACE (a diagnostic, never a variable
 * the server lacks), and a variable the child was given (not pointed out).
 */
import { expect, test } from "bun:test"
import { missingEnvHint, stderrReason } from "../../src/pool/stderr-reason.ts"

test("a Python traceback: the exception line, not its frames or source lines", () => {
  const py = ["Traceback (most recent call last):", '  File "/srv/server.py", line 40, in <module>', "    main()", '  File "/srv/config.py", line 12, in load', '    raise ValueError("FOO_TOKEN must be set")', "ValueError: FOO_TOKEN must be set", ""].join("\n")
  expect(stderrReason(py)).toBe("ValueError: FOO_TOKEN must be set")
  expect(missingEnvHint(stderrReason(py), "py", {}, {})?.text).toBe("FOO_TOKEN is not set for server py")
})

test("Node and npm warnings before the reason are not taken for it", () => {
  const out = [
    "(node:123) [DEP0040] DeprecationWarning: The `punycode` module is deprecated. Please use a userland alternative instead.",
    "(Use `node --trace-deprecation ...` to show where the warning was created)",
    "npm warn deprecated inflight@1.0.6: This module is not supported",
    "Starting server v1",
    "Loading config",
    "Error: BAR_KEY is required",
    "Usage: x [options]",
    ...Array.from({ length: 10 }, (_, i) => `  --option-${i}`),
  ].join("\n")
  const r = stderrReason(out)
  expect(r).toStartWith("Error: BAR_KEY is required\nUsage: x [options]")
  expect(r).not.toContain("punycode")
  expect(r.split("\n").length).toBeLessThanOrEqual(6)
})

test("a Rust panic: RUST_BACKTRACE is no variable to set; the one it lacks is", () => {
  const rust = "thread 'main' panicked at src/main.rs:10:5:\nAPI_TOKEN not set\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"
  const hint = missingEnvHint(stderrReason(rust), "r", {}, {})
  expect(hint?.text).toBe("API_TOKEN is not set for server r")
})

test("a variable the child was given is not pointed out; nothing named, no hint", () => {
  expect(missingEnvHint("Error: BRAVE_API_KEY environment variable is required", "b", { BRAVE_API_KEY: "x" }, {})).toBeUndefined()
  expect(missingEnvHint("Error: connect ECONNREFUSED 127.0.0.1:6379", "redis", {}, {})).toBeUndefined()
})

test("escapes and control characters are removed, long lines bounded", () => {
  const r = stderrReason(`\u001b[31mError: boom\u001b[39m\u0007\n${"x".repeat(1000)}`)
  expect(r).toStartWith("Error: boom\n")
  expect(r).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/)
  expect(r.length).toBeLessThan(400)
})

test("Node's print of an error with a [cause] (mcp-remote's unreachable URL): the messages, not the brace that closed it", () => {
  const frames = (n: number, indent: string) => Array.from({ length: n }, (_, i) => `${indent}at f${i} (/srv/node_modules/undici/lib/fetch.js:${i}:1)`)
  const printed = (head: string) => [`${head}`, ...frames(3, "    ").slice(0, 2), `${frames(1, "    ")[0]} {`, "  code: 'ECONNREFUSED',", "  [cause]: Error: bad port", ...frames(3, "      "), "}"]
  const out = ["[123] Using transport strategy: http-first", ...printed("[123] Connection error: TypeError: fetch failed"), ...printed("[123] Fatal error: TypeError: fetch failed"), ""].join("\n")
  const r = stderrReason(out)
  expect(r.split("\n")).not.toContain("}")
  expect(r).toContain("[cause]: Error: bad port")
  expect(r).toContain("[123] Fatal error: TypeError: fetch failed")
})

// QA: the words of @brave/brave-search-mcp-server 2.x and figma-developer-mcp without a key. Each
// needs one of the variables it names: the hint said "are not set … Set them" with all of them in
// its example (a second secret, or a key file, the user does not have nor need)
test("variables offered as alternatives (either/or, a list ending in or): set one of them", () => {
  const brave = "Error: A Brave API key is required via --brave-api-key, BRAVE_API_KEY, --brave-api-key-file, or BRAVE_API_KEY_FILE. You can get one at https://brave.com/search/api/.\nInvalid configuration"
  const b = missingEnvHint(stderrReason(brave), "brave", {}, {})
  expect(b?.text).toBe("none of BRAVE_API_KEY, BRAVE_API_KEY_FILE is set for server brave (it needs one of them, not all)")
  expect(b?.remedy).toStartWith('Set one of them in servers.brave.env (or an envFile), e.g. env: { BRAVE_API_KEY: "${env:BRAVE_API_KEY}" } with it exported')
  const figma = "Either FIGMA_API_KEY or FIGMA_OAUTH_TOKEN is required (via CLI argument or .env file)"
  expect(missingEnvHint(figma, "figma", {}, {})?.text).toBe("none of FIGMA_API_KEY, FIGMA_OAUTH_TOKEN is set for server figma (it needs one of them, not all)")
  // the one set in our own environment is the one to pass through
  expect(missingEnvHint(figma, "figma", {}, { FIGMA_OAUTH_TOKEN: "t" })?.remedy).toBe('Pass it in servers.figma.env: { FIGMA_OAUTH_TOKEN: "${env:FIGMA_OAUTH_TOKEN}" } (a change to the config file restarts the server).')
  // one of them reached the child: the failure is about something else
  expect(missingEnvHint(figma, "figma", { FIGMA_API_KEY: "k" }, {})).toBeUndefined()
})

test("variables all needed (A and B) are still asked for together", () => {
  // @modelcontextprotocol/server-slack's words
  const slack = missingEnvHint("Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables", "slack", {}, {})
  expect(slack?.text).toBe("SLACK_BOT_TOKEN, SLACK_TEAM_ID are not set for server slack")
  expect(slack?.remedy).toContain('SLACK_BOT_TOKEN: "${env:SLACK_BOT_TOKEN}", SLACK_TEAM_ID: "${env:SLACK_TEAM_ID}"')
})
