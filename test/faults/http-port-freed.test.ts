/**
 * An editor restarts its MCP server (stops the old process, starts the new one at once) with
 * `http.listen` in the config: the old orchestrator still listens while it stops (it answers late
 * requests until the end of its shutdown), so the new one met EADDRINUSE and served its whole
 * session without HTTP. Now an address in use is tried again for a while (app/listen-busy), said
 * once in the log: once the old process lets the port go, the new one serves HTTP, with no error
 * line. (A holder that never lets go is still the error it was: http-busy-port.test.ts.) The port
 * is held here and let go once the new process said it waits: no timing is assumed.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { restOf, waitFor, waitForStderr } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

// holds the port, as the orchestrator being replaced does while it stops
const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("old") })
afterAll(() => holder.stop(true))
const LISTEN = `127.0.0.1:${holder.port}`

/** A config serving HTTP on `listen`, no servers. */
function configFor(listen: string): string {
  const config = join(tempDir("mcpo-http-freed-"), "config.yaml")
  writeFileSync(config, ['toolkit: { enabled: "off" }', "plugins: { enabled: false }", "servers: {}", "http:", `  listen: "${listen}"`, '  token: "qa180-freed-port-token-0123456789"', ""].join("\n"))
  return config
}

test("the address is let go by the process being replaced: the new serve waits, then serves HTTP, no error line", async () => {
  const c = await connectBinary(["serve", "--config", configFor(LISTEN)], sandboxEnv())
  try {
    await waitFor("the serve to say the address is in use", () => c.stderr().includes("HTTP address in use"), 15_000)
    holder.stop(true)
    await waitFor("HTTP served", () => c.stderr().includes('"msg":"serving Streamable HTTP"'), 15_000)
    expect(c.stderr()).not.toContain("cannot serve HTTP")
    const health = await fetch(`http://${LISTEN}/healthz`)
    expect(health.status).toBe(200)
    const st = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: { config: { http: string | null } } }
    expect(st.structuredContent.config.http).toBe(LISTEN)
  } finally {
    await c.close()
  }
}, 30_000)

test("HTTP only, stopped by SIGTERM while the address is waited for: exit 0, no error line", async () => {
  const other = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("old") })
  try {
    const env = sandboxEnv()
    const p = Bun.spawn([BIN, "serve", "--no-stdio", "--config", configFor(`127.0.0.1:${other.port}`)], { env, cwd: env.HOME, stdin: "ignore", stdout: "ignore", stderr: "pipe" })
    const before = await waitForStderr(p, /HTTP address in use/, "the serve to say the address is in use")
    p.kill("SIGTERM")
    const log = before + (await restOf(p.stderr))
    expect(await p.exited).toBe(0)
    expect(log).toContain('"reason":"SIGTERM"')
    expect(log).not.toContain("cannot serve HTTP")
  } finally {
    other.stop(true)
  }
}, 30_000)
