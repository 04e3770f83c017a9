/**
 * The example config (examples/servers.yaml) is a valid config once its placeholders are filled, and
 * `runDemo` drives it end to end as an MCP client (here against the proxy behind the bench's lean
 * stdio face, so it runs without the compiled binary; test/proxy/binary.test.ts runs the real one).
 */
import { describe, expect, test } from "bun:test"
import { chmodSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { EXAMPLE_CONFIG, findRepo, resolveExample, runDemo } from "../../src/app/demo.ts"
import { ConfigSchema, parseConfigText } from "../../src/config/index.ts"
import { ROOT } from "./helpers.ts"
import { tempDir } from "../helpers/binary.ts"

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
})
