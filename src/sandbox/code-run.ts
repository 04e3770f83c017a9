/**
 * @module sandbox/code-run
 * `runCode`: one script, run as the body of an async function in its own QuickJS instance on its
 * own worker (never a plugin worker), under a wall-time deadline, a memory cap and a result cap.
 * Its host calls are answered by the caller's `host` functions; a `CodeRunStop` thrown there ends
 * the run (a limit hit). When the run ends, for whatever reason, the worker is terminated and the
 * calls still in flight are aborted, so a hostile script can only ever hurt its own run.
 */
import { collectEncodings, errorMessage, Gate, nestsDeeperThan } from "../core/index.ts"
import { answerQueue } from "./answer-queue.ts"
import { compileScanAllowanceMs } from "./compile-budget.ts"
import { sandboxEntryUrl, STUCK_AFTER_MS } from "./spawn.ts"
import { transpileModule } from "./transpile.ts"
import { receivedFault, receivedLine } from "./received.ts"
import { quickjsWasm } from "./wasm.ts"
import { SandboxFault, WATCHDOG_GRACE_MS, type LogLevelName } from "./types.ts"
import { yieldCpu } from "./yield-cpu.ts"
import type { Logger } from "../core/index.ts"
import type { CodeFault, CodeFaultKind, CodeRunLimits, FromCodeWorker, HostFn, ToCodeWorker } from "./code-types.ts"

export type { CodeFault, CodeFaultKind, CodeRunLimits, HostFn } from "./code-types.ts"

/** Thrown by a host function to end the run with this fault (e.g. the call limit was reached). */
export class CodeRunStop extends Error {
  override name = "CodeRunStop"
  constructor(
    message: string,
    readonly kind: CodeFaultKind = "calls",
  ) {
    super(message)
  }
}

export interface CodeRunHost {
  /** `tools.<name>(args)`: resolve with JSON data; throw an Error to reject the guest's promise. */
  call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<unknown>
  /** `search(query, limit)`. */
  search(query: string, limit: number, signal: AbortSignal): Promise<unknown>
}

export interface CodeRunOptions {
  /** The body of an async function, JavaScript or TypeScript; sees `tools`, `search`, `input`, `console`. */
  code: string
  input?: unknown
  /** Tool names the script's `tools` enumerates (`Object.keys(tools)`, `name in tools`); calls are not limited to them. */
  names?: readonly string[]
  limits: CodeRunLimits
  host: CodeRunHost
  /** Console lines of the script, as they come. */
  onLog?(level: LogLevelName, msg: string): void
  /** Aborts the run (the client cancelled). */
  signal?: AbortSignal
  /** Told when a stuck run's thread gets the lowest CPU priority (sandbox/yield-cpu). */
  log?: Logger
}

export type CodeRunOutcome =
  /** unsettled: tool calls and searches still in flight when the script returned (cancelled with the run). */
  | { ok: true; value: unknown; bytes: number; unsettled: number; ms: number }
  | { ok: false; fault: CodeFault; ms: number }

/** File name the script's stack traces and error lines refer to. */
export const CODE_FILENAME = "run_code.ts"
const PREFIX = "async function __run(tools, search, input) { "

