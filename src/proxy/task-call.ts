/**
 * @module proxy/task-call
 * A tool whose downstream definition says `execution.taskSupport: "required"` (MCP 2025-11-25
 * experimental tasks, SEP-1686) answers a plain tools/call with "method not found": it must be called
 * as a task. Clients such as Cursor speak no tasks, so such a call is made a task here and answered
 * as a plain call: `tools/call` with `task: { ttl }` → CreateTaskResult → `tasks/result` (which blocks
 * until the task is terminal, delivering on the way the server's elicitation/sampling requests of
 * `input_required`, relayed like any call's) → the tool result. Meanwhile the task is read with
 * `tasks/get` every `pollInterval`: each change of it (status, status message, `lastUpdatedAt`) is
 * what a progress notification is to a plain call, it restarts the call's timeout (up to
 * pool.maxTotalTimeout), and a client that asked for progress gets the status messages as progress,
 * and the server's own progress: the call goes out with a progress token of ours, under which the
 * server may go on reporting until the task ends (SEP-1686); it is relayed with the client's token,
 * rate-limited as any call's progress (proxy/latest-only).
 * The client cancelling, or the timeout, sends `tasks/cancel`. A task ended `failed`/`cancelled` is a
 * tool error naming server, tool and the task's statusMessage.
 *
 * Only tools marked so at aggregation (proxy/surface `Route.task`) come here: other calls never pay for it.
 */
import { CallCancel, DownstreamError, errorMessage, HeldStream, listenAbort, unlistenAbort, type Logger } from "../core/index.ts"
import { badResponse, resultProblem, RpcError, shown, type CallOptions, type ServerCapabilities } from "../pool/index.ts"
import { LatestOnly, PROGRESS_PER_SECOND } from "./latest-only.ts"
import { progressParams } from "./progress-params.ts"
import type { CallContext, CallToolResult } from "./types.ts"

/** `_meta` key the receiver puts on `tasks/result` answers (and task-related messages). */
export const RELATED_TASK_META_KEY = "io.modelcontextprotocol/related-task"

/** Bounds of the `tasks/get` interval, whatever `pollInterval` the server suggests. */
const MIN_POLL_MS = 100
const MAX_POLL_MS = 30_000
/** Without a suggestion. */
const DEFAULT_POLL_MS = 1000
/** A `tasks/get` or `tasks/cancel` of ours waits at most this long (or the call's budget when shorter). */
const SIDE_REQUEST_MS = 10_000
/** The task is asked to be kept this long past the call's budget (time to fetch the result). */
const TTL_MARGIN_MS = 60_000

const TERMINAL = new Set(["completed", "failed", "cancelled"])

/** Whether `def` (a downstream tool definition) must be called as a task. */
export function taskRequired(def: unknown): boolean {
  const e = (def as { execution?: { taskSupport?: unknown } } | null | undefined)?.execution
  return typeof e === "object" && e !== null && e.taskSupport === "required"
}

/** The server declared task-augmented tools/call (`capabilities.tasks.requests.tools.call`). */
export function taskCallsDeclared(caps: ServerCapabilities | undefined): boolean {
  const t = caps?.tasks as { requests?: { tools?: { call?: unknown } } } | undefined
  const call = t?.requests?.tools?.call
  return typeof call === "object" && call !== null
}

function cancelDeclared(caps: ServerCapabilities | undefined): boolean {
  const c = (caps?.tasks as { cancel?: unknown } | undefined)?.cancel
  return typeof c === "object" && c !== null
}

const exposedDefs = new WeakMap<object, object>()

/**
 * The definition a client is shown for a task-required tool: without `taskSupport` (the orchestrator
 * declares no tasks to its clients and runs the task itself; the SDK Client refuses a plain call of a
 * tool listed as `required`). Memoized per definition object; every other definition is returned as is.
 */
export function exposedTaskTool<T extends object>(def: T): T {
  if (!taskRequired(def)) return def
  const hit = exposedDefs.get(def)
  if (hit !== undefined) return hit as T
  const { execution, ...rest } = def as T & { execution: Record<string, unknown> }
  const { taskSupport: _drop, ...keep } = execution
  const out = (Object.keys(keep).length > 0 ? { ...rest, execution: keep } : rest) as T
  exposedDefs.set(def, out)
  return out
}

interface Task {
  taskId: string
  status?: unknown
  statusMessage?: unknown
  lastUpdatedAt?: unknown
  pollInterval?: unknown
}

