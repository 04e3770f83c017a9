/**
 * Shutdown while a downstream is still connecting (Cursor kills its servers often, and an `npx`
 * server takes seconds to answer initialize): the connect under way is ended at once — its child
 * closed like any other — instead of being waited for until the shutdown budget runs out and every
 * child is SIGKILLed. Through the compiled binary; the verdict is the log's, not a clock.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

for (const how of ["SIGTERM", "stdin EOF"] as const) {
  test(`${how} while a warm server is still starting: a clean exit within the budget, no SIGKILL of children`, async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.yaml")
    // a node server that reads its stdin and answers initialize 8 s later (as an `npx` server warming up);
    // it leaves a file when initialize came in (the start is then under way)
    const slow = join(env.HOME!, "slow-init.mjs")
    const asked = join(env.HOME!, "initialize-received")
    writeFileSync(
      slow,
      `import { createInterface } from "node:readline"
import { writeFileSync } from "node:fs"
createInterface({ input: process.stdin }).on("line", (l) => {
  const m = JSON.parse(l)
  if (m.method === "initialize") writeFileSync(${JSON.stringify(asked)}, "")
  if (m.method === "initialize") setTimeout(() => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "slow", version: "1" } } }) + "\\n"), 8000)
})
`,
    )
    writeFileSync(cfg, `toolkit: { enabled: "off" }\nwarm: [slow]\nservers:\n  slow: { command: node, args: [${JSON.stringify(slow)}], protocol: legacy }\n`)
    const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    // no client message at all (a client that started us and went away): the orchestrator is built anyway
    const err = new Response(p.stderr).text()
    // the slow server is being connected (warm): its initialize came in (a loaded machine takes longer than a second)
    await waitFor("the slow server's initialize", () => existsSync(asked), 20_000)
    if (how === "SIGTERM") p.kill("SIGTERM")
    else await p.stdin.end()
    const code = await p.exited
    const log = await err
    expect(log).toContain('"reason":"' + (how === "SIGTERM" ? "SIGTERM" : "stdin closed") + '"')
    expect(log).not.toContain("shutdown budget")
    expect(log).not.toContain("exiting now")
    expect(code).toBe(0)
    // the start cut short is said once, as such: not as a connect timeout that never happened
    // (pool.connectTimeout is 30 s; the server answers in 8), nor as a failed listing
    const why = how === "SIGTERM" ? "SIGTERM" : "stdin closed"
    expect(log).toContain(`"msg":"start abandoned","error":"start of slow abandoned: shutting down (${why})"`)
    expect(log.split("start abandoned")).toHaveLength(2)
    expect(log).not.toContain("within pool.connectTimeout")
    expect(log).not.toContain("warm start failed")
    expect(log).not.toContain("listing tools failed")
  }, 30_000)
}

test("SIGTERM while a server's tools are being listed: no failed listing nor removed server in the log", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "c.yaml")
  // answers initialize at once, never tools/list
  const mute = join(env.HOME!, "mute-list.mjs")
  writeFileSync(
    mute,
    `import { createInterface } from "node:readline"
createInterface({ input: process.stdin }).on("line", (l) => {
  const m = JSON.parse(l)
  if (m.method === "initialize") process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "mute", version: "1" } } }) + "\\n")
  if (m.method === "tools/list") process.stderr.write("tools/list received\\n")
})
`,
  )
  writeFileSync(cfg, `toolkit: { enabled: "off" }\nlog: { level: debug }\nservers:\n  mute: { command: node, args: [${JSON.stringify(mute)}], protocol: legacy }\n`)
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }) + "\n")
  p.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n")
  p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }) + "\n")
  p.stdin.flush()
  // the server's stderr is logged at debug: its listing is under way once it says so
  let log = ""
  const dec = new TextDecoder()
  const reader = p.stderr.getReader()
  while (!log.includes("tools/list received")) {
    const { value, done } = await reader.read()
    if (done) break
    log += dec.decode(value)
  }
  expect(log).toContain("tools/list received")
  p.kill("SIGTERM")
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    log += dec.decode(value)
  }
  expect(await p.exited).toBe(0)
  expect(log).toContain('"reason":"SIGTERM"')
  expect(log).not.toContain("listing tools failed")
  expect(log).not.toContain("was removed")
  expect(log).not.toContain("retrying idempotent request")
}, 30_000)
