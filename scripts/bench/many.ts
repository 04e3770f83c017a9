/**
 * `bun run bench -- many`: 50 downstream servers × 100 recorded real tool definitions each
 * (scripts/bench/_fixture-server.ts), behind the compiled binary. Every figure is timed by a bare
 * JSON-RPC client (request written → last byte of its answer read; scripts/bench/_raw-client.ts):
 * the SDK `Client` spends ~80 ms validating a 5 000-tool list (its own cost, the same for any
 * server), which would hide the answer time. Figures, each with its target and the floor measured
 * in this run where one applies:
 *  - aggregated `tools/list` (5 000 tools) from warm sessions, ≤ 20 ms; floor: one SDK server
 *    answering the same 5 000 tools directly;
 *  - `tools/list` from the file cache on a warm start (spawn → answered), ≤ 50 ms; floors: the same
 *    warm start of a one-server config (what starting the binary costs, whatever the fleet), and a
 *    bare Bun binary answering with the same snapshot bytes (what moving the 5 MB answer costs);
 *  - a list change of one server re-aggregated, ≤ 5 ms: what the orchestrator adds between a
 *    server's change and the client's `list_changed` beyond its two coalescing windows (by design:
 *    `LIST_CHANGE_WINDOW_MS` before relisting the server, and again before telling the client),
 *    i.e. signal → our `list_changed` minus the two windows minus the same server's own signal →
 *    `list_changed` direct, paired per round; the server's own `tools/list` is part of it (we must
 *    list it again) and is shown next to it. Also signal → `list_changed` end to end, and what the
 *    client's first `tools/list` after it costs over the one right after (≈ 0: the new answer is
 *    built before `list_changed` is sent). Next to it, the same work as the orchestrator times it
 *    itself (its "tools list changed" and "tools list answer rebuilt" log lines, read from stderr):
 *    from the server's list read to the answer built, without the machine's scheduling noise;
 *  - orchestrator RSS (VmRSS) with the 50 sessions, ≤ 120 MiB;
 *  - one `tools/call` routed among 5 000 tools vs among 50 (one server × 50), ratio ≈ 1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { LIST_CHANGE_WINDOW_MS } from "../../src/proxy/index.ts"
import { STORM_CALM_MS } from "../../src/proxy/relist-pace.ts"
import { countTools, RawClient } from "./_raw-client.ts"
import { BIN, ensureBinary, ROOT, summarize, table, writeResult } from "./_util.ts"
import { bareLister, timeToList } from "./_warmstart.ts"

const SERVERS = Number(process.env.BENCH_SERVERS ?? 50)
const PER = Number(process.env.BENCH_TOOLS ?? 100)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const LISTS = 10
const CALLS = Number(process.env.BENCH_CALLS ?? 200)
const CHANGES = Number(process.env.BENCH_CHANGES ?? 11)
const FIXTURE = join(ROOT, "scripts", "bench", "_fixture-server.ts")
const DEFS = join(ROOT, "test", "fixtures", "tool-defs")
const MIB = 1024 * 1024

const home = mkdtempSync(join(tmpdir(), "mcpo-bench-many-"))
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: join(home, "k") }
const name = (i: number) => `s${String(i).padStart(2, "0")}`
const fixtureArgs = (count: number, seed: number) => [FIXTURE, DEFS, "--count", String(count), "--seed", String(seed)]

function config(file: string, servers: Array<{ name: string; count: number; seed: number }>, extra: Record<string, unknown> = {}): string {
  const p = join(home, file)
  const entries = servers.map((s) => [s.name, { command: process.execPath, args: fixtureArgs(s.count, s.seed) }])
  writeFileSync(p, JSON.stringify({ toolkit: { enabled: "off" }, proxy: { listWait: "120s" }, servers: Object.fromEntries(entries), ...extra }))
  return p
}
// the face's change line is debug (the proxy's is info); debug adds no line per request or call. Set
// in the file, not the environment: every run of this config (the warm starts too) has the same
// environment, which the early face's index checks before it answers from the snapshot
const many = config("many.json", Array.from({ length: SERVERS }, (_, i) => ({ name: name(i), count: PER, seed: i })), { log: { level: "debug" } })
const few = config("few.json", [{ name: name(0), count: 50, seed: 0 }])

async function connect(command: string, args: string[], logs?: RegExp): Promise<RawClient> {
  return RawClient.start([command, ...args], env, home, logs)
}

/** Our log lines timing a list change: the proxy's part, then the face's answer build. */
const CHANGE_LOGS = /"msg":"tools list (changed|answer rebuilt)"/

