/**
 * @module sandbox/code-worker
 * Worker entry for one code run: builds a QuickJS instance with its own capped WASM memory, runs
 * the script as an async function, forwards its host calls (tools, search) as messages and
 * resolves the guest promises with the replies, then posts the JSON result or the fault. One run
 * per worker: the host terminates the worker afterwards, so nothing a script did can outlive it.
 */
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core"
import { newCappedModule, newCappedRuntime } from "./capped.ts"
import { compileBudgetError } from "./compile-budget.ts"
import { guestFault, hostFault, unwrapGuest } from "./faults.ts"
import { GUARDED_ARRAY_METHODS, MAX_LOG_CHARS as MAX_LINE_CHARS, MAX_RESULT_CHARS, PRELUDE } from "./prelude.ts"
import { newCompileCheck } from "./prelude-compile.ts"
import { guestLine } from "./guest-line.ts"
import { visibleText } from "./visible.ts"
import { charWindow, type CharWindow } from "./char-window.ts"
import { threadSelf } from "./thread-self.ts"
import { SandboxFault, type LogLevelName } from "./types.ts"
import type { CodeRunLimits, FromCodeWorker, HostFn, ToCodeWorker } from "./code-types.ts"

declare const self: Worker

/** Console lines and characters sent to the host per run; the rest are counted and reported once. */
const MAX_LOG_LINES = 200
const MAX_LOG_CHARS = 64 * 1024

/**
 * Guest-side bootstrap, evaluated before the script: the `tools` proxy, `search` and `input`, built
 * from the one host function. Intrinsics are captured first, so a script that replaces `JSON` or
 * `Promise` methods only breaks its own calls.
 */
const BOOTSTRAP = String.raw`(function (host, inputJson, namesJson) {
  "use strict";
  var stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray, TypeErrorCtor = TypeError;
  var PromiseCtor = Promise, reject = Promise.reject.bind(Promise), then = Promise.prototype.then, apply = Reflect.apply;
  var ErrorCtor = Error;
  function ask(fn, args) {
    var p;
    try { p = host(fn, stringify(args)); } catch (e) { return reject(e); }
    // an answer the host let in may still not fit beside what the script holds: said naming the
    // call and its size (the bare "out of memory" named neither, nor what to do)
    var label = fn === "call" ? "tools[" + stringify(String(args[0])) + "]" : "search()";
    return apply(then, p, [function (json) {
      try { return parse(json); } catch (e) {
        throw new ErrorCtor(label + ": its result (" + json.length + " characters of JSON) could not be read into the script's memory (codeMode.memory): " + (e && e.message) + "; ask the tool for less (a page, a range, a filter), keep less of earlier results, or raise codeMode.memory");
      }
    }]);
  }
  function kind(v) { return v === null || v === undefined ? String(v) : isArray(v) ? "an array" : typeof v === "object" ? "an object" : "a " + typeof v; }
  function call(name, args) {
    if (args === undefined) args = {};
    // the arguments as JSON text (a model's slip): taken as the object it holds, as call_tool takes it
    if (typeof args === "string") {
      var parsed;
      try { parsed = parse(args); } catch (e) { parsed = undefined; }
      if (parsed !== null && typeof parsed === "object" && !isArray(parsed)) args = parsed;
      else return reject(new TypeErrorCtor("tools." + name + "(args): args must be an object, got a string that is not a JSON object: pass the arguments as an object, e.g. tools[" + stringify(name) + "]({ key: value })"));
    }
    if (args === null || typeof args !== "object" || isArray(args)) return reject(new TypeErrorCtor("tools." + name + "(args): args must be an object, got " + kind(args) + ": pass the arguments as an object, e.g. tools[" + stringify(name) + "]({ key: value })"));
    return ask("call", [name, args]);
  }
  var cache = Object.create(null), NOT_TOOLS = Object.create(null), ProxyCtor = Proxy, get = Reflect.get;
  NOT_TOOLS.then = NOT_TOOLS.toJSON = NOT_TOOLS.toString = NOT_TOOLS.valueOf = NOT_TOOLS.constructor = 1;
  // tools.server.tool(args), a namespace the model imagined: the call goes out as "server.tool", so
  // the refusal names the exposed name it stands for instead of "not a function"
  function tool(name) {
    return cache[name] || (cache[name] = new ProxyCtor(function (args) { return call(name, args); }, {
      get: function (f, key, recv) {
        if (typeof key !== "string" || key in f || NOT_TOOLS[key] === 1) return get(f, key, recv);
        return tool(name + "." + key);
      }
    }));
  }
  // the reachable names when the run began: Object.keys(tools), for…in and "name in tools" list them
  // (they were [] and false, so a script looking for its tools found none); calls are not limited to them
  // Read at the first such question, not at every run's start (5 000 names are a 150 KB parse)
  // (the set made now: a script may replace Object.create before it asks)
  var listed, listedSet = Object.create(null), slice = Array.prototype.slice;
  function names() {
    if (listed === undefined) {
      listed = parse(namesJson);
      for (var i = 0; i < listed.length; i++) listedSet[listed[i]] = 1;
    }
    return listed;
  }
  function isListed(name) { return typeof name === "string" && (names(), listedSet[name] === 1); }
  var tools = new Proxy(Object.create(null), {
    get: function (t, name) {
      // names the engine itself looks up ("await tools", JSON, string conversion) are not tools
      if (typeof name !== "string" || NOT_TOOLS[name] === 1) return undefined;
      return tool(name);
    },
    ownKeys: function () { return apply(slice, names(), []); },
    has: function (t, name) { return isListed(name); },
    getOwnPropertyDescriptor: function (t, name) {
      return isListed(name) ? { value: tool(name), writable: false, enumerable: true, configurable: true } : undefined;
    },
    set: function () { return false; },
    defineProperty: function () { return false; },
    deleteProperty: function () { return false; }
  });
  // a query that is no string (an object, a number) was searched as "[object Object]": refused as search_tools refuses it
  function search(query, limit) {
    if (typeof query !== "string") return reject(new TypeErrorCtor("search(query, limit?): the query must be a string (the task in words, e.g. search(\"read a file\")), got " + kind(query)));
    if (limit !== undefined && typeof limit !== "number") return reject(new TypeErrorCtor("search(query, limit?): limit must be a number (1 to 50), got " + kind(limit)));
    return ask("search", [query, limit === undefined ? 8 : limit]);
  }
  return [tools, search, parse(inputJson)];
})`