export interface TaskCallOptions {
  server: string
  tool: string
  args: Record<string, unknown>
  ctx: CallContext
  /** The server's capabilities (tasks.cancel decides whether `tasks/cancel` is sent). */
  capabilities: ServerCapabilities | undefined
  /** The call's budget (the tool's, the server's or pool.callTimeout), restarted by each change of the task. */
  timeoutMs: number
  /** pool.maxTotalTimeout: how long changes may keep the task going in all (never below `timeoutMs`). */
  maxTotalMs: number
  /** When the call arrived, if it waited before reaching the pool (pool clock). */
  startedAt?: number
  /** The pool's clock, for the budget. */
  now(): number
  /** What of the client's request `_meta` goes to the server (proxy/client-meta): merged under our progress token. */
  meta?: Record<string, unknown>
  /** `pool.call` toward this server. */
  call(method: string, params: Record<string, unknown>, opts: CallOptions): Promise<unknown>
  /**
   * The task was created (its id): the server's requests naming it belong to this call, until the
   * returned function is called. `hold` keeps the task's timeout from running out while one of them
   * waits on the client (a user answering an elicitation); it returns the release.
   */
  onTask?(taskId: string, hold: () => () => void): () => void
  /**
   * The server's `notifications/progress` under `token` (ours, sent in the call's `_meta`) go to
   * `listener` until the returned function is called. Without it no token is sent.
   */
  onProgressToken?(token: string, listener: (p: Record<string, unknown>) => void): () => void
  log: Logger
}

/** Run one tools/call of a task-required tool as a task and answer with its tool result. */
export async function callAsTask(o: TaskCallOptions): Promise<CallToolResult> {
  const { server, tool, ctx } = o
  const begun = o.startedAt ?? o.now()
  const cap = Math.max(o.timeoutMs, o.maxTotalMs)
  // a client that asked for progress: the server gets a token of ours, valid until the task ends
  const progress = ctx.progressToken !== undefined ? new TaskProgress(ctx) : undefined
  const token = progress !== undefined && o.onProgressToken !== undefined ? `mcpo-task-${crypto.randomUUID()}` : undefined
  // the server's progress restarts the timeout once the task exists, as a change of the task does
  let clock: TaskClock | undefined
  const fromServer = (p: Record<string, unknown>): void => {
    clock?.changed()
    progress!.fromServer(p)
  }
  const unroute = token !== undefined ? o.onProgressToken!(token, fromServer) : undefined
  let created: unknown
  try {
    const params = { name: tool, arguments: o.args, task: { ttl: cap + TTL_MARGIN_MS }, ...(token !== undefined ? { _meta: { ...o.meta, progressToken: token } } : o.meta !== undefined ? { _meta: o.meta } : {}) }
    created = await o.call("tools/call", params, withCancel(ctx, { timeoutMs: o.timeoutMs, ...(o.startedAt !== undefined ? { startedAt: o.startedAt } : {}), ...scriptCap(ctx) }))
  } catch (e) {
    unroute?.()
    progress?.end(!((ctx.cancel ?? ctx.signal).aborted ?? false))
    throw e
  }
  const task = createdTask(created)
  if (task === undefined) {
    unroute?.()
    progress?.end(true)
    // a server that ran the call at once after all (no `task`): its tool result is the answer (checked by pool/rpc)
    if (!hasTask(created)) return created as CallToolResult
    throw badResponse("tools/call", `its answer to a task-augmented call has a task without a string taskId: ${shown((created as { task: unknown }).task)}`, "Fix or update the server; only this call failed.", tool)
  }
  const id = task.taskId
  o.log.debug("tool called as a task", { server, tool, taskId: id })
  // the wait for the result ends on the client's cancellation, or when the task stays unchanged past the timeout
  const wait = new CallCancel()
  const source = ctx.cancel ?? ctx.signal
  const onClientCancel = (): void => wait.abort(new Error("cancelled by the client"))
  listenAbort(source, onClientCancel)
  clock = new TaskClock(o, begun, cap, () => wait.abort(new Error("the task's timeout")))
  const done = o.onTask?.(id, () => clock.hold())
  const poll = new StatusPoll(o, id, task, clock, progress)
  let answered = false
  try {
    // the tool's result comes here: a run_code script's cap holds for it as for a plain call's (pool/answer-cap)
    const r = await o.call("tasks/result", { taskId: id }, { cancel: wait, timeoutMs: Math.max(1, begun + cap - o.now()), ...scriptCap(ctx) })
    const problem = resultProblem("tools/call", r)
    if (problem !== undefined) throw badResponse("tasks/result", problem, "Fix or update the server; only this call failed.", tool)
    answered = true
    return withoutTaskMeta(r as CallToolResult)
  } catch (e) {
    const timedOut = clock.expired || isCode(e, "TIMEOUT")
    if (timedOut || (isCode(e, "CANCELLED") && (source.aborted ?? false))) {
      cancelTask(o, id, timedOut ? "timeout" : "client cancelled")
      if (timedOut) {
        const after = cancelDeclared(o.capabilities) ? "the task was cancelled (tasks/cancel)" : "the server cannot cancel tasks (no tasks.cancel capability), so it may still be running"
        throw new DownstreamError("TIMEOUT", `server ${server}: tool ${tool} (run as task ${id}) ${clock.why()}; ${after}`, {
          remedy: "Raise the tool's timeout (servers.<name>.toolTimeouts, servers.<name>.timeout or pool.callTimeout) if the task needs longer between changes, or pool.maxTotalTimeout for its whole run.",
          details: { server, tool, taskId: id, timeoutMs: Math.round(o.timeoutMs), elapsedMs: Math.round(o.now() - begun) },
        })
      }
    }
    if (e instanceof RpcError) throw await endedBadly(o, id, e)
    throw e
  } finally {
    poll.stop()
    clock.stop()
    unroute?.()
    // the last progress goes before the result; a cancelled call's client is told nothing more
    progress?.end(answered || !(source.aborted ?? false))
    unlistenAbort(source, onClientCancel)
    done?.()
  }
}

