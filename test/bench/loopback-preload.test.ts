/**
 * The bench's `node --require` loopback preload: every wildcard/no-host listen lands on 127.0.0.1,
 * and `listeners()` reads a process group's listening sockets from /proc/net/tcp.
 */
import { describe, expect, test } from "bun:test"
import { spawn, spawnSync } from "node:child_process"
import { join } from "node:path"
import { freePort, isLoopback, listeners, stopGroup } from "../../scripts/bench/_peers-launch.ts"

const PRELOAD = join(import.meta.dir, "..", "..", "scripts", "bench", "_loopback-preload.cjs")
const node = Bun.which("node")

// Each form of listen() a peer may use; prints the bound addresses as JSON.
const probe = `
const http = require("node:http")
const forms = [s => s.listen(0), s => s.listen({ port: 0 }), s => s.listen(0, "::"), s => s.listen({ port: 0, host: "0.0.0.0" }), s => s.listen(() => {}), s => s.listen("0")]
const out = []
const next = (i) => {
  if (i === forms.length) return console.log(JSON.stringify(out))
  const s = http.createServer()
  s.on("listening", () => { out.push(s.address().address); s.close(() => next(i + 1)) })
  forms[i](s)
}
next(0)`

function addresses(args: string[]): string[] {
  const r = spawnSync(node!, [...args, "-e", probe], { encoding: "utf8", timeout: 20_000 })
  return JSON.parse(r.stdout.trim())
}

describe.skipIf(!node || process.platform !== "linux")("loopback preload", () => {
  test("without it, listen() binds a wildcard address (the case it exists for)", () => {
    expect(addresses([]).filter((a) => !a.startsWith("127."))).not.toHaveLength(0)
  })

  test("with it, every form binds 127.0.0.1", () => {
    expect(addresses(["--require", PRELOAD])).toEqual(Array(6).fill("127.0.0.1"))
  })

  test("an explicit non-wildcard host is left alone", () => {
    const r = spawnSync(node!, ["--require", PRELOAD, "-e", `const s=require("node:net").createServer();s.listen(0,"::1",()=>{console.log(s.address().address);s.close()})`], { encoding: "utf8", timeout: 20_000 })
    // ::1 may be unavailable (no IPv6): then listen fails and nothing is printed
    if (r.stdout.trim()) expect(r.stdout.trim()).toBe("::1")
  })

  test("listeners() finds the group's socket in /proc/net/tcp and it is loopback", async () => {
    const port = await freePort()
    const child = spawn(node!, ["--require", PRELOAD, "-e", `require("node:http").createServer().listen(${port})`], { detached: true, stdio: "ignore" })
    try {
      let found: string[] = []
      for (let i = 0; i < 100 && !found.length; i++) {
        await Bun.sleep(50)
        found = listeners(child.pid!)
      }
      expect(found).toEqual([`127.0.0.1:${port}`])
      expect(found.every(isLoopback)).toBe(true)
    } finally {
      await stopGroup(child)
    }
    expect(listeners(child.pid!)).toEqual([])
  })
})
