/**
 * @module test/faults/servers/task-tokens-server
 * A 2025-11-25 raw JSON-RPC stdio server whose task-required tools stream their configured
 * `TASK_API_KEY` 4 characters per message (a task relaying a model's token stream), so no message
 * holds 6 characters of it (qa333):
 * - `status-tokens`: each `tasks/get` answers the next piece as the task's `statusMessage` (the
 *   orchestrator relays each new status message as progress); the task completes after the last.
 * - `progress-tokens`: the pieces as `notifications/progress` under the call's progress token
 *   (SEP-1686: reported until the task ends), 60 ms apart; the task completes after the last.
 */
import { onStdinLines, sendLine as send } from "../../fixtures/servers/stdin-lines.ts"

const V = process.env.TASK_API_KEY ?? "unset"
const PIECES = ["streamed ", "bytes ", ...(V.match(/.{1,4}/g) ?? []), " HOME=/home/me"]
const required = { taskSupport: "required" }
const TOOLS = ["status-tokens", "progress-tokens"].map((name) => ({ name, description: `streams its environment (${name})`, inputSchema: { type: "object" }, execution: required }))
const now = new Date().toISOString()

interface Task {
  kind: string
  read: number
  done: boolean
  waiting: Array<() => void>
}
const tasks = new Map<string, Task>()
let next = 1

const view = (id: string, t: Task): Record<string, unknown> => ({
  taskId: id,
  status: t.done ? "completed" : "working",
  ...(t.kind === "status-tokens" && t.read > 0 ? { statusMessage: PIECES[t.read - 1] } : {}),
  createdAt: now,
  lastUpdatedAt: new Date().toISOString(),
  ttl: 60_000,
  pollInterval: 100,
})

function finish(t: Task): void {
  t.done = true
  for (const w of t.waiting.splice(0)) w()
}

onStdinLines(
  (line) => {
    const m = JSON.parse(line) as { id?: number; method?: string; params?: Record<string, any> }
    if (m.id === undefined) return
    const answer = (result: unknown): void => send({ jsonrpc: "2.0", id: m.id, result })
    const fail = (error: unknown): void => send({ jsonrpc: "2.0", id: m.id, error })
    const p = m.params ?? {}
    switch (m.method) {
      case "initialize":
        return answer({ protocolVersion: "2025-11-25", capabilities: { tools: {}, tasks: { cancel: {}, requests: { tools: { call: {} } } } }, serverInfo: { name: "task-tokens", version: "1.0.0" } })
      case "tools/list":
        return answer({ tools: TOOLS })
      case "ping":
        return answer({})
      case "tools/call": {
        if (p.task === undefined) return fail({ code: -32601, message: `Tool ${String(p.name)} requires task augmentation` })
        const id = `t${next++}`
        const t: Task = { kind: String(p.name), read: 0, done: false, waiting: [] }
        tasks.set(id, t)
        answer({ task: view(id, t) })
        if (t.kind === "progress-tokens") {
          const token = p._meta?.progressToken
          PIECES.forEach((piece, i) =>
            setTimeout(() => {
              if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: i + 1, total: PIECES.length, message: piece } })
              if (i === PIECES.length - 1) setTimeout(() => finish(t), 300)
            }, 100 + i * 60),
          )
        }
        return
      }
      case "tasks/get": {
        const t = tasks.get(String(p.taskId))
        if (t === undefined) return fail({ code: -32602, message: "Task not found" })
        // a status message per read: the next piece, until the last, then the task completes
        if (t.kind === "status-tokens" && t.read < PIECES.length) {
          t.read++
          if (t.read === PIECES.length) setTimeout(() => finish(t), 300)
        }
        return answer(view(String(p.taskId), t))
      }
      case "tasks/result": {
        const t = tasks.get(String(p.taskId))
        if (t === undefined) return fail({ code: -32602, message: "Task not found" })
        const out = (): void => answer({ content: [{ type: "text", text: `${t.kind} done` }] })
        return t.done ? out() : void t.waiting.push(out)
      }
      case "tasks/cancel":
        return answer({})
      default:
        return fail({ code: -32601, message: "Method not found" })
    }
  },
  { exitOnEnd: true },
)
