/**
 * @module sandbox/worker
 * Worker entry: owns one GuestEngine and answers the host's messages one at a time. The host kills
 * this worker when a call outlives its deadline (native loops ignore the interrupt) or when the
 * engine reports that its WASM module may be corrupted.
 */
import { GuestEngine } from "./engine.ts"
import { hostFault } from "./faults.ts"
import { SAB_HEADER, SandboxFault, type FromWorker, type ResultMessage, type SandboxLimits, type ToWorker } from "./types.ts"

declare const self: Worker

type Request = Extract<ToWorker, { op: "load" | "call" }>

let init: { wasm: WebAssembly.Module; limits: SandboxLimits } | undefined
let engine: GuestEngine | undefined

const send = (m: FromWorker): void => self.postMessage(m)

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

async function ensureEngine(): Promise<GuestEngine> {
  if (engine) return engine
  if (!init) throw new SandboxFault({ kind: "crash", message: "sandbox worker not initialised" })
  engine = await GuestEngine.create(init.wasm, init.limits, (level, msg) => send({ op: "log", level, msg }))
  return engine
}

async function handle(m: Request): Promise<void> {
  try {
    const e = await ensureEngine()
    const json = m.op === "load" ? e.load(m.code, m.filename, m.deadlineMs) : e.call(m.path, m.args, m.deadlineMs)
    reply(m, { op: "result", id: m.id, ok: true, json })
  } catch (err) {
    const fault = err instanceof SandboxFault ? err : hostFault(err)
    const recycle = !(err instanceof SandboxFault) || (engine?.poisoned ?? true)
    reply(m, { op: "result", id: m.id, ok: false, fault: fault.toInfo(), recycle })
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data
  if (m.op === "init") init = { wasm: m.wasm, limits: m.limits }
  else if (m.op === "stats") send({ op: "result", id: m.id, ok: true, json: JSON.stringify({ v: { wasmBytes: engine?.wasmBytes() ?? 0 } }) })
  else void handle(m)
}
