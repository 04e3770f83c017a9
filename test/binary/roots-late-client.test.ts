/**
 * A downstream that asks for the roots before any client has initialized (a `warm:` server is up
 * before the editor sends `initialize`) is answered "no roots" then — and is told the roots changed
 * once a client that has roots initializes, so it asks again and gets the client's. Before, it kept
 * the empty answer for the whole session: server-filesystem stayed on its command-line directory,
 * whatever project the editor had open. Real server-filesystem, raw JSON-RPC client.
 */
import { afterAll, expect, test } from "bun:test"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { FILESYSTEM } from "../proxy/helpers.ts"
import { BIN, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"

const dir = tempDir("mcpo-roots-late-")
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test("a warm server told no roots before the client initialized asks again and gets the client's roots", async () => {
  await ensureBuilt()
  const start = join(dir, "start-dir")
  const project = join(dir, "project")
  mkdirSync(start, { recursive: true })
  mkdirSync(project, { recursive: true })
  const cfg = join(dir, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, warm: ["files"], servers: { files: { command: "node", args: [FILESYSTEM, start] } } }))
  const proc = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: sandboxEnv() })
  try {
    // the warm server comes up and asks for the roots while no client has sent initialize
    const logs: string[] = []
    const logDone = (async () => {
      const dec = new TextDecoder()
      for await (const c of proc.stderr as ReadableStream<Uint8Array>) logs.push(...dec.decode(c, { stream: true }).split("\n"))
    })()
    // (the log line is ours; a build without it is given the server's start and a moment)
    for (let i = 0; i < 300 && !logs.some((l) => l.includes("roots/list answered with no roots")); i++) {
      if (i >= 40 && logs.some((l) => l.includes("downstream ready"))) break
      await Bun.sleep(50)
    }

    const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
    const dec = new TextDecoder()
    let buf = ""
    const next = async (): Promise<Record<string, unknown>> => {
      for (;;) {
        const nl = buf.indexOf("\n")
        if (nl >= 0) {
          const line = buf.slice(0, nl)
          buf = buf.slice(nl + 1)
          return JSON.parse(line) as Record<string, unknown>
        }
        const { value, done } = await reader.read()
        if (done) throw new Error("stdout closed")
        buf += dec.decode(value, { stream: true })
      }
    }
    const send = (m: unknown): void => {
      proc.stdin.write(JSON.stringify(m) + "\n")
      proc.stdin.flush()
    }
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: { roots: { listChanged: true } }, clientInfo: { name: "late", version: "1" } } })
    expect((await next()).id).toBe(1)
    send({ jsonrpc: "2.0", method: "notifications/initialized" })
    // the server asks again, through us: answered with the client's project
    let asked: Record<string, unknown> | undefined
    const waitAsked = (async () => {
      for (let i = 0; i < 50 && asked === undefined; i++) {
        const m = await next()
        if (m.method === "roots/list") asked = m
      }
    })()
    await Promise.race([waitAsked, Bun.sleep(10_000)])
    expect(asked).toBeDefined()
    send({ jsonrpc: "2.0", id: asked!.id, result: { roots: [{ uri: `file://${project}`, name: "project" }] } })
    // and it works on the client's root now
    let text = ""
    for (let i = 0; i < 50 && !text.includes(project); i++) {
      send({ jsonrpc: "2.0", id: 100 + i, method: "tools/call", params: { name: "files__list_allowed_directories", arguments: {} } })
      for (;;) {
        const m = await next()
        if (m.id !== 100 + i) continue
        text = JSON.stringify(m.result ?? m.error)
        break
      }
      if (!text.includes(project)) await Bun.sleep(100)
    }
    expect(text).toContain(project)
    proc.stdin.end()
    await proc.exited
    await logDone
  } finally {
    proc.kill()
  }
}, 60_000)
