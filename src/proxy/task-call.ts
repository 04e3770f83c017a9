/**
 * @module proxy/task-call
 * A tool whose downstream definition says `execution.taskSupport: "required"` (MCP 2025-11-25
 * experimental tasks, SEP-1686) answers a plain tools/call with "method not found": it must be called
 * as a task. Clients such as Cursor speak no tasks, so such a call is made a task here and answered
 * as a plain call: `tools/call` with `task: { ttl }` → CreateTaskResult → `tasks/result` (which blocks
 * until the task is terminal, delivering on the way the server's elicitation/sampling requests of
 * `input_required`, relayed like any call's) → the tool result. A client that asked for progress gets
 * the task's status messages as progress (`tasks/get`, every `pollInterval`). The client cancelling,
 * or the call's timeout, sends `tasks/cancel`. A task ended `failed`/`cancelled` is a tool error
 * naming server, tool and the task's statusMessage.
 *
 * Only tools marked so at aggregation (proxy/surface `Route.task`) come here: other calls never pay for it.
 */
import { DownstreamError, errorMessage, type Logger } from "../core/index.ts"
import { badResponse, resultProblem, RpcError, type CallOptions, type ServerCapabilities } from "../pool/index.ts"
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
  pollInterval?: unknown
}

export interface TaskCallOptions {
  server: string
  tool: string
  args: Record<string, unknown>
  ctx: CallContext
  /** The server's capabilities (tasks.cancel decides whether `tasks/cancel` is sent). */
  capabilities: ServerCapabilities | undefined
  /** The call's budget (the tool's, the server's or pool.callTimeout), for the whole task. */
  timeoutMs: number
  /** When the call arrived, if it waited before reaching the pool (pool clock). */
  startedAt?: number
  /** The pool's clock, for the budget. */
  now(): number
  /** `pool.call` toward this server. */
  call(method: string, params: Record<string, unknown>, opts: CallOptions): Promise<unknown>
  /** The task was created (its id): the server's requests naming it belong to this call, until the returned function is called. */
  onTask?(taskId: string): () => void
  log: Logger
}

/** Run one tools/call of a task-required tool as a task and answer with its tool result. */
export async function callAsTask(o: TaskCallOptions): Promise<CallToolResult> {
  const { server, tool, ctx } = o
  const begun = o.startedAt ?? o.now()
  const left = (): number => Math.max(1, o.timeoutMs - (o.now() - begun))
  const created = await o.call("tools/call", { name: tool, arguments: o.args, task: { ttl: o.timeoutMs + TTL_MARGIN_MS } }, withCancel(ctx, { timeoutMs: o.timeoutMs, ...(o.startedAt !== undefined ? { startedAt: o.startedAt } : {}) }))
  const task = createdTask(created)
  if (task === undefined) {
    // a server that ran the call at once after all (no `task`): its tool result is the answer (checked by pool/rpc)
    if (!hasTask(created)) return created as CallToolResult
    throw badResponse("tools/call", `its answer to a task-augmented call has a task without a string taskId: ${preview((created as { task: unknown }).task)}`, "Fix or update the server; only this call failed.", tool)
  }
  const id = task.taskId
  o.log.debug("tool called as a task", { server, tool, taskId: id })
  const done = o.onTask?.(id)
  const poll = ctx.progressToken !== undefined ? new StatusPoll(o, id, task, left) : undefined
  try {
    const r = await o.call("tasks/result", { taskId: id }, withCancel(ctx, { timeoutMs: left() }))
    const problem = resultProblem("tools/call", r)
    if (problem !== undefined) throw badResponse("tasks/result", problem, "Fix or update the server; only this call failed.", tool)
    poll?.stop()
    return withoutTaskMeta(r as CallToolResult)
  } catch (e) {
    poll?.stop()
    if (isCode(e, "CANCELLED") || isCode(e, "TIMEOUT")) {
      cancelTask(o, id, isCode(e, "TIMEOUT") ? "timeout" : "client cancelled")
      if (isCode(e, "TIMEOUT")) {
        const err = e as DownstreamError
        const after = cancelDeclared(o.capabilities) ? "the task was cancelled (tasks/cancel)" : "the server cannot cancel tasks (no tasks.cancel capability), so it may still be running"
        throw new DownstreamError("TIMEOUT", `server ${server}: tool ${tool} (run as task ${id}) did not finish within ${Math.round(o.timeoutMs)} ms; ${after}`, {
          ...(err.remedy !== undefined ? { remedy: err.remedy } : {}),
          details: { ...err.details, server, tool, taskId: id },
        })
      }
      throw e
    }
    if (e instanceof RpcError) throw await endedBadly(o, id, e)
    throw e
  } finally {
    done?.()
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
 * `tasks/get` every pollInterval while the result is awaited, for a client that asked for progress:
 * each new status or status message goes to it as `notifications/progress` (`message`).
 */
class StatusPoll {
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  private count = 0
  private last = ""

  constructor(
    private readonly o: TaskCallOptions,
    private readonly id: string,
    first: Task,
    private readonly left: () => number,
  ) {
    this.seen(first)
    this.next(first.pollInterval)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
  }

  private next(interval: unknown): void {
    if (this.stopped) return
    const ms = typeof interval === "number" && Number.isFinite(interval) ? Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, interval)) : DEFAULT_POLL_MS
    this.timer = setTimeout(() => this.poll(), ms)
  }

  private poll(): void {
    if (this.stopped) return
    const o = this.o
    o.call("tasks/get", { taskId: this.id }, withCancel(o.ctx, { timeoutMs: Math.min(SIDE_REQUEST_MS, this.left()), idempotent: true })).then(
      (r) => {
        const t = createdTaskFields(r)
        if (t === undefined || this.stopped) return
        this.seen(t)
        if (!TERMINAL.has(String(t.status))) this.next(t.pollInterval)
      },
      (e: unknown) => {
        // progress is a courtesy: the result is still awaited
        if (!this.stopped) o.log.debug("tasks/get failed; no more task progress for this call", { server: o.server, tool: o.tool, taskId: this.id, error: errorMessage(e) })
      },
    )
  }

  private seen(t: Partial<Task>): void {
    const status = typeof t.status === "string" ? t.status : "working"
    const message = typeof t.statusMessage === "string" && t.statusMessage !== "" ? t.statusMessage : status
    const key = `${status}\u0000${message}`
    if (key === this.last || this.stopped) return
    this.last = key
    this.count++
    const token = this.o.ctx.progressToken
    if (token === undefined) return
    this.o.ctx.notify({ method: "notifications/progress", params: { progressToken: token, progress: this.count, message } }).catch(() => {})
  }
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

function preview(v: unknown): string {
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    s = String(v)
  }
  return s.length > 120 ? `${s.slice(0, 120)}…` : s
}
