/**
 * Warm start through the compiled binary: spawn → `initialize` → first `tools/list` answered from
 * the file cache while the downstream (3 s boot) is still starting. Median of 20. Target ≤ 50 ms.
 * Measured next to a cold start of the same config (no cache: the list has to wait for the boot).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, ensureBinary, ROOT, summarize } from "./_util.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }
const LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" }

/**
 * Spawns the binary (or `cmd`), sends initialize + tools/list, returns ms until the list answer and
 * its tool count.
 */
export async function timeToList(cfg: string, env: Record<string, string>, cmd: string[] = [BIN, "serve", "--config", cfg]): Promise<{ ms: number; tools: number }> {
  const t0 = performance.now()
  const p = Bun.spawn(cmd, { stdin: "pipe", stdout: "pipe", stderr: "ignore", env, cwd: env.HOME })
  p.stdin.write(JSON.stringify(INIT) + "\n" + JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n" + JSON.stringify(LIST) + "\n")
  p.stdin.flush()
  const reader = p.stdout.getReader()
  const dec = new TextDecoder()
  // only each new chunk is searched for the line break: a 5 000-tool answer arrives in ~70 chunks
  let parts: string[] = []
  let tools = -1
  let ms = NaN
  while (tools < 0) {
    const { value, done } = await reader.read()
    if (done) break
    let text = dec.decode(value, { stream: true })
    let nl: number
    while ((nl = text.indexOf("\n")) >= 0) {
      parts.push(text.slice(0, nl))
      const line = parts.join("")
      parts = []
      text = text.slice(nl + 1)
      const end = performance.now() // the answer is in: parsing it here is the client's cost
      const m = JSON.parse(line) as { id?: number; result?: { tools?: unknown[] } }
      if (m.id === 2) {
        ms = end - t0
        tools = m.result?.tools?.length ?? 0
        break
      }
    }
    parts.push(text)
  }
  p.kill()
  await p.exited
  return { ms, tools }
}

/**
 * The floor of a warm start with a stored answer: a bare Bun binary (compiled with the build's
 * flags) that answers `initialize` and then `tools/list` with the answer bytes of a snapshot file
 * (`tools-*.snapshot.json`, read when asked) — spawning a process and moving those bytes, nothing else.
 * Run it as `[bin, snapshotFile]`.
 */
export async function bareLister(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-lister-"))
  const src = join(dir, "lister.ts")
  writeFileSync(
    src,
    `import { readFileSync } from "node:fs"
let buf = ""
for await (const chunk of Bun.stdin.stream()) {
  buf += new TextDecoder().decode(chunk)
  for (let nl = buf.indexOf("\\n"); nl >= 0; nl = buf.indexOf("\\n")) {
    const m = JSON.parse(buf.slice(0, nl))
    buf = buf.slice(nl + 1)
    if (m.method === "initialize") await Bun.write(Bun.stdout, JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "bare", version: "0" } } }) + "\\n")
    if (m.method === "tools/list") {
      const file = readFileSync(process.argv[2])
      const at = file.indexOf(',"answer":')
      await Bun.write(Bun.stdout, new Blob(['{"jsonrpc":"2.0","id":' + JSON.stringify(m.id) + ',"result":', file.subarray(at + 10, file.length - 1), "}\\n"]))
      process.exit(0)
    }
  }
}
`,
  )
  const out = join(dir, "lister")
  const p = Bun.spawn([process.execPath, "build", "--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "--outfile", out, src], { stdio: ["ignore", "ignore", "inherit"] })
  if ((await p.exited) !== 0) throw new Error("bare lister build failed")
  return out
}

export async function warmStart(runs = Number(process.env.BENCH_RUNS ?? 20)): Promise<{ warm: ReturnType<typeof summarize>; cold: { ms: number; tools: number }; targetMs: number }> {
  await ensureBinary()
  const home = mkdtempSync(join(tmpdir(), "mcpo-warm-"))
  try {
    const env = { PATH: process.env.PATH ?? "/usr/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
    const cfg = join(home, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  listWait: 10s\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--slow-boot", "3000"]\n`)
    const cold = await timeToList(cfg, env) // fills the cache (waits for the 3 s boot)
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      const r = await timeToList(cfg, env)
      if (r.tools <= 0) throw new Error("warm start listed no tools: the cache did not answer")
      samples.push(r.ms)
    }
    return { warm: summarize(samples), cold, targetMs: 50 }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