/**
 * The progress a task's client is sent under its own token: the task's new statuses (their status
 * messages, counted 1, 2, …) until the server reports progress of its own under our token; from then
 * on the server's, counted on from the statuses already sent (`progress` and `total` + that count),
 * so the value only goes up. Rate-limited like any call's progress: a burst, then at most
 * PROGRESS_PER_SECOND, the latest waiting; the last one goes out before the result. Their messages
 * are one stream read across (core/stream-tail), as a plain call's are: a key relayed a few
 * characters per status or progress message (a task relaying a token stream) is masked though no
 * message holds 6 characters of it; a message that may start one waits for the next (qa333).
 */
class TaskProgress {
  private readonly out: LatestOnly<Record<string, unknown>>
  private readonly stream: HeldStream<Record<string, unknown>>
  /** Status messages sent as progress. */
  private statuses = 0
  /** The server reports progress itself: its numbers are the client's from now on. */
  private own = false
  private ended = false

  constructor(ctx: CallContext) {
    const token = ctx.progressToken!
    this.out = new LatestOnly(PROGRESS_PER_SECOND, (p) => void ctx.notify({ method: "notifications/progress", params: { ...p, progressToken: token } }).catch(() => {}))
    this.stream = new HeldStream((p, text) => this.out.push(typeof p.message === "string" && p.message !== text ? { ...p, message: text } : p))
  }

  /** A new status of the task (its status message), unless the server reports progress itself. */
  status(message: string): void {
    if (this.own || this.ended) return
    this.statuses++
    this.stream.push({ progress: this.statuses, message }, message)
  }

  /** The server's `notifications/progress` under our token (its token removed or not). */
  fromServer(p: Record<string, unknown>): void {
    const bounded = progressParams(p)
    if (this.ended || bounded === undefined) return
    this.own = true
    const { progress, total, ...rest } = bounded as { progress: number; total?: unknown }
    const base = this.statuses
    const out: Record<string, unknown> = { ...rest, progress: base + progress, ...(typeof total === "number" && Number.isFinite(total) ? { total: base + total } : {}) }
    this.stream.push(out, typeof out.message === "string" ? out.message : "")
  }

  /** The call is over: the held and waiting ones go out (`flush`), or not (a cancelled call). */
  end(flush: boolean): void {
    if (this.ended) return
    this.ended = true
    if (flush) (this.stream.flush(), this.out.flush())
    else (this.stream.drop(), this.out.cancel())
  }
}

/**
 * The deadline of a task's wait: `timeoutMs` after its start or its last change (a change restarts
 * it, as progress does a plain call's), never past `cap` after the start; `onExpired` when it passes.
 */
