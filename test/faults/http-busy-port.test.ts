/**
 * Regression (QA: with stdio and HTTP together, a busy HTTP port killed the stdio face too): the
 * config's `http.listen` names a port another process holds (a second editor window started
 * with the same config). The serve answered `initialize`, then exited 1 and the stdio client lost
 * its server. Now, with stdio served, the failure is one error line (the address, the key
 * http.listen and where it is set, a remedy) and stdio goes on; HTTP only (--no-stdio) it stays
 * fatal: the same line, a non-zero exit. Through the compiled binary.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, isAlive, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

// holds the port, as the first editor window's orchestrator would
const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("taken") })
afterAll(() => holder.stop(true))
const LISTEN = `127.0.0.1:${holder.port}`
const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")

function setup(): { dir: string; config: string } {
  const dir = tempDir("mcpo-http-busy-")
  const config = join(dir, "config.yaml")
  writeFileSync(
    config,
    [
      'toolkit: { enabled: "off" }',
      "plugins: { enabled: false }",
      "servers:",
      `  a: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, "a.log")])} }`,
      "http:",
      `  listen: "${LISTEN}"`,
      "",
    ].join("\n"),
  )
  return { dir, config }
}

/** The error line about HTTP, parsed. */
function httpError(stderr: string): Record<string, unknown> | undefined {
  const line = stderr.split("\n").find((l) => l.startsWith("{") && l.includes('"cannot serve HTTP'))
  return line ? (JSON.parse(line) as Record<string, unknown>) : undefined
}

describe("the HTTP address is taken", () => {
  test("with stdio: one error line (address, key, where it is set, remedy); the stdio client goes on", async () => {
    const { config } = setup()
    const c = await connectBinary(["serve", "--config", config], sandboxEnv())
    try {
      const line = await waitFor("the HTTP error logged", () => httpError(c.stderr()))
      expect(line).toMatchObject({ level: "error", setting: "http.listen", listen: LISTEN, source: `${config}:6` })
      expect(String(line.msg)).toContain("stdio goes on")
      expect(String(line.error)).toContain(String(holder.port))
      expect(String(line.remedy)).toContain("http.listen")
      expect(String(line.remedy)).toContain(LISTEN)
      // the stdio face is served: lists, own tools, downstream calls
      expect((await c.client.callTool({ name: "a__echo", arguments: { tag: "still here" } })).content).toEqual([{ type: "text", text: "still here" }])
      const st = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: { config: { http: string | null; httpError?: string } } }
      expect(st.structuredContent.config.http).toBeNull()
      expect(st.structuredContent.config.httpError).toContain(LISTEN)
      expect(st.structuredContent.config.httpError).toContain("http.listen")
      expect(isAlive(c.pid!)).toBe(true)
      expect(c.stderr()).toContain('"msg":"ready"')
    } finally {
      await c.close()
    }
  }, 30_000)

  test("HTTP only (--no-stdio): fatal, with the same line and a non-zero exit code", async () => {
    const { config } = setup()
    const env = sandboxEnv()
    const proc = Bun.spawn([BIN, "serve", "--no-stdio", "--config", config], { env, cwd: env.HOME, stdin: "ignore", stdout: "ignore", stderr: "pipe" })
    const code = await proc.exited
    const stderr = await new Response(proc.stderr).text()
    expect(code).not.toBe(0)
    const line = httpError(stderr)
    expect(line).toMatchObject({ level: "error", setting: "http.listen", listen: LISTEN, source: `${config}:6` })
    expect(String(line!.msg)).toContain("HTTP only")
    expect(String(line!.remedy)).toContain("http.listen")
  }, 30_000)
})
