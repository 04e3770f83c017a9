/**
 * A config that does not resolve (missing, a directory, bad YAML/JSON, a schema error), named by
 * --config, by MCPO_CONFIG or found at the default path: the client is never told the server is
 * up. Before, the early face answered `initialize` before the config was read, and the process
 * exited 2 right after: Cursor showed a server that connected, then died. Now the start ends (exit
 * 2, the error on stderr naming the path, the key and what was expected) before any answer, in
 * every case alike; a config that a start loaded and that broke since is no different.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

type Case = { name: string; make(dir: string): string; says: string[] }
const CASES: Case[] = [
  { name: "missing file", make: (d) => join(d, "nope.yaml"), says: ["cannot read the config file (ENOENT)"] },
  { name: "a directory", make: (d) => (mkdirSync(join(d, "cfgdir")), join(d, "cfgdir")), says: ["EISDIR", "That is a directory"] },
  { name: "YAML syntax error", make: (d) => (writeFileSync(join(d, "bad.yaml"), "servers: [\n"), join(d, "bad.yaml")), says: [":2: not valid YAML/JSON"] },
  { name: "JSON syntax error", make: (d) => (writeFileSync(join(d, "bad.json"), '{"servers": {'), join(d, "bad.json")), says: [":1:14: not valid JSON"] },
  { name: "schema error", make: (d) => (writeFileSync(join(d, "schema.json"), '{"proxy": {"expose": "bogus"}}'), join(d, "schema.json")), says: ["proxy.expose (", ':1): expected one of "all", "search", "code", got "bogus"'] },
]

/** Runs the binary with a client's first line; its stdout, stderr and exit code. */
async function rawStart(args: string[], env: Record<string, string>, first: unknown = INIT): Promise<{ stdout: string; stderr: string; code: number }> {
  const p = Bun.spawn([BIN, ...args], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
  p.stdin.write(JSON.stringify(first) + "\n")
  await p.stdin.flush()
  // stdin stays open (a client waiting for its answer): only the config error may end it
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  p.stdin.end()
  return { stdout, stderr, code }
}

describe("a config that does not resolve: no answer, exit 2, the error named", () => {
  for (const c of CASES) {
    for (const via of ["--config", "MCPO_CONFIG", "default path"] as const) {
      if (via === "default path" && c.name !== "YAML syntax error" && c.name !== "schema error" && c.name !== "a directory") continue
      test(`${c.name} (${via})`, async () => {
        const env = sandboxEnv()
        let path: string
        if (via === "default path") {
          const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
          mkdirSync(dir, { recursive: true })
          const made = c.make(dir)
          path = join(dir, c.name === "schema error" ? "config.json" : "config.yaml")
          Bun.spawnSync(["mv", made, path])
        } else {
          path = c.make(env.HOME!)
          if (via === "MCPO_CONFIG") env.MCPO_CONFIG = path
        }
        const args = via === "--config" ? ["serve", "--config", path] : ["serve"]
        // the SDK's real Client: the connection fails, it never succeeds and then drops
        await expect(connectBinary(args, env)).rejects.toThrow()
        const r = await rawStart(args, env)
        expect(r.stdout).toBe("")
        expect(r.code).toBe(2)
        // the path (as given, or the default one found), the key and what was expected
        expect(r.stderr).toContain(path)
        for (const s of c.says) expect(r.stderr).toContain(s)
      }, 30_000)
    }
  }
})

test("a config a start loaded, broken since: the next start does not answer either", async () => {
  const env = sandboxEnv()
  const path = join(env.HOME!, "config.yaml")
  writeFileSync(path, "servers: {}\ntoolkit: { enabled: \"off\" }\nplugins: { enabled: false }\n")
  // a start that listed: its early index vouches for this config as it is
  for (let i = 0; i < 2; i++) {
    const c = await connectBinary(["serve", "--config", path], env)
    await c.client.listTools()
    await c.close()
  }
  writeFileSync(path, "servers: {}\ntoolkit: { enabled: \"off\" }\nplugins: { enabled: nope }\n")
  await expect(connectBinary(["serve", "--config", path], env)).rejects.toThrow()
  const r = await rawStart(["serve", "--config", path], env)
  expect(r.stdout).toBe("")
  expect(r.code).toBe(2)
  expect(r.stderr).toContain("plugins.enabled")
}, 60_000)

test("a 2026-07-28 client's probe (server/discover) is not answered either", async () => {
  const env = sandboxEnv()
  const path = join(env.HOME!, "bad.yaml")
  writeFileSync(path, "servers: [\n")
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
  const r = await rawStart(["serve", "--config", path], env, { jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: meta } })
  expect(r.stdout).toBe("")
  expect(r.code).toBe(2)
  expect(r.stderr).toContain(`${path}:2: not valid YAML/JSON`)
}, 30_000)