class TaskClock {
  private deadline: number
  private timer: ReturnType<typeof setTimeout> | undefined
  private changes = 0
  private stopped = false
  /** Requests of the task waiting on the client: the timeout does not run out meanwhile. */
  private held = 0
  expired = false

  constructor(
    private readonly o: TaskCallOptions,
    private readonly begun: number,
    private readonly cap: number,
    private readonly onExpired: () => void,
  ) {
    this.deadline = Math.min(begun + o.timeoutMs, begun + cap)
    this.arm()
  }

  /** The task changed: the timeout starts again. */
  changed(): void {
    this.changes++
    this.deadline = Math.min(this.o.now() + this.o.timeoutMs, this.begun + this.cap)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
  }

  /** A request of the task waits on the client: no timeout until it is answered (then it restarts); the release. */
  hold(): () => void {
    this.held++
    let released = false
    return () => {
      if (released) return
      released = true
      this.held--
      this.changed()
    }
  }

  /** Why it expired, for the TIMEOUT message. */
  why(): string {
    const ms = Math.round(this.o.timeoutMs)
    const all = Math.round(this.o.now() - this.begun)
    if (this.changes === 0) return `did not finish within ${ms} ms`
    if (this.deadline >= this.begun + this.cap) return `did not finish within ${Math.round(this.cap)} ms (pool.maxTotalTimeout: each change of the task restarted its ${ms} ms timeout, up to that)`
    return `did not change for ${ms} ms and did not finish (${all} ms in all; each change of the task restarts its timeout)`
  }

  private arm(): void {
    if (this.stopped) return
    const now = this.o.now()
    // waiting on the client (never past the cap): looked at again a timeout later
    if (this.held > 0 && now < this.begun + this.cap) this.deadline = Math.min(now + this.o.timeoutMs, this.begun + this.cap)
    const left = this.deadline - now
    if (left <= 0) {
      this.expired = true
      return this.onExpired()
    }
    this.timer = setTimeout(() => this.arm(), left)
  }
}

/** The task a server→client request says it belongs to (`_meta["io.modelcontextprotocol/related-task"].taskId`). */
export function relatedTask(params: Record<string, unknown> | undefined): string | undefined {
  const meta = params?._meta as Record<string, unknown> | undefined
  const id = (meta?.[RELATED_TASK_META_KEY] as { taskId?: unknown } | undefined)?.taskId
  return typeof id === "string" ? id : undefined
}

/** The downstream's error to `tasks/result`: the task's own failure when it ended failed or cancelled. */
async function endedBadly(o: TaskCallOptions, id: string, e: RpcError): Promise<Error> {
  const t = await o
    .call("tasks/get", { taskId: id }, { timeoutMs: SIDE_REQUEST_MS, idempotent: true })
    .then(createdTaskFields, () => undefined)
  const status = t?.status
  // any other state (expired, unknown to the server, a server that does not block): its answer, saying which call and task
  if (status !== "failed" && status !== "cancelled") return new RpcError("tasks/result", e.rpcCode, `server ${o.server}: tool ${o.tool} (run as task ${id}${typeof status === "string" ? `, now ${status}` : ""}): tasks/result answered: ${e.message}`, e.data)
  const said = typeof t?.statusMessage === "string" && t.statusMessage.trim() !== "" ? t.statusMessage : undefined
  return new DownstreamError("TASK_FAILED", `server ${o.server}: tool ${o.tool} ran as task ${id}, which ended ${status}${said !== undefined ? `: ${said}` : " (no status message)"}; tasks/result answered: ${e.message}`, {
    remedy: status === "cancelled" ? "The server (or another client of it) cancelled the task; call the tool again if it is still wanted." : "See the server's status message; fix the arguments or the server, then call the tool again.",
    details: { server: o.server, tool: o.tool, taskId: id, status },
  })
}

/** `tasks/cancel`, in the background (best effort; a server without `tasks.cancel` is not asked). */
function cancelTask(o: TaskCallOptions, id: string, why: string): void {
  if (!cancelDeclared(o.capabilities)) {
    o.log.info("task left running: the server does not support tasks/cancel", { server: o.server, tool: o.tool, taskId: id, why })
    return
  }
  o.call("tasks/cancel", { taskId: id }, { timeoutMs: SIDE_REQUEST_MS }).then(
    () => o.log.info("task cancelled downstream", { server: o.server, tool: o.tool, taskId: id, why }),
    (err: unknown) => o.log.info("tasks/cancel not taken by the downstream", { server: o.server, tool: o.tool, taskId: id, why, error: errorMessage(err) }),
  )
}

