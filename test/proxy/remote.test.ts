/**
 * Remote downstreams: server-everything in its Streamable HTTP and SSE modes, bound to 127.0.0.1.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ctx, EVERYTHING, ROOT } from "./helpers.ts"

const PRELOAD = join(ROOT, "test", "fixtures", "servers", "loopback.cjs")
const children: ReturnType<typeof Bun.spawn>[] = []

async function startHttp(mode: "streamableHttp" | "sse", port = 20000 + Math.floor(Math.random() * 20000)): Promise<number> {
  const p = Bun.spawn(["node", "--require", PRELOAD, EVERYTHING, mode], { env: { PATH: process.env.PATH ?? "", PORT: String(port) }, stdout: "ignore", stderr: "pipe" })
  children.push(p)
  const reader = p.stderr.getReader()
  let text = ""
  const end = performance.now() + 10_000
  while (!/listening|running/i.test(text) && performance.now() < end) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  // Bound to loopback only: the listening socket in /proc/net/tcp is 0100007F:<port>.
  const hex = port.toString(16).toUpperCase().padStart(4, "0")
  const tcp = readFileSync("/proc/net/tcp", "utf8")
  expect(tcp).toContain(`0100007F:${hex}`)
  expect(tcp).not.toContain(`00000000:${hex}`)
  return port
}

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL")
  await Promise.all(children.map((c) => c.exited))
})

describe("remote downstreams", () => {
  test("Streamable HTTP: list, call, progress", async () => {
    const port = await startHttp("streamableHttp")
    await using proxy = createProxy({ config: config({ servers: { web: { url: `http://127.0.0.1:${port}/mcp` } } }), log: silentLogger })
    const tools = await proxy.listTools()
    expect(tools.map((t) => t.name)).toContain("web__echo")
    expect(await proxy.callTool("web__echo", { message: "over http" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: over http" }] })
    const c = ctx("p1")
    await proxy.callTool("web__trigger-long-running-operation", { duration: 0.2, steps: 2 }, c)
    expect(c.notes.map((n) => n.params!.progress)).toEqual([1, 2])
    expect(proxy.status().servers[0]).toMatchObject({ transport: "streamable-http", state: "ready" })
  }, 15_000) // starts a node server and (first contact) probes its era: over bun's 5 s default on a loaded machine

  test("remote server goes away and comes back: the call fails, the session reconnects", async () => {
    const port = await startHttp("streamableHttp")
    const first = children.at(-1)!
    await using proxy = createProxy({ config: config({ servers: { web: { url: `http://127.0.0.1:${port}/mcp` } }, pool: { restartDelay: 200 } }), log: silentLogger })
    await proxy.listTools()
    first.kill("SIGKILL")
    await first.exited
    await expect(proxy.callTool("web__echo", { message: "x" }, ctx())).rejects.toMatchObject({ kind: "downstream" })
    await startHttp("streamableHttp", port)
    const t0 = performance.now()
    let r: unknown
    // a bound, not a timing: under load the restart backoff and the new connect took over 5 s
    while (performance.now() - t0 < 40_000) {
      r = await proxy.callTool("web__echo", { message: "back" }, ctx()).catch((e: unknown) => e)
      if (!(r instanceof Error)) break
      await Bun.sleep(100)
    }
    expect(r).toEqual({ content: [{ type: "text", text: "Echo: back" }] })
  }, 60_000)

  test("SSE (legacy HTTP+SSE transport)", async () => {
    const port = await startHttp("sse")
    await using proxy = createProxy({ config: config({ servers: { old: { url: `http://127.0.0.1:${port}/sse`, transport: "sse" } } }), log: silentLogger })
    expect((await proxy.listTools()).map((t) => t.name)).toContain("old__echo")
    expect(await proxy.callTool("old__echo", { message: "over sse" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: over sse" }] })
  })
})
