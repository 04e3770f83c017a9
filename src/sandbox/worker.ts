/**
 * @module sandbox/worker
 * Worker entry: one GuestEngine (its own WASM module and capped memory) per unit, answering the
 * host's messages one at a time. The host kills this worker when a call outlives its deadline
 * (a native loop the interrupt never sees); a unit whose module may be corrupted is rebuilt here.
 */
import { GuestEngine } from "./engine.ts"
import { BASE_BYTES } from "./capped.ts"
import { compileBudgetError } from "./compile-budget.ts"
import { hostFault } from "./faults.ts"
import { threadSelf } from "./thread-self.ts"
import { transpileToJson } from "./transpile.ts"
import { SAB_HEADER, SandboxFault, type FromWorker, type ResultMessage, type ToWorker } from "./types.ts"

declare const self: Worker

type Request = Extract<ToWorker, { op: "load" | "call" }>

let wasm: WebAssembly.Module | undefined
const engines = new Map<number, GuestEngine>()
/** Limits of each unit, kept from its load so a rebuilt engine gets the same ones. */
const limitsOf = new Map<number, Extract<ToWorker, { op: "load" }>["limits"]>()

const send = (m: FromWorker): void => self.postMessage(m)

/** The request under way (its console lines carry its id: FromWorker). */
let current = 0

// the host lowers this thread's priority if the watchdog stops it inside a native operation (sandbox/yield-cpu)
const tid = threadSelf()
if (tid !== undefined) send({ op: "thread", tid })

/**
 * WASM memory all units of this worker (one lane: every plugin's sandbox on it) may hold together.
 * Each unit is capped on its own (heap limit + WASM cap), but without this a lane held as many
 * caps as there are plugin files: 40 files keeping 20 MB each took 1.1 GB, 1000 of them would take
 * the machine. A unit starts at 16 MiB (mostly untouched, but a guest can fill it), so this is room
 * for 64 plugins that keep little state. A load or call that leaves the lane over it fails with a
 * `memory` fault and its unit is dropped (its memory freed; a call's unit is rebuilt fresh on its
 * next call), so after every request the lane is within it: it bounds a lane to this budget plus
 * one unit's cap.
 */
const LANE_MEMORY_BUDGET = 1024 * 1024 * 1024

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`

/**
 * Units a newer version of their plugin replaces (a hot reload: the load of the new version named
 * them): not counted toward the budget, since they only finish the calls already under way and
 * are dropped within the longest hook deadline + 1 s. Without this a reload near the budget failed
 * the new version for the memory the old one still held, and left the plugin unloaded. A lane
 * therefore holds at most the budget plus the versions being replaced (each within its own cap).
 * A new version that fails to load takes its claim back (the old one keeps serving).
 */
const released = new Set<number>()

/** WASM memory the lane's units hold now (the versions being replaced not counted). */
function laneBytes(): number {
  let total = 0
  for (const [unit, u] of engines) if (!released.has(unit)) total += u.wasmBytes()
  return total
}

/**
 * A load of a new unit when the lane has no room left for even a fresh sandbox (BASE_BYTES) fails at
 * once, before one is built: building 16 MiB only to fail after it cost each file past the budget
 * ≈ 17 ms and a sandbox, and a directory of thousands of plugin files held every tool call (refused
 * while plugins still load) for minutes.
 */
function checkLaneRoom(): void {
  const total = laneBytes()
  if (total + BASE_BYTES <= LANE_MEMORY_BUDGET) return
  throw new SandboxFault({
    kind: "memory",
    message: `plugins together hold too much sandbox memory: the plugins on this lane hold ${mib(total)} (limit ${mib(LANE_MEMORY_BUDGET)} for all of them, about 64 plugins), no room for this plugin's sandbox (${mib(BASE_BYTES)} at its start); load fewer plugins, or keep less state in module variables`,
  })
}

/** Fail the request when it left the lane over its budget (the unit is then dropped: recycle). */
function checkLaneBudget(e: GuestEngine, op: "load" | "call"): void {
  const total = laneBytes()
  if (total <= LANE_MEMORY_BUDGET) return
  e.poisoned = true
  throw new SandboxFault({
    kind: "memory",
    message: `plugins together hold too much sandbox memory: after this ${op} the plugins on this lane hold ${mib(total)} (limit ${mib(LANE_MEMORY_BUDGET)} for all of them, about 64 plugins), ${mib(e.wasmBytes())} of it this plugin's; load fewer plugins, or keep less state in module variables`,
  })
}