const send = (m: FromCodeWorker): void => self.postMessage(m)

// the host lowers this thread's priority if the watchdog stops it inside a native operation (sandbox/yield-cpu)
const tid = threadSelf()
if (tid !== undefined) send({ op: "thread", tid })

interface Run {
  rt: QuickJSRuntime
  ctx: QuickJSContext
  helpers: QuickJSHandle
  promise: QuickJSHandle
  pending: Map<number, QuickJSDeferredPromise>
  limits: CodeRunLimits
  filename: string
  /** Deadline and memory trip, shared with the runtime's interrupt handler. */
  guard: { deadline: number; memoryTripped: boolean }
  finished: boolean
  logLines: number
  logChars: number
  logDropped: number
  /**
   * Call arguments handed to the host and not answered yet, within MAX_ARGS_IN_FLIGHT; the calls
   * held back keep their arguments in the guest's (capped) memory until they go.
   */
  calls: CharWindow
}

/**
 * Characters of tool-call arguments one run hands the host at once (above this, further calls wait
 * in the guest until answers come; one call alone always goes). The host holds several copies of
 * each (the message, the parsed arguments, what is written to the server): a script firing 8 calls
 * of 4 MiB each, 4 runs at once, took the orchestrator from 85 MB to 766 MB. Held back, the
 * arguments stay in the guest's memory, under its cap.
 */
export const MAX_ARGS_IN_FLIGHT = 8 * 1024 * 1024

let run: Run | undefined
let seq = 0

// A worker runs guest code from its first message on: the normal JIT policy (the binary starts
// with it scaled up for the main thread's start, core/jit.ts), for QuickJS's wasm too.
Bun.unsafe.setJITPolicy?.(1)

self.onmessage = (ev: MessageEvent<ToCodeWorker>) => {
  const m = ev.data
  if (m.op === "run") void start(m)
  else if (run && !run.finished) reply(run, m)
}

