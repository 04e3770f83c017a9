/**
 * The example config (examples/servers.yaml) is a valid config once its placeholders are filled, and
 * `runDemo` drives it end to end as an MCP client (here against the proxy behind the bench's lean
 * stdio face, so it runs without the compiled binary; test/proxy/binary.test.ts runs the real one).
 */
import { describe, expect, test } from "bun:test"
import { chmodSync, copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { EXAMPLE_CONFIG, findRepo, resolveExample, runDemo } from "../../src/app/demo.ts"
import { ConfigSchema, parseConfigText } from "../../src/config/index.ts"
import { ROOT } from "./helpers.ts"
import { BIN, ensureBuilt, tempDir } from "../helpers/binary.ts"

describe("example config", () => {
  test("placeholders filled: a valid config whose server entry files exist", async () => {
    const text = resolveExample(EXAMPLE_CONFIG, { repo: ROOT, data: "/tmp/x", node: "node" })
    expect(text).not.toContain("${")
    const cfg = ConfigSchema.parse(parseConfigText(text, "servers.yaml").values)
    expect(Object.keys(cfg.servers).sort()).toEqual(["everything", "files", "memory"])
    expect(cfg.warm).toEqual(["everything"])
    for (const s of Object.values(cfg.servers)) {
      const entry = (s as { args: string[] }).args[0]!
      expect(await Bun.file(entry).exists()).toBe(true)
    }
    expect(findRepo()).toBe(ROOT)
  })

  test("runDemo: connects, lists, calls through the pool, prints latencies", async () => {
    const dir = tempDir("mcpo-demo-test-")
    const face = join(dir, "face")
    writeFileSync(face, `#!${process.execPath}\nawait import(${JSON.stringify(join(ROOT, "scripts", "bench", "_proxy-face.ts"))})\n`)
    chmodSync(face, 0o755)
    const lines: string[] = []
    await runDemo({ binary: face, out: (l) => lines.push(l) })
    const out = lines.join("\n")
    expect(out).toMatch(/tools\/list\s+[\d.]+ ms\s+\d+ tools/)
    expect(out).toContain("Echo: hello through the pool")
    expect(out).toMatch(/memory__read_graph.*"demo"/)
    expect(out).toContain("hello.txt")
    expect(out).toMatch(/p50 [\d.]+ ms/)
    expect(lines.at(-1)).toBe("demo OK")
  }, 60_000)

  test("findRepo walks up: from a subdirectory of the checkout, from a binary elsewhere or linked to dist (QA: demo failed outside the checkout's root)", () => {
    const outside = tempDir("mcpo-demo-find-")
    const sub = join(ROOT, "test", "proxy")
    // a copied binary outside any checkout, run from a subdirectory of one
    expect(findRepo(undefined, { binary: join(outside, "mcpo"), cwd: sub })).toBe(ROOT)
    expect(findRepo(undefined, { binary: join(outside, "mcpo"), cwd: join(ROOT, "src", "app") })).toBe(ROOT)
    // a link to a checkout's dist/mcp-orchestrator, run from anywhere
    const checkout = join(outside, "checkout")
    mkdirSync(join(checkout, "node_modules", "@modelcontextprotocol", "server-everything", "dist"), { recursive: true })
    writeFileSync(join(checkout, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js"), "")
    mkdirSync(join(checkout, "dist"))
    writeFileSync(join(checkout, "dist", "mcp-orchestrator"), "")
    mkdirSync(join(outside, "bin"))
    symlinkSync(join(checkout, "dist", "mcp-orchestrator"), join(outside, "bin", "mcp-orchestrator"))
    expect(findRepo(undefined, { binary: join(outside, "bin", "mcp-orchestrator"), cwd: outside })).toBe(checkout)
    // --repo first; nothing anywhere: not found
    expect(findRepo(ROOT, { cwd: outside })).toBe(ROOT)
    expect(findRepo(undefined, { binary: join(outside, "mcpo"), cwd: outside })).toBeUndefined()
  })

  test("the compiled binary, copied out of the checkout, runs the demo from a subdirectory of it", async () => {
    await ensureBuilt()
    const dir = tempDir("mcpo-demo-bin-")
    const bin = join(dir, "mcp-orchestrator")
    try {
      linkSync(BIN, bin)
    } catch {
      copyFileSync(BIN, bin)
      chmodSync(bin, 0o755)
    }
    const cwd = join(ROOT, "test", "proxy")
    const p = Bun.spawn([bin, "demo"], { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), XDG_CACHE_HOME: join(dir, "cache") } })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    expect(err).not.toContain("DEMO_NO_SERVERS")
    expect({ code, last: out.trim().split("\n").at(-1) }).toEqual({ code: 0, last: "demo OK" })
  }, 120_000)
})
