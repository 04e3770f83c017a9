/**
 * A client may reuse the id of a request the early face answered (src/early-face.ts: the first
 * `initialize` and `tools/list`, answered before the real face is up) as soon as it has that answer,
 * while the real face still serves the replay of it (whose answer is dropped). The new request gets
 * its own answer, exactly one, and the replay's answer never goes out in its place (also at the
 * shutdown). Raw JSON-RPC lines to the compiled binary, end to end; the downstream does not finish its
 * start (list-gate-server --init-gate) until the new request was answered. Which of the two ends
 * first is up to the scheduler here: test/mcp/early-replay-ids holds the replay for certain.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { collect, exitCode, waitFor } from "../helpers/wait.ts"
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

beforeAll(ensureBuilt, 120_000)

type Line = { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string }; method?: string }
const lines = (text: string): Line[] =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Line)

describe("a request reusing the id of one the early face answered", () => {
  for (const [what, reuse] of [
    ["the first tools/list's id", 2],
    ["the initialize's id", 1],
  ] as const) {
    test(`gets its own answer: ${what}`, async () => {
      const env = sandboxEnv()
      const gate = join(env.HOME!, "booted")
      const cfg = join(env.HOME!, "config.yaml")
      writeFileSync(cfg, ["toolkit:", '  enabled: "off"', "proxy:", "  listWait: 120000", "servers:", "  held:", `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(GATE_SERVER)}, "--init-gate", ${JSON.stringify(gate)}]`, ""].join("\n"))
      // first run: the server starts, its list is stored, the early index written for the next start
      writeFileSync(gate, "")
      const first = await connectBinary(["serve", "--config", cfg], env)
      await waitFor("held's tools in the list", async () => (await first.client.listTools()).tools.some((t) => t.name === "held__echo"))
      await waitFor("ready", () => first.stderr().includes('"msg":"ready"'))
      await first.close()
      // second run: held does not finish its start until the test says so
      rmSync(gate)
      // the environment the SDK gave the first run (the early index is keyed by it)
      const p = Bun.spawn([BIN, "serve", "--config", cfg], { env: { ...getDefaultEnvironment(), ...env }, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
      const out = collect(p.stdout)
      const err = collect(p.stderr)
      try {
        const send = (m: unknown): void => void p.stdin.write(JSON.stringify(m) + "\n")
        const answers = (id: number) => lines(out.now()).filter((l) => l.id === id && l.method === undefined)
        send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })
        await waitFor("the initialize answer", () => answers(1).length === 1)
        send({ jsonrpc: "2.0", method: "notifications/initialized" })
        send({ jsonrpc: "2.0", id: 2, method: "tools/list" })
        const listed = await waitFor("the early tools/list answer", () => answers(2)[0])
        expect((listed.result!.tools as { name: string }[]).some((t) => t.name === "held__echo")).toBe(true)
        // the id is free again (its request was answered): used for a ping at once
        const before = answers(reuse).length
        send({ jsonrpc: "2.0", id: reuse, method: "ping" })
        const pong = await waitFor("the ping's answer", () => answers(reuse)[before])
        expect(pong).toEqual({ jsonrpc: "2.0", id: reuse, result: {} } as Line)
        // now the replays may finish: held starts, the real tools/list is answered (and dropped)
        writeFileSync(gate, "")
        send({ jsonrpc: "2.0", id: 3, method: "tools/list" })
        await waitFor("the second tools/list's answer", () => answers(3).length === 1, 60_000)
        p.stdin.end()
        expect(await exitCode(p)).toBe(0)
        await out.all
        // the tools/list was answered by the early face (else this tested nothing of it)
        expect(await err.all).toContain('"earlyList":true')
        // one answer per request: the early ones, the ping's; no replay answer went out
        expect(answers(1).length).toBe(reuse === 1 ? 2 : 1)
        expect(answers(2).length).toBe(reuse === 2 ? 2 : 1)
        expect(answers(reuse)[before]).toEqual({ jsonrpc: "2.0", id: reuse, result: {} } as Line)
      } catch (e) {
        p.kill("SIGKILL")
        throw new Error(`${e}\nstdout:\n${out.now()}\nstderr:\n${err.now().slice(-4000)}`)
      }
    }, 90_000)
  }
})