async function start(m: Extract<ToCodeWorker, { op: "run" }>): Promise<void> {
  if (run) return
  try {
    // QuickJS compiles in one step that neither the deadline nor the watchdog can stop
    // (compile-budget.ts): checked here, before the run's deadline starts, not on the host's main thread
    const refused = m.limits.nativeGuards === false ? undefined : compileBudgetError(m.code, "the script")
    if (refused) throw new SandboxFault({ kind: "guest", errorName: "RangeError", message: refused.message, line: refused.line })
    const module = await newCappedModule(m.wasm, m.limits, (text) => send({ op: "log", level: "warn", msg: `QuickJS engine output: ${visibleText(text)}` }))
    const guard = { deadline: performance.now() + m.limits.timeoutMs, memoryTripped: false }
    const rt = newCappedRuntime(module, guard)
    const ctx = rt.newContext()
    const r: Run = {
      rt,
      ctx,
      helpers: ctx.undefined,
      promise: ctx.undefined,
      pending: new Map(),
      limits: m.limits,
      filename: m.filename,
      guard,
      finished: false,
      logLines: 0,
      logChars: 0,
      logDropped: 0,
      calls: charWindow(MAX_ARGS_IN_FLIGHT),
    }
    run = r
    guarded(r, () => begin(r, m.code, m.inputJson, m.namesJson))
  } catch (e) {
    fail(run, e)
  }
}

/** Prelude (console, array guards, JSON helper), bootstrap (tools, search, input), then the script. */
function begin(r: Run, code: string, inputJson: string, namesJson: string): void {
  const { ctx } = r
  using logFn = ctx.newFunction("hostLog", (lvl, msg) => {
    // shown escaped, as a plugin's console line is (sandbox/engine): the lines reach the model, the
    // client's UI and its logs, where ESC [2J, a C1 CSI (U+009B), CR or U+202E would act or forge
    // what is shown; newline and tab stay. The returned value is data and is left as it is.
    const text = visibleText(guestLine(ctx.getString(msg)))
    // counted as the host logs it: cut to MAX_LINE_CHARS and "…" there (sandbox/received)
    const chars = Math.min(text.length, MAX_LINE_CHARS + 1)
    if (r.logLines >= MAX_LOG_LINES || r.logChars + chars > MAX_LOG_CHARS) {
      r.logDropped++
      return
    }
    r.logLines++
    r.logChars += chars
    send({ op: "log", level: ctx.getString(lvl) as LogLevelName, msg: text })
  })
  using hostFn = ctx.newFunction("host", (fnH, argsH) => {
    const id = ++seq
    const d = ctx.newPromise()
    r.pending.set(id, d)
    using lengthH = ctx.getProp(argsH, "length")
    const chars = ctx.getNumber(lengthH)
    const fn = ctx.getString(fnH)
    // a handle of our own: a call held back reads its arguments when it goes, after this callback
    const args = argsH.dup()
    r.calls.push(id, () => ({
      chars,
      send: () => {
        const argsJson = ctx.getString(args)
        args.dispose()
        send({ op: "host", id, fn: fn as HostFn, argsJson })
      },
    }))
    return d.handle
  })
  using factory = unwrap(r, ctx.evalCode(PRELUDE, "<prelude>", { type: "global", strict: true }))
  using guards = r.limits.nativeGuards === false ? ctx.undefined : unwrap(r, ctx.evalCode(JSON.stringify(GUARDED_ARRAY_METHODS)))
  using check = r.limits.nativeGuards === false ? ctx.undefined : newCompileCheck(ctx)
  r.helpers = unwrap(r, ctx.callFunction(factory, ctx.undefined, logFn, guards, check))
  using boot = unwrap(r, ctx.evalCode(BOOTSTRAP, "<bootstrap>", { type: "global", strict: true }))
  using inputH = ctx.newString(inputJson)
  using namesH = ctx.newString(namesJson)
  using globals = unwrap(r, ctx.callFunction(boot, ctx.undefined, hostFn, inputH, namesH))
  using tools = ctx.getProp(globals, 0)
  using search = ctx.getProp(globals, 1)
  using input = ctx.getProp(globals, 2)
  // the script defines the global function __run (see code-run.ts)
  using defined = unwrap(r, ctx.evalCode(code, r.filename, { type: "global" }))
  void defined
  using fn = ctx.getProp(ctx.global, "__run")
  if (ctx.typeof(fn) !== "function") throw new SandboxFault({ kind: "crash", message: "the script wrapper was not defined" })
  r.promise = unwrap(r, ctx.callFunction(fn, ctx.undefined, tools, search, input))
  drain(r)
}