/** Answer by postMessage, or through the request's SharedArrayBuffer when the host waits synchronously. */
function reply(req: Request, m: ResultMessage): void {
  if (!req.sab) return send(m)
  const head = new Int32Array(req.sab, 0, 2)
  const body = new Uint8Array(req.sab, SAB_HEADER)
  let { written } = new TextEncoder().encodeInto(JSON.stringify(m), body)
  if (written >= body.length) {
    const tooBig: ResultMessage = { op: "result", id: m.id, ok: false, recycle: false, fault: { kind: "result", message: "hook result too large" } }
    written = new TextEncoder().encodeInto(JSON.stringify(tooBig), body).written
  }
  head[1] = written
  Atomics.store(head, 0, 1)
  Atomics.notify(head, 0)
}

async function engineFor(m: Request): Promise<GuestEngine> {
  const have = engines.get(m.unit)
  if (have) return have
  const limits = m.op === "load" ? m.limits : limitsOf.get(m.unit)
  if (!wasm || !limits) throw new SandboxFault({ kind: "crash", message: "sandbox unit not loaded" })
  const unit = m.unit
  const e = await GuestEngine.create(wasm, limits, (level, msg) => send({ op: "log", unit, level, msg, id: current }))
  engines.set(unit, e)
  return e
}

function drop(unit: number): void {
  const e = engines.get(unit)
  engines.delete(unit)
  released.delete(unit)
  if (e) e[Symbol.dispose]()
}

/**
 * QuickJS compiles in one step that neither the deadline nor the watchdog can stop
 * (compile-budget.ts): a source over the estimate is refused before anything is built for it.
 * Checked here, on the worker, not on the host's main thread (whose stop and first answers waited
 * for every file's scan); once per source (`checked` on a reload of one that passed).
 */
function refusedSource(m: Request): SandboxFault | undefined {
  if (m.op !== "load" || m.checked || m.limits.nativeGuards === false) return undefined
  const refused = compileBudgetError(m.code, "the module")
  return refused ? new SandboxFault({ kind: "guest", errorName: "RangeError", message: refused.message, line: refused.line }) : undefined
}

async function handle(m: Request): Promise<void> {
  const refused = refusedSource(m)
  if (refused) return reply(m, { op: "result", id: m.id, ok: false, fault: refused.toInfo(), recycle: false })
  if (m.op === "load") limitsOf.set(m.unit, m.limits)
  const releases = m.op === "load" ? (m.releases ?? []).filter((u) => engines.has(u) && !released.has(u)) : []
  for (const u of releases) released.add(u)
  let e: GuestEngine | undefined
  try {
    if (m.op === "load" && !engines.has(m.unit)) checkLaneRoom()
    e = await engineFor(m)
    // dropped while its engine was being built (a retired plugin's unit: "drop" came during the
    // WASM instantiation): built now, it would hold its memory, counted in the lane's budget, for good
    if (!limitsOf.has(m.unit)) {
      drop(m.unit)
      throw new SandboxFault({ kind: "crash", message: "sandbox disposed" })
    }
    current = m.id
    const json = m.op === "load" ? e.load(m.code, m.filename, m.deadlineMs) : e.call(m.path, m.args, m.deadlineMs)
    checkLaneBudget(e, m.op)
    reply(m, { op: "result", id: m.id, ok: true, json })
  } catch (err) {
    const fault = err instanceof SandboxFault ? err : hostFault(err)
    // the new version did not load: the one it was to replace serves on, and counts again
    for (const u of releases) released.delete(u)
    const recycle = !(err instanceof SandboxFault) || (e?.poisoned ?? true)
    if (recycle) {
      // the unit's WASM module may be corrupted: drop it (a new one is built on the next load)
      drop(m.unit)
      Bun.gc(false)
    }
    reply(m, { op: "result", id: m.id, ok: false, fault: fault.toInfo(), recycle })
  }
}

// A worker runs guest code from its first message on: the normal JIT policy (the binary starts
// with it scaled up for the main thread's start, core/jit.ts), for QuickJS's wasm too.
Bun.unsafe.setJITPolicy?.(1)

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data
  if (m.op === "init") wasm = m.wasm
  else if (m.op === "transpile") {
    try {
      send({ op: "result", id: m.id, ok: true, json: transpileToJson(m.code, m.filename) })
    } catch (err) {
      send({ op: "result", id: m.id, ok: false, recycle: false, fault: (err instanceof SandboxFault ? err : hostFault(err)).toInfo() })
    }
  } else if (m.op === "drop") {
    drop(m.unit)
    limitsOf.delete(m.unit)
  } else void handle(m)
}