/** The `field` of the last captured log line with message `msg` (after `from` lines), or NaN. */
function loggedMs(c: RawClient, from: number, msg: string, field: string): number {
  const line = c.logs.slice(from).findLast((l) => l.includes(`"msg":"${msg}"`))
  const v = line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>)[field]
  return typeof v === "number" ? v : NaN
}

async function time(op: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await op()
  return performance.now() - t
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? (Number(m[1]) * 1024) / MIB : NaN
}

/** The fixture child of `parent` started with `--seed <seed>` (from /proc). */
function fixturePid(parent: number, seed: number): number {
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8")
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== parent) continue
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0")
      const i = argv.indexOf("--seed")
      if (i >= 0 && argv[i + 1] === String(seed) && argv.includes(FIXTURE)) return Number(d)
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no fixture child with seed ${seed} under ${parent}`)
}

/** Signal → `list_changed` at `client`, in ms (the fixture renames a tool on SIGUSR1). */
async function timeChange(client: RawClient, pid: number): Promise<number> {
  client.notes.length = 0 // earlier list_changed (servers coming up) are not this change's
  const t0 = performance.now()
  process.kill(pid, "SIGUSR1")
  const got = client.notification("notifications/tools/list_changed")
  const ms = (await Promise.race([got, Bun.sleep(10_000).then(() => NaN)])) - t0
  if (Number.isNaN(ms)) throw new Error("no list_changed within 10 s")
  return ms
}

const listMs = async (c: RawClient): Promise<number> => (await c.request("tools/list")).ms

await ensureBinary()
const total = SERVERS * PER
try {
  // --- warm sessions ---
  const ours = await connect(BIN, ["serve", "--config", many], CHANGE_LOGS)
  const tCold = performance.now()
  const toolsOf = (line: string): { name: string; inputSchema: { required?: string[] } }[] => (JSON.parse(line) as { result: { tools: { name: string; inputSchema: { required?: string[] } }[] } }).result.tools
  let listed = toolsOf((await ours.request("tools/list")).line)
  for (let i = 0; listed.length < total && i < 60; i++) {
    await Bun.sleep(1000)
    listed = toolsOf((await ours.request("tools/list")).line)
  }
  const coldMs = performance.now() - tCold
  listed = listed.filter((t) => /^s\d\d__/.test(t.name))
  if (listed.length !== total) throw new Error(`listed ${listed.length} tools, expected ${total}`)
  const direct = await connect(process.execPath, fixtureArgs(total, 0))
  const directCount = countTools((await direct.request("tools/list")).line)
  if (directCount !== total) throw new Error(`the direct floor server listed ${directCount}`)

  const oursList: number[] = []
  const floorList: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < LISTS; i++) oursList.push(await listMs(ours))
    for (let i = 0; i < LISTS; i++) floorList.push(await listMs(direct))
  }
  const wl = summarize(oursList)
  const fl = summarize(floorList)
  await Bun.sleep(1000)
  const rss = rssMiB(ours.pid)

  // --- a list change of one server ---
  const changed = await connect(process.execPath, fixtureArgs(PER, 7))
  const target = fixturePid(ours.pid, 7)
  const e2e: number[] = []
  const after: number[] = []
  const paired: number[] = []
  const floorChange: number[] = []
  const beyond: number[] = []
  const inProcess: number[] = []
  const proxyPart: number[] = []
  const serverList: number[] = []
  for (let i = 0; i < CHANGES; i++) {
    const logged = ours.logs.length
    const ms = await timeChange(ours, target)
    e2e.push(ms)
    const first = await ours.request("tools/list")
    after.push(first.ms)
    // paired with the list right after it (same machine moment): what the first costs over a repeated one
    paired.push(first.ms - (await ours.request("tools/list")).ms)
    const tools = toolsOf(first.line)
    const renamed = tools.some((t) => t.name.startsWith(`${name(7)}__`) && t.name.endsWith("_v2"))
    if (renamed !== (i % 2 === 0)) throw new Error("the list after list_changed does not show the rename")
    const direct = await timeChange(changed, changed.pid)
    floorChange.push(direct)
    beyond.push(ms - 2 * LIST_CHANGE_WINDOW_MS - direct)
    serverList.push(await listMs(changed))
    // by now (a list and a change direct later) the face's line, written before list_changed, is in
    const mine = loggedMs(ours, logged, "tools list changed", "reaggregatedMs")
    proxyPart.push(mine)
    inProcess.push(mine + loggedMs(ours, logged, "tools list answer rebuilt", "buildMs"))
    // one change at a time, as a user's server changes its list: the next after the calm that ends a
    // storm (a list different at every relist its list_changed asks for is paced: proxy/relist-pace)
    await Bun.sleep(STORM_CALM_MS + 300)
  }
  const ch = summarize(e2e)
  const af = summarize(after)
  const fc = summarize(floorChange)
  const firstOver = summarize(paired).p50
  const reagg = summarize(beyond).p50
  const sl = summarize(serverList)
  if (inProcess.some(Number.isNaN)) throw new Error(`a change without its log lines (${ours.logs.length} captured)`)
  const logged = summarize(inProcess).p50
  const loggedProxy = summarize(proxyPart).p50

  // --- a call routed among 5 000 tools vs among 50 ---
  const small = await connect(BIN, ["serve", "--config", few])
  const smallTools = toolsOf((await small.request("tools/list")).line)
  const pick = smallTools.find((t) => t.name.startsWith(`${name(0)}__`) && !t.inputSchema.required?.length)
  if (!pick) throw new Error("no tool without required arguments among the 50")
  if (!listed.some((t) => t.name === pick.name)) throw new Error(`${pick.name} not among the 5 000`)
  const call = (c: RawClient) => () => c.request("tools/call", { name: pick.name, arguments: {} })
  for (let i = 0; i < 100; i++) await Promise.all([call(ours)(), call(small)()])
  const bigCalls: number[] = []
  const smallCalls: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const b: number[] = []
    const s: number[] = []
    for (let i = 0; i < CALLS; i++) b.push(await time(call(ours)))
    for (let i = 0; i < CALLS; i++) s.push(await time(call(small)))
    bigCalls.push(...b)
    smallCalls.push(...s)
    ratios.push(summarize(b).p50 / summarize(s).p50)
  }
  const bc = summarize(bigCalls)
  const sc = summarize(smallCalls)
  const callRatio = summarize(ratios).p50

  await small.close()
  await changed.close()
  await direct.close()
  await ours.close() // the orchestrator writes its tool lists to the file cache
  await Bun.sleep(500)

  // --- warm start from the file cache ---
  // interleaved with the floor: the same warm start of the one-server config (50 tools), whose
  // snapshot the small session above left behind
  const warm: number[] = []
  const warmFloor: number[] = []
  const bareFloor: number[] = []
  const lister = await bareLister()
  const cacheDir = join(home, "k", "mcp-orchestrator")
  // the largest snapshot is the 5 000-tool one
  const snapshotFile = readdirSync(cacheDir)
    .filter((f) => f.endsWith(".snapshot.json"))
    .map((f) => join(cacheDir, f))
    .sort((a, b) => Bun.file(b).size - Bun.file(a).size)[0]!
  for (let i = 0; i < ROUNDS; i++) {
    const r = await timeToList(many, env)
    if (r.tools < total) throw new Error(`warm start listed ${r.tools} tools, expected ${total} from the cache`)
    warm.push(r.ms)
    warmFloor.push((await timeToList(few, env)).ms)
    const b = await timeToList(many, env, [lister, snapshotFile])
    if (b.tools < total) throw new Error(`the bare lister listed ${b.tools} tools`)
    bareFloor.push(b.ms)
  }
  const ws = summarize(warm)
  const wf = summarize(warmFloor)
  const bf = summarize(bareFloor)

  const verdict = (ok: boolean) => (ok ? "met" : "NOT met")
  console.log(`${SERVERS} servers × ${PER} recorded tools = ${total}; first (cold) aggregated list after ${coldMs.toFixed(0)} ms; ${ROUNDS} interleaved rounds\n`)
  console.log(table([
    { figure: "tools/list, warm sessions (p50)", ours: wl.p50, floor: fl.p50, unit: "ms", target: "≤ 20 ms", verdict: verdict(wl.p50 <= 20), "floor is": "one server listing the same 5 000 tools" },
    { figure: "tools/list, warm start from file cache (p50)", ours: ws.p50, floor: bf.p50, unit: "ms", target: "≤ 50 ms", verdict: verdict(ws.p50 <= 50), "floor is": `bare Bun binary answering the same bytes; 1 server × 50 tools: ${wf.p50.toFixed(1)}` },
    { figure: "list change re-aggregated, beyond the windows (p50)", ours: reagg, floor: sl.p50, unit: "ms", target: "≤ 5 ms", verdict: verdict(reagg <= 5), "floor is": `signal → list_changed − 2 × ${LIST_CHANGE_WINDOW_MS} ms − the server's own, per round; floor: its tools/list of ${PER} tools direct` },
    { figure: "re-aggregation in the orchestrator (p50)", ours: logged, floor: "", unit: "ms", target: "≤ 5 ms", verdict: verdict(logged <= 5), "floor is": `its log lines: server's list read → surface rebuilt ${loggedProxy.toFixed(2)} + the answer built` },
    { figure: "signal → list_changed at the client (p50)", ours: ch.p50, floor: fc.p50, unit: "ms", target: `(2 × ${LIST_CHANGE_WINDOW_MS} ms windows)`, verdict: "", "floor is": "the server's list_changed direct" },
    { figure: "first tools/list after list_changed, over the next (p50)", ours: firstOver, floor: "", unit: "ms", target: "≈ 0", verdict: "", "floor is": `paired per round; first list p50 ${af.p50.toFixed(1)}` },
    { figure: "orchestrator RSS with the sessions", ours: rss, floor: "", unit: "MiB", target: "≤ 120 MiB", verdict: verdict(rss <= 120), "floor is": "VmRSS" },
    { figure: "tools/call among 5 000 tools (p50)", ours: bc.p50, floor: sc.p50, unit: "ms", target: "ratio ≈ 1", verdict: `${callRatio.toFixed(2)}×`, "floor is": "the same call among 50 tools" },
  ]))
  console.log(`results: ${writeResult("many", { servers: SERVERS, perServer: PER, rounds: ROUNDS, coldMs, warmList: wl, floorList: fl, warmStart: ws, warmStartFloor: wf, warmStartBareFloor: bf, afterChange: af, firstListOverNextMs: firstOver, reaggregationMs: reagg, reaggregationLoggedMs: logged, reaggregationLoggedProxyMs: loggedProxy, serverListMs: sl, changeE2e: ch, changeDirect: fc, rssMiB: rss, callAmong5000: bc, callAmong50: sc, callRatio })}`)
} finally {
  rmSync(home, { recursive: true, force: true })
}