export async function runCode(opts: CodeRunOptions): Promise<CodeRunOutcome> {
  const t0 = performance.now()
  const done = (o: { ok: true; value: unknown; bytes: number; unsettled: number } | { ok: false; fault: CodeFault }): CodeRunOutcome => ({ ...o, ms: performance.now() - t0 })
  if (opts.signal?.aborted) return done({ ok: false, fault: { kind: "cancelled", message: "cancelled before it started" } })
  // TypeScript is a superset of the JavaScript a script is written in: always strip types. The
  // wrapper opens on the script's first line, so error lines are the script's own.
  let js: { code: string; sourceLine(line: number): number }
  try {
    js = transpileModule(`${PREFIX}${opts.code}\n}\n`, CODE_FILENAME)
  } catch (e) {
    const f = e instanceof SandboxFault ? e.toInfo() : { kind: "guest" as const, message: String(e) }
    return done({ ok: false, fault: scriptPosition(f, opts.code) })
  }
  let inputJson: string
  try {
    inputJson = JSON.stringify(opts.input ?? null) ?? "null"
  } catch (e) {
    return done({ ok: false, fault: { kind: "guest", message: `input is not JSON data: ${(e as Error).message}` } })
  }
  const wasm = await quickjsWasm()
  if (stuckRuns >= MAX_CONCURRENT_RUNS) {
    return done({ ok: false, fault: { kind: "crash", message: `run_code is unavailable: ${stuckRuns} earlier scripts are stuck in a native operation that cannot be interrupted (their threads end with it; restarting the orchestrator ends them now)` } })
  }
  // each run holds up to its memory cap in a WASM module of its own: bound how many exist at once
  if (!(await runSlots.acquire(opts.signal))) return done({ ok: false, fault: { kind: "cancelled", message: "cancelled while waiting for a sandbox slot" } })
  // what the script is handed (its code, its input, each answer) may go out as it is: a form of a
  // secret found in it came in (core/secret-encodings `Handed`), not out of the script
  const handedIn = new Set<string>()
  for (const text of [opts.code, inputJson]) collectEncodings(text, handedIn)
  const handed = (m: string): boolean => handedIn.has(m)
  return new Promise<CodeRunOutcome>((resolve) => {
    const calls = new AbortController()
    const w = new Worker(codeWorkerUrl(), { smol: true } as WorkerOptions)
    // The slot is held until the worker's thread has really ended, not when the run ends: a thread
    // stuck in one native operation ignores terminate() and keeps its core busy until that ends,
    // so stuck threads count against MAX_CONCURRENT_RUNS instead of piling up run after run.
    let exited = false
    let stuck = false
    let tid: number | undefined
    w.addEventListener("close", () => {
      if (exited) return
      exited = true
      if (stuck) stuckRuns--
      runSlots.release()
    })
    let over = false
    const finish = (o: Parameters<typeof done>[0]): void => {
      if (over) return
      over = true
      clearTimeout(watchdog)
      opts.signal?.removeEventListener("abort", onAbort)
      w.onmessage = null
      w.terminate()
      setTimeout(() => {
        if (exited || stuck) return
        stuck = true
        stuckRuns++
        if (opts.log) void yieldCpu(tid, opts.log, "a run_code script")
      }, STUCK_AFTER_MS).unref()
      calls.abort(new Error("run_code ended"))
      if (!o.ok && o.fault.line !== undefined) o.fault.line = js.sourceLine(o.fault.line)
      resolve(done(o))
    }
    // The interrupt handler stops JavaScript at the deadline; this also covers a script that is
    // only waiting on a tool call, and a native operation that never reaches the interrupt handler.
    const watchdog = setTimeout(
      () => finish({ ok: false, fault: { kind: "timeout", message: `wall time limit of ${opts.limits.timeoutMs} ms reached` } }),
      // the worker checks the compile estimate (compile-budget.ts) before the script's deadline starts
      opts.limits.timeoutMs + WATCHDOG_GRACE_MS + compileScanAllowanceMs(js.code.length),
    )
    const onAbort = (): void => finish({ ok: false, fault: { kind: "cancelled", message: "cancelled by the client" } })
    opts.signal?.addEventListener("abort", onAbort, { once: true })
    const post = (m: ToCodeWorker): void => {
      if (over) return
      if (m.op === "reply") collectEncodings(m.ok ? m.json : m.message, handedIn)
      w.postMessage(m)
    }
    // answers go to the worker a budget of characters at a time (sandbox/answer-queue)
    const answers = answerQueue((id, a) => post("json" in a ? { op: "reply", id, ok: true, json: a.json } : { op: "reply", id, ok: false, message: a.message }))
    const answer = (id: number, fn: HostFn, argsJson: string): void => {
      let job: Promise<unknown>
      // what a refusal of its answer names (the arguments' text is not kept for it: it may be MBs)
      let label = fn === "call" ? "a tool call" : "search()"
      try {
        const args = JSON.parse(argsJson) as unknown[]
        if (fn === "call") label = `tools[${JSON.stringify(String(args[0]).slice(0, 200))}]`
        job = fn === "call" ? opts.host.call(String(args[0]), args[1] as Record<string, unknown>, calls.signal) : opts.host.search(String(args[0]), Number(args[1]), calls.signal)
      } catch (e) {
        job = Promise.reject(e)
      }
      job.then(
        (v) => {
          // written as JSON only when it may go: a waiting answer is held once, as its value
          answers.push(id, () => written(v, opts.limits.memoryBytes, label))
        },
        (e: unknown) => {
          if (e instanceof CodeRunStop) finish({ ok: false, fault: { kind: e.kind, message: e.message } })
          else post({ op: "reply", id, ok: false, message: e instanceof Error ? e.message : String(e) })
        },
      )
    }
    w.onmessage = (ev: MessageEvent<FromCodeWorker>) => {
      const m = ev.data
      if (m.op === "log") opts.onLog?.(m.level, receivedLine(m.msg, handed))
      else if (m.op === "thread") tid = m.tid
      else if (m.op === "took") answers.took(m.id)
      else if (m.op === "host") answer(m.id, m.fn, m.argsJson)
      else if (m.ok) finish({ ok: true, value: JSON.parse(m.json).v as unknown, bytes: m.bytes, unsettled: m.unsettled })
      else finish({ ok: false, fault: receivedFault(m.fault, handed) })
    }
    w.onerror = (ev: ErrorEvent) => finish({ ok: false, fault: { kind: "crash", message: `sandbox worker failed: ${ev.message}` } })
    w.addEventListener("close", () => finish({ ok: false, fault: { kind: "crash", message: "sandbox worker exited" } }))
    w.postMessage({ op: "run", wasm, code: js.code, filename: CODE_FILENAME, inputJson, namesJson: JSON.stringify(opts.names ?? []), limits: opts.limits } satisfies ToCodeWorker)
  })
}

