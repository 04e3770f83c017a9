/**
 * A reload that adds a server which fails at once (a remote one answering 500 with a body quoting
 * the credentials it got, a stdio one that exits): its failure is one redacted log line, never the
 * runtime's dump of an unhandled rejection (source lines, stack and the cause chain, secrets in
 * clear). Every stderr line stays a JSON log record. Through the compiled binary.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, startHttpBinary, tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const HEADER_SECRET = `HdrSecret${crypto.randomUUID().replace(/-/g, "")}`
const QUERY_SECRET = `QrySecret${crypto.randomUUID().replace(/-/g, "")}`
// answers every request 400 with a JSON-RPC error quoting what it was sent (as a debugging proxy might)
const echo = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (req) => Response.json({ jsonrpc: "2.0", id: 1, error: { code: -32000, message: `bad auth: ${req.headers.get("authorization")} url ${req.url}` } }, { status: 400 }),
})
afterAll(() => echo.stop(true))

async function scenario(mode: "stdio" | "http"): Promise<string> {
  const dir = tempDir("mcpo-reload-fail-")
  const config = join(dir, "config.yaml")
  const base = `toolkit: { enabled: "off" }\nplugins: { enabled: false }\nservers:\n  ok: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(join(import.meta.dir, "..", "fixtures", "servers", "fault-server.ts"))}] }\n`
  writeFileSync(config, base)
  const added =
    `  remote: { url: "http://127.0.0.1:${echo.port}/mcp?token=${QUERY_SECRET}", headers: { Authorization: "Bearer ${HEADER_SECRET}" } }\n` +
    `  gone: { command: "false", env: { API_TOKEN: "${HEADER_SECRET}x" } }\n`
  const settle = async (stderr: () => string) => {
    await waitFor("the reload and the failures", () => (stderr().includes("config reloaded") && /remote/.test(stderr()) && /failed/.test(stderr()) ? true : undefined), 20_000)
    await Bun.sleep(3000) // the failing servers' first retries too
  }
  if (mode === "stdio") {
    const c = await connectBinary(["serve", "--config", config], sandboxEnv())
    try {
      await waitFor("ok's tools", async () => (await c.client.listTools()).tools.some((t) => t.name === "ok__echo"))
      writeFileSync(config, base + added)
      await settle(c.stderr)
      expect((await c.client.callTool({ name: "ok__echo", arguments: { message: "still here" } })).isError).toBeFalsy()
    } finally {
      await c.close()
    }
    return c.stderr()
  }
  // HTTP only, starting with no server at all
  writeFileSync(config, `toolkit: { enabled: "off" }\nplugins: { enabled: false }\nservers: {}\n`)
  const h = await startHttpBinary(config, sandboxEnv())
  try {
    writeFileSync(config, `toolkit: { enabled: "off" }\nplugins: { enabled: false }\nservers:\n${added}`)
    await settle(h.stderr)
  } finally {
    h.proc.kill("SIGTERM")
    await h.proc.exited
  }
  return h.stderr()
}

for (const mode of ["stdio", "http"] as const) {
  test(`${mode}: a server added by a reload that fails at once: redacted JSON log lines only, the process goes on`, async () => {
    const err = await scenario(mode)
    expect(err).not.toContain(HEADER_SECRET)
    expect(err).not.toContain(QUERY_SECRET)
    // the HTTP face prints its generated token once on purpose: the one line that is not a log record
    const notJson = err.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("{") && !l.startsWith("mcp-orchestrator: HTTP endpoint"))
    expect(notJson).toEqual([])
  }, 60_000)
}