/**
 * `tasks/get` every pollInterval (at most a third of the timeout) while the result is awaited: a
 * change of the task restarts the timeout (`TaskClock`), and for a client that asked for progress
 * each new status or status message goes to it as `notifications/progress` (`message`).
 */
class StatusPoll {
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  /** What was seen last: status, status message, lastUpdatedAt. */
  private last = ""
  private told = ""

  constructor(
    private readonly o: TaskCallOptions,
    private readonly id: string,
    first: Task,
    private readonly clock: TaskClock,
    private readonly progress: TaskProgress | undefined,
  ) {
    this.last = stateOf(first)
    this.tell(first)
    this.next(first.pollInterval)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
  }

  private next(interval: unknown): void {
    if (this.stopped) return
    const asked = typeof interval === "number" && Number.isFinite(interval) ? interval : DEFAULT_POLL_MS
    const ms = Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, asked, this.o.timeoutMs / 3))
    this.timer = setTimeout(() => this.poll(), ms)
  }

  private poll(): void {
    if (this.stopped) return
    const o = this.o
    o.call("tasks/get", { taskId: this.id }, withCancel(o.ctx, { timeoutMs: Math.min(SIDE_REQUEST_MS, o.timeoutMs), idempotent: true })).then(
      (r) => {
        const t = createdTaskFields(r)
        if (t === undefined || this.stopped) return
        const state = stateOf(t)
        if (state !== this.last) {
          this.last = state
          this.clock.changed()
          this.tell(t)
        }
        if (!TERMINAL.has(String(t.status))) this.next(t.pollInterval)
      },
      (e: unknown) => {
        if (this.stopped) return
        // a failed read is no change: the timeout runs on, and the task is read again
        o.log.debug("tasks/get failed", { server: o.server, tool: o.tool, taskId: this.id, error: errorMessage(e) })
        this.next(undefined)
      },
    )
  }

  /** A new status or status message, as progress to a client that asked for it. */
  private tell(t: Partial<Task>): void {
    if (this.progress === undefined || this.stopped) return
    const status = typeof t.status === "string" ? t.status : "working"
    const message = typeof t.statusMessage === "string" && t.statusMessage !== "" ? t.statusMessage : status
    const key = `${status}\u0000${message}`
    if (key === this.told) return
    this.told = key
    this.progress.status(message)
  }
}

/** What a change of a task is judged by. */
function stateOf(t: Partial<Task>): string {
  return `${String(t.status)}\u0000${String(t.statusMessage)}\u0000${String(t.lastUpdatedAt)}`
}

/** A run_code script's call takes no answer over what its sandbox can take in (ScriptCaller.maxAnswerBytes). */
function scriptCap(ctx: CallContext): Pick<CallOptions, "maxAnswerBytes"> {
  const bytes = ctx.script?.maxAnswerBytes
  return bytes !== undefined ? { maxAnswerBytes: bytes } : {}
}

function withCancel(ctx: CallContext, opts: CallOptions): CallOptions {
  if (ctx.cancel !== undefined) opts.cancel = ctx.cancel
  else opts.signal = ctx.signal
  return opts
}

function createdTask(r: unknown): Task | undefined {
  const t = (r as { task?: unknown } | null | undefined)?.task
  return createdTaskFields(t)
}

function createdTaskFields(t: unknown): Task | undefined {
  if (typeof t !== "object" || t === null) return undefined
  return typeof (t as Task).taskId === "string" ? (t as Task) : undefined
}

function hasTask(r: unknown): boolean {
  return typeof r === "object" && r !== null && (r as { task?: unknown }).task !== undefined
}

function isCode(e: unknown, code: string): boolean {
  return e instanceof DownstreamError && e.code === code
}

/** The result as a plain call's: the receiver's related-task mark is about a task the client never saw. */
function withoutTaskMeta(r: CallToolResult): CallToolResult {
  const meta = r._meta as Record<string, unknown> | undefined
  if (meta === undefined || !(RELATED_TASK_META_KEY in meta)) return r
  const { [RELATED_TASK_META_KEY]: _drop, ...rest } = meta
  const { _meta: _m, ...out } = r
  return (Object.keys(rest).length > 0 ? { ...out, _meta: rest } : out) as CallToolResult
}