/**
 * A syntax error's position in the script as its author wrote it, not in the wrapper around it: a
 * column on the first line counts from the script's start (the wrapper opens on that line), and an
 * error the parser only found past the script's end (at the wrapper's closing brace: a bracket,
 * brace or string left open, an expression cut short, or a `}` too many that closed the wrapper
 * early) names the script's last line and says so, not a `}` the author never wrote.
 */
/**
 * Levels of arrays and objects a tool result handed to a script may nest (no real result comes
 * near): past it, JSON.stringify on the host spent seconds before overflowing (100 000 levels),
 * and the sandbox's JSON.parse overflows its stack from about 20 000.
 */
export const MAX_ANSWER_DEPTH = 2000

/** Why `v` (a tool result, search hits) is not handed to the script, or undefined. */
function unsendable(v: unknown): string | undefined {
  if (!nestsDeeperThan(v, MAX_ANSWER_DEPTH)) return undefined
  return `its result nests more than ${MAX_ANSWER_DEPTH} levels of arrays and objects deep, more than a script is handed`
}

/**
 * An answer as the JSON text the worker is handed, or why the script cannot be handed it (its call
 * rejects with that: a throw here left the call unanswered, and the script waited until its time
 * limit). A text longer than the run's memory cap cannot enter the guest (it is copied in, then
 * parsed there): refused before it is posted, as a rejection the script can catch, not a memory
 * fault of the whole run after a copy of it was made for the worker.
 */
function written(v: unknown, memoryBytes: number, label: string): { json: string } | { message: string } {
  const refused = unsendable(v)
  if (refused !== undefined) return { message: refused }
  let json: string
  try {
    json = JSON.stringify(v ?? null)
  } catch (e) {
    return { message: `the answer could not be handed to the script: ${errorMessage(e)}` }
  }
  if (json.length > maxAnswerChars(memoryBytes)) {
    return { message: `${label}: its result is ${json.length} characters of JSON, more than the script's memory (${Math.round(memoryBytes / 1048576)} MiB, codeMode.memory) can take in (at most half of it: the text and the value read from it both live there); ask the tool for less (a page, a range, a filter), call it outside run_code, or raise codeMode.memory` }
  }
  return { json }
}

/**
 * Characters of answer JSON a run can take in: half its memory cap. The text is copied into the
 * guest, then parsed there into a value at least as large (a string answer of 30 MiB failed in
 * 64 MiB as "out of memory", 29 MiB passed): a longer one can never enter, and was refused only
 * past the whole cap, or by the guest's bare "out of memory".
 */
export function maxAnswerChars(memoryBytes: number): number {
  return Math.floor(memoryBytes / 2)
}

function scriptPosition(f: CodeFault, code: string): CodeFault {
  if (f.line === undefined) return f
  const lines = code.split("\n")
  if (f.line > lines.length) {
    let last = lines.length
    while (last > 1 && lines[last - 1]!.trim() === "") last--
    return { ...f, line: last, message: "the script does not end as it should: a bracket, brace, parenthesis or string is left open, an expression is cut short, or a } too many closes it early" }
  }
  if (f.line !== 1) return f
  return { ...f, message: f.message.replace(/\(column (\d+)\)$/, (_, c: string) => `(column ${Math.max(1, Number(c) - PREFIX.length)})`) }
}

/** Code runs alive at once in this process; more wait (their wall time starts when they run). */
export const MAX_CONCURRENT_RUNS = 4

const runSlots = new Gate(MAX_CONCURRENT_RUNS)
/** Runs over whose threads have not ended (terminate() cannot stop a WASM loop). */
let stuckRuns = 0

/** Runs holding a slot and runs waiting for one (status, tests). */
export function codeRunStats(): { running: number; waiting: number } {
  return runSlots.stats
}

let resolved: string | undefined

/** The worker entry: next to this file in the source tree, under `sandbox/` in a compiled binary. */
function codeWorkerUrl(): string {
  return (resolved ??= sandboxEntryUrl(import.meta.url, "code-run", "code-worker"))
}
