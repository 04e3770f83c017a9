/**
 * `bun run bench -- startup`: start of the compiled binary, spawn → `initialize` answered, median
 * of 20 runs, next to a bare Bun binary compiled with the same flags (the floor) measured in the
 * same run, interleaved. Two kinds of start, each its own row:
 *  - a restart (what Cursor does many times a day): a start like one that ran before with the same
 *    config, whose early index vouches for the config files — `initialize` is answered before the
 *    app is loaded (src/early-face.ts). Target: ≤ 1.5× the floor (and ≤ 40 ms);
 *  - the first start of a config (nothing stored: a fresh cache directory per run): the config is
 *    read and checked before the answer (an error in it ends the start unanswered, exit 2), so the
 *    app is loaded first. Shown with the same target, as a figure to watch.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult } from "./_util.ts"

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }) + "\n"

async function baselineBinary(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-"))
  const src = join(dir, "bare.ts")
  writeFileSync(
    src,
    `for await (const chunk of process.stdin) { const id = JSON.parse(String(chunk).split("\\n")[0]).id; process.stdout.write(JSON.stringify({jsonrpc:"2.0",id,result:{protocolVersion:"2025-06-18",capabilities:{},serverInfo:{name:"bare",version:"0"}}})+"\\n"); break }\nprocess.exit(0)\n`,
  )
  const out = join(dir, "bare")
  const p = Bun.spawn([process.execPath, "build", "--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "--outfile", out, src], { stdio: ["ignore", "ignore", "inherit"] })
  if ((await p.exited) !== 0) throw new Error("baseline build failed")
  return out
}

async function timeToInitialize(cmd: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now()
  const p = Bun.spawn(cmd, { stdin: "pipe", stdout: "pipe", stderr: "ignore", env, cwd: env.HOME })
  p.stdin.write(INIT)
  p.stdin.flush()
  const reader = p.stdout.getReader()
  let buf = ""
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buf += new TextDecoder().decode(value)
    if (buf.includes("\n")) break
  }
  const ms = performance.now() - t0
  if (!buf.includes('"result"')) throw new Error(`no initialize result from ${cmd[0]}: ${buf}`)
  p.kill()
  await p.exited
  return ms
}

/** One session that initializes and lists its tools, left to store what it stores (its early index). */
async function oneSession(env: Record<string, string>): Promise<void> {
  const p = Bun.spawn([BIN, "serve"], { stdin: "pipe", stdout: "pipe", stderr: "ignore", env, cwd: env.HOME })
  p.stdin.write(INIT)
  p.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n")
  p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }) + "\n")
  p.stdin.flush()
  const reader = p.stdout.getReader()
  let buf = ""
  while (!buf.includes('"id":2')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`the session ended before its tools/list answer: ${buf.slice(0, 300)}`)
    buf += new TextDecoder().decode(value)
  }
  await Bun.sleep(1500)
  p.stdin.end()
  await p.exited
}

await ensureBinary()
const bare = await baselineBinary()
const home = mkdtempSync(join(tmpdir(), "mcpo-bench-home-"))
const env = { PATH: process.env.PATH ?? "/usr/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
// a first start: nothing of an earlier run in its cache directory
let fresh = 0
const firstEnv = () => ({ ...env, XDG_CACHE_HOME: join(home, `first-${fresh++}`) })
await oneSession(env)
for (let i = 0; i < 3; i++) {
  await timeToInitialize([BIN, "serve"], env)
  await timeToInitialize([BIN, "serve"], firstEnv())
  await timeToInitialize([bare], env)
}
const ours: number[] = []
const first: number[] = []
const base: number[] = []
for (let i = 0; i < RUNS; i++) {
  // interleave so machine noise hits each equally
  ours.push(await timeToInitialize([BIN, "serve"], env))
  first.push(await timeToInitialize([BIN, "serve"], firstEnv()))
  base.push(await timeToInitialize([bare], env))
}
const o = summarize(ours)
const f = summarize(first)
const b = summarize(base)
console.log(table([
  { binary: "mcp-orchestrator serve, a restart", runs: o.n, "p50 ms": o.p50, "p90 ms": o.p90, "min ms": o.min },
  { binary: "mcp-orchestrator serve, first start of a config", runs: f.n, "p50 ms": f.p50, "p90 ms": f.p90, "min ms": f.min },
  { binary: "bare bun binary (floor)", runs: b.n, "p50 ms": b.p50, "p90 ms": b.p90, "min ms": b.min },
]))
const ratio = o.p50 / b.p50
const firstRatio = f.p50 / b.p50
const verdict = (ok: boolean): string => (ok ? "met" : "NOT met")
console.log(`\nrestart p50: ${o.p50.toFixed(1)} ms, ${ratio.toFixed(2)}× the bare-binary floor (${b.p50.toFixed(1)} ms) — target ≤ 1.5×: ${verdict(ratio <= 1.5)}; ≤ 40 ms: ${verdict(o.p50 <= 40)}`)
console.log(`first start of a config p50: ${f.p50.toFixed(1)} ms, ${firstRatio.toFixed(2)}× the floor — ≤ 1.5×: ${verdict(firstRatio <= 1.5)}; ≤ 40 ms: ${verdict(f.p50 <= 40)} (the config is read and checked before the answer)`)
console.log(`results: ${writeResult("startup", { runs: RUNS, ours: o, first: f, bare: b, ratio, firstRatio, targetRatio: 1.5, targetMs: 40, root: ROOT })}`)
