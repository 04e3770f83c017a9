/**
 * Regression (QA qa22, servers from npm): a server that exits at start because a token is missing
 * must be named with its own reason and a remedy. Before, the error quoted the last five stderr
 * lines, whatever they were: for `@stripe/mcp` five stack frames and "Node.js v20.20.2" (the
 * reason was above them), for `@sentry/mcp-server` five usage examples (the "No access token"
 * error was 50 lines up), ANSI escapes included; a server that exited before reading its first
 * message failed with "cannot write to downstream: EPIPE" instead of its exit; and a token set in
 * the orchestrator's own environment (which servers do not inherit) was not pointed out. The
 * fixture reproduces the packages' stderr without network (test/faults/servers/refusing-start-server.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "..", "faults", "servers", "refusing-start-server.ts")
const SECRET = "acme-live-0123456789abcdef"
const WIDGET_TOKEN = "wt_live_0123456789abcdefXX"
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const dir = tempDir("mcpo-refusal-")
  const cfg = join(dir, "config.yaml")
  const bun = JSON.stringify(process.execPath)
  writeFileSync(
    cfg,
    [
      "toolkit: { enabled: off }",
      "pool: { restartDelay: 10m }",
      "servers:",
      `  stripe: { command: ${bun}, args: [${JSON.stringify(FIXTURE)}, uncaught] }`,
      `  sentry: { command: ${bun}, args: [${JSON.stringify(FIXTURE)}, usage] }`,
      `  brave: { command: ${bun}, args: [${JSON.stringify(FIXTURE)}, env] }`,
      // exits before the orchestrator's first write reaches it: the write fails (EPIPE)
      `  widget: { command: ${bun}, args: [${JSON.stringify(FIXTURE)}, stdout], env: { WIDGET_TOKEN: ${JSON.stringify(WIDGET_TOKEN)} } }`,
      `  quick: { command: /bin/sh, args: ["-c", "echo 'Error: QUICK_TOKEN environment variable is required' >&2; exit 1"] }`,
      // npm's own words for `npx @scope/pkg` without -y, the package not installed, stdin no terminal (qa193)
      `  npxnoy: { command: /bin/sh, args: ["-c", "echo 'npm error npx canceled due to missing packages and no YES option: [\\"@acme/mcp-server@1.2.3\\"]' >&2; echo 'npm error A complete log of this run can be found in: /tmp/x-debug-0.log' >&2; exit 1"] }`,
      "",
    ].join("\n"),
  )
  // the token is in the orchestrator's environment, not in the server's env
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv({ ACME_API_KEY: SECRET }))
}, 120_000)

afterAll(async () => {
  await c?.close()
})

async function callError(tool: string): Promise<string> {
  const r = (await c.client.callTool({ name: "call_tool", arguments: { name: tool, arguments: {} } })) as { content: Array<{ text: string }>; isError?: boolean }
  expect(r.isError).toBe(true)
  return r.content.map((x) => x.text).join("\n")
}

test("an uncaught exception's reason is quoted, not its stack frames, source excerpt or escapes", async () => {
  const text = await callError("stripe__create_customer")
  expect(text).toContain("server stripe failed to start: server stripe exited with code 1")
  expect(text).toContain("Acme API key not provided. Please either pass it as an argument --api-key=$KEY or set the ACME_SECRET_KEY environment variable.")
  expect(text).toContain("🚨  Error initializing Acme MCP server:")
  expect(text).not.toContain("    at ")
  expect(text).not.toContain("Node.js v20")
  expect(text).not.toContain("throw new Error")
  expect(text).not.toContain("\u001b")
  expect(text).toContain("ACME_SECRET_KEY is not set for server stripe")
  expect(text).toContain("servers.stripe.env")
})

test("an error followed by a long usage text is quoted with what to pass, the usage cut", async () => {
  const text = await callError("sentry__search_issues")
  expect(text).toContain("stderr: Error: No access token was provided.\nRun `acme-mcp auth login` interactively first, or pass `--access-token` / `ACME_ACCESS_TOKEN`.")
  expect(text).toMatch(/… \(\d+ more lines\)/)
  expect(text).not.toContain("--option-20")
  expect(text).toContain("ACME_ACCESS_TOKEN is not set for server sentry")
})

test("a variable set in the orchestrator's environment but not passed to the server is pointed out, without its value", async () => {
  const text = await callError("brave__brave_web_search")
  expect(text).toContain("stderr: Error: ACME_API_KEY environment variable is required")
  expect(text).toContain("ACME_API_KEY is set in mcp-orchestrator's environment, but a server gets only a minimal environment")
  expect(text).toContain('servers.brave.env: { ACME_API_KEY: "${env:ACME_API_KEY}" }')
  expect(text).not.toContain(SECRET)
  expect(c.stderr()).not.toContain(SECRET)
})

test("a server that exits before reading its first message is reported by its exit and stderr, not by our failed write", async () => {
  const text = await callError("quick__anything")
  expect(text).toContain("server quick failed to start: server quick exited with code 1")
  expect(text).not.toContain("EPIPE")
  expect(text).toContain("stderr: Error: QUICK_TOKEN environment variable is required")
  expect(text).toContain("QUICK_TOKEN is not set for server quick")
})

test("QA repro (qa62): a server that prints why it cannot start on stdout, not stderr, is reported with that reason and its remedy, the token it echoes masked", async () => {
  // before: "server widget exited with code 1 before answering initialize" and the generic remedy
  // (the lines were skipped as non-JSON stdout: only the first was logged, as a sample)
  const text = await callError("widget__anything")
  expect(text).toContain("server widget failed to start: server widget exited with code 1")
  expect(text).toContain("stdout (not JSON-RPC): Widget MCP server v1.2 starting on stdio\nInvalid token [REDACTED] refused by the API\nError: WIDGET_API_KEY environment variable is required")
  expect(text).toContain("WIDGET_API_KEY is not set for server widget")
  expect(text).toContain("servers.widget.env")
  expect(text).not.toContain(WIDGET_TOKEN)
  const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: { servers: Array<{ name: string; lastError?: string }> } }
  const row = status.structuredContent.servers.find((s) => s.name === "widget")!
  expect(row.lastError).toContain("Error: WIDGET_API_KEY environment variable is required")
  expect(JSON.stringify(status)).not.toContain(WIDGET_TOKEN)
  expect(c.stderr()).not.toContain(WIDGET_TOKEN)
})

test("npx without -y (the package not installed, no terminal to answer its question): the start failure says to add -y", async () => {
  const text = await callError("npxnoy__anything")
  expect(text).toContain("npx canceled due to missing packages and no YES option")
  expect(text).toContain("npx would ask before installing the package of server npxnoy")
  expect(text).toContain('Add "-y" before the package name in servers.npxnoy.args')
})

test("orchestrator_status says the remedy of a start failure once: the env hint in the error is not repeated as its `what to do`", async () => {
  // QA: every server failing without its token showed "… Set it in servers.X.env … (what to do: Set it in servers.X.env …)"
  await callError("quick__anything")
  const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { content: Array<{ text: string }>; structuredContent: { servers: Array<{ name: string; remedy?: string }> } }
  const text = status.content[0]!.text
  const row = text.split("\n  - ").find((l) => l.startsWith("quick "))!
  expect(row).toContain("QUICK_TOKEN is not set for server quick")
  expect(row.split("Set it in servers.quick.env").length - 1).toBe(1)
  // the structured row keeps it as its own field
  expect(status.structuredContent.servers.find((s) => s.name === "quick")!.remedy).toContain("Set it in servers.quick.env")
})