function reply(r: Run, m: Extract<ToCodeWorker, { op: "reply" }>): void {
  const d = r.pending.get(m.id)
  if (!d) return
  r.pending.delete(m.id)
  // answered: its arguments leave the window, the calls held back go as far as it allows, in order
  r.calls.release(m.id)
  guarded(r, () => {
    const { ctx } = r
    if (m.ok) {
      using v = ctx.newString(m.json)
      // the text is in the guest's (capped) memory now: the host may hand the next answers
      send({ op: "took", id: m.id })
      d.resolve(v)
    } else {
      using err = ctx.newError(m.message)
      d.reject(err)
    }
    d.dispose()
    drain(r)
  })
}

/** Run pending jobs; when the script's promise has settled, post its result or its fault. */
function drain(r: Run): void {
  const { ctx, rt } = r
  using jobs = rt.executePendingJobs()
  if (jobs.error) throw guestFault(r, jobs.error)
  const state = ctx.getPromiseState(r.promise)
  if (state.type === "pending") {
    // an interrupt raised inside a promise job (an endless chain of .then) rejects that job's
    // promise instead of ending the run: the script then waits on nothing, but what stopped it is
    // the limit it hit, not a promise that can never settle
    if (r.guard.memoryTripped) throw new SandboxFault({ kind: "memory", message: "memory cap reached (interrupted)" })
    if (performance.now() > r.guard.deadline) throw new SandboxFault({ kind: "timeout", message: "deadline exceeded" })
    if (r.pending.size === 0) {
      throw new SandboxFault({ kind: "guest", message: "the script awaits a promise that can never settle (no tool call or search is in flight)" })
    }
    return
  }
  if (state.type === "rejected") {
    try {
      throw guestFault(r, state.error)
    } finally {
      state.error.dispose()
    }
  }
  using value = state.value
  // writing a value nested thousands deep overflows a stack inside JSON.stringify (the engine's, or
  // the WASM thread's native one): the value is the trouble, not recursion in the script
  let called: ReturnType<typeof ctx.callMethod>
  try {
    // the prelude stops writing past the larger of its own bound and this run's: a value over it is
    // refused before one native step copies all of it; a smaller one is measured exactly below
    using limit = ctx.newNumber(Math.max(r.limits.maxResultBytes, MAX_RESULT_CHARS))
    called = ctx.callMethod(r.helpers, "json", [value, limit])
  } catch (e) {
    const f = e instanceof SandboxFault ? e : hostFault(e)
    throw f.kind === "stack" ? TOO_DEEP : f
  }
  using j = called
  if (j.error) {
    const f = guestFault(r, j.error)
    // the engine's stack overflow, raised inside JSON.stringify and rewrapped by the prelude's json()
    throw f.kind === "stack" || (f.kind === "result" && f.message === "stack overflow") ? TOO_DEEP : f
  }
  const json = ctx.getString(j.value)
  // characters ≤ UTF-8 bytes: a string over the limit in characters is over it in bytes
  const bytes = json.length > r.limits.maxResultBytes ? json.length : Buffer.byteLength(json)
  if (bytes > r.limits.maxResultBytes) {
    throw new SandboxFault({ kind: "result", message: `the returned value is ${bytes} bytes of JSON (limit ${r.limits.maxResultBytes})` })
  }
  finishLog(r)
  r.finished = true
  // host calls the script started and never awaited: the run's end cancels them (code-run.ts)
  send({ op: "done", ok: true, json, bytes, unsettled: r.pending.size })
}

const TOO_DEEP = new SandboxFault({ kind: "result", errorName: "RangeError", message: "it is nested too deep to write as JSON (a structure thousands of levels deep, a long linked list)" })

function guarded(r: Run, fn: () => void): void {
  try {
    fn()
  } catch (e) {
    fail(r, e)
  }
}

function fail(r: Run | undefined, e: unknown): void {
  if (r) {
    if (r.finished) return
    finishLog(r)
    r.finished = true
  }
  const fault = e instanceof SandboxFault ? e : hostFault(e)
  send({ op: "done", ok: false, fault: fault.toInfo() })
}

function finishLog(r: Run): void {
  if (r.logDropped > 0) send({ op: "log", level: "warn", msg: `(${r.logDropped} more console lines dropped: at most ${MAX_LOG_LINES} lines or ${MAX_LOG_CHARS} characters per run)` })
}

const unwrap = unwrapGuest
