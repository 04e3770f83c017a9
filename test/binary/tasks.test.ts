/**
 * Tools that must be called as tasks (MCP 2025-11-25 experimental tasks, SEP-1686: `execution:
 * { taskSupport: "required" }`), through the binary, for clients that speak no tasks: the orchestrator
 * calls them as tasks itself and answers the plain tools/call (stdio, call_tool, run_code, HTTP).
 * Against server-everything's `simulate-research-query` (status messages as progress, elicitation
 * during `input_required`) and test/fixtures/servers/task-server.ts (a failing task, a task cancelled
 * by the client, a task past its timeout, progress the server reports under the call's token after
 * creating the task). Clients that send task-augmented requests themselves: the orchestrator declares
 * no tasks, so (MCP 2025-11-25, tasks: a receiver that did not declare the capability processes the
 * request normally) they get the tool's result, never a task.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { CallToolResultSchema, ElicitRequestSchema, type CallToolResult, type ElicitRequest } from "@modelcontextprotocol/sdk/types.js"
import { z } from "zod"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, startHttpBinary, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const TASK_SERVER = join(ROOT, "test", "fixtures", "servers", "task-server.ts")
const RAW_TASK_SERVER = join(ROOT, "test", "fixtures", "servers", "raw-task-server.ts")
const RESEARCH = "ev__simulate-research-query"

beforeAll(ensureBuilt, 120_000)

/** `hangTimeout`: the task server's hang-task gets this timeout (ms). */
function config(env: Record<string, string>, hangTimeout?: number): string {
  const cfg = join(env.HOME!, "c.yaml")
  writeFileSync(
    cfg,
    `toolkit:\n  enabled: "off"\nplugins:\n  enabled: false\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n  tk:\n    command: ${process.execPath}\n    args: ["${TASK_SERVER}"]\n${hangTimeout !== undefined ? `    toolTimeouts:\n      hang-task: ${hangTimeout}\n` : ""}`,
  )
  return cfg
}

/** The task server's tasks of `tool` (test/fixtures/servers/task-server.ts `task-statuses`). */
async function tasksOf(client: Client, tool: string): Promise<{ taskId: string; status: string; statusMessage?: string }[]> {
  const all = JSON.parse(text(await client.callTool({ name: "tk__task-statuses", arguments: {} }))) as { tool: string; taskId: string; status: string }[]
  return all.filter((t) => t.tool === tool)
}

const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("\n")

describe("a client with elicitation, over stdio", () => {
  let c: Connected
  const elicitations: ElicitRequest["params"][] = []
  beforeAll(async () => {
    const env = sandboxEnv()
    c = await connectBinary(["serve", "--config", config(env)], env, { elicitation: { form: {} } })
    c.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicitations.push(req.params)
      return { action: "accept", content: { interpretation: "snake" } }
    })
  }, 30_000)
  afterAll(() => c?.close())

  test("the task-required tool is listed as a plain tool (the orchestrator runs the task), so the SDK Client calls it", async () => {
    const tool = (await c.client.listTools()).tools.find((t) => t.name === RESEARCH)
    expect(tool).toBeDefined()
    expect(tool!.execution?.taskSupport).toBeUndefined()
  })

  test("a plain tools/call runs it as a task and answers with the task's result; status messages come as progress", async () => {
    const progress: { progress: number; message?: string }[] = []
    const r = await c.client.callTool({ name: RESEARCH, arguments: { topic: "tide pools" } }, undefined, { onprogress: (p) => void progress.push(p) })
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("# Research Report: tide pools")
    expect(text(r)).toContain("Stage 4: Generating report ✓")
    // the downstream's task mark is not passed on: the client made no task
    expect(JSON.stringify(r._meta ?? {})).not.toContain("related-task")
    // polled at the server's pollInterval: which stages a poll catches depends on timing, never their kind
    const messages = progress.map((p) => p.message)
    expect(messages.length).toBeGreaterThan(0)
    for (const m of messages) expect(["Gathering sources...", "Analyzing content...", "Synthesizing findings...", "Generating report..."]).toContain(m!)
    // progress only goes up
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress)
  }, 30_000)

  test("progress the server reports under the call's progressToken after creating the task reaches the client, with the client's token, counted on from the status messages", async () => {
    const progress: { progress: number; total?: number; message?: string }[] = []
    const r = await c.client.callTool({ name: "tk__progress-task", arguments: {} }, undefined, { onprogress: (p) => void progress.push(p) })
    expect(r.isError).toBeFalsy()
    // the server was given a token (ours), under which it reported after its CreateTaskResult
    expect(text(r)).toBe("done (progress token present)")
    const steps = progress.filter((p) => p.message?.startsWith("step "))
    expect(steps.map((p) => p.message)).toEqual(["step 1 of 3", "step 2 of 3", "step 3 of 3"])
    // one counter: the status messages sent before (1, …) and the server's steps after them; the last is total
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress)
    const last = steps.at(-1)!
    expect(last.progress).toBe(last.total!)
  }, 30_000)

  test("without progress asked for, no token goes to the server (as for any call)", async () => {
    const r = await c.client.callTool({ name: "tk__progress-task", arguments: {} })
    expect(text(r)).toBe("done (progress token absent)")
  }, 30_000)

  test("input_required: the server's elicitation reaches the client (server named, no task mark) and its answer finishes the task", async () => {
    const r = await c.client.callTool({ name: RESEARCH, arguments: { topic: "python", ambiguous: true } })
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("# Research Report: python (snake)")
    expect(elicitations).toHaveLength(1)
    const e = elicitations[0]!
    expect(e.message).toStartWith("[ev] The research query \"python\"")
    expect(e._meta?.["mcp-orchestrator/server"]).toBe("ev")
    expect(JSON.stringify(e._meta)).not.toContain("related-task")
  }, 30_000)

  test("call_tool and run_code reach it the same way", async () => {
    const [viaCallTool, viaCode] = await Promise.all([
      c.client.callTool({ name: "call_tool", arguments: { name: RESEARCH, arguments: { topic: "coral" } } }),
      c.client.callTool({ name: "run_code", arguments: { code: `return await tools["${RESEARCH}"]({ topic: "kelp" })` } }),
    ])
    expect(viaCallTool.isError).toBeFalsy()
    expect(text(viaCallTool)).toContain("# Research Report: coral")
    expect(viaCode.isError).toBeFalsy()
    expect(text(viaCode)).toContain("Research Report: kelp")
  }, 40_000)

  test("a task that fails is a tool error naming server, tool and the task's status message", async () => {
    const r = await c.client.callTool({ name: "tk__fail-task", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("TASK_FAILED")
    expect(text(r)).toContain("server tk: tool fail-task ran as task")
    expect(text(r)).toContain("ended failed: disk quota exceeded on /data")
  }, 30_000)

  test("a server that exits while its task runs fails that call only; the orchestrator stays up and the server comes back", async () => {
    const r = await c.client.callTool({ name: "tk__crash-task", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[SERVER_EXITED]")
    expect(text(r)).toContain("tasks/result")
    // restarted with backoff (pool.restartDelay): its next call is answered
    let after: unknown
    for (let i = 0; i < 100; i++) {
      after = await c.client.callTool({ name: "tk__task-statuses", arguments: {} })
      if (!(after as CallToolResult).isError) break
      await Bun.sleep(50)
    }
    expect((after as CallToolResult).isError).toBeFalsy()
  }, 30_000)

  test("the client cancelling its call cancels the task downstream (tasks/cancel)", async () => {
    const ac = new AbortController()
    const call = c.client.callTool({ name: "tk__hang-task", arguments: { note: "cancel me" } }, undefined, { signal: ac.signal })
    // the task exists downstream once the server lists it
    let statuses: { taskId: string; status: string }[] = []
    for (let i = 0; i < 200 && statuses.length === 0; i++) {
      statuses = await tasksOf(c.client, "hang-task")
      if (statuses.length === 0) await Bun.sleep(25)
    }
    expect(statuses.map((s) => s.status)).toEqual(["working"])
    ac.abort("user pressed stop")
    await expect(call).rejects.toThrow()
    for (let i = 0; i < 200 && statuses[0]?.status !== "cancelled"; i++) {
      await Bun.sleep(25)
      statuses = await tasksOf(c.client, "hang-task")
    }
    expect(statuses[0]?.status).toBe("cancelled")
  }, 30_000)
})

/** A tools/call with `task` (a 2025-11-25 task-augmented request) and what came back, as sent by a client that speaks tasks. */
async function taskAugmented(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await client.request({ method: "tools/call", params: { name, arguments: args, task: { ttl: 60_000 } } }, z.record(z.string(), z.unknown()))) as Record<string, unknown>
}

/** The JSON-RPC error code a request got (undefined: it was answered). */
async function errorCode(client: Client, method: string, params: Record<string, unknown>): Promise<number | undefined> {
  return client.request({ method, params } as never, z.record(z.string(), z.unknown())).then(
    () => undefined,
    (e: unknown) => (e as { code?: number }).code,
  )
}

/**
 * A client that speaks tasks (sends `task` on tools/call): the orchestrator declares no tasks
 * capability, so per MCP 2025-11-25 it processes the call normally and answers the tool result —
 * for a plain tool, a downstream tool that may run as a task, and one that must (run as a task by
 * the orchestrator itself) — and the tasks/* methods are unknown (-32601).
 */
async function expectPlainAnswersToTaskAugmentedCalls(client: Client): Promise<void> {
  expect(client.getServerCapabilities()?.tasks).toBeUndefined()
  const plain = await taskAugmented(client, "ev__echo", { message: "hi" })
  expect(plain.task).toBeUndefined()
  expect(CallToolResultSchema.parse(plain).content).toEqual([{ type: "text", text: "Echo: hi" }])
  // taskSupport "optional": the downstream is not asked for a task (the client could never fetch it from us)
  const optional = await taskAugmented(client, "tk__optional-task", { note: "x" })
  expect(optional.task).toBeUndefined()
  expect(text(optional)).toBe("ran as a task: x")
  const required = await taskAugmented(client, "tk__fail-task", {})
  expect(required.task).toBeUndefined()
  expect(required.isError).toBe(true)
  expect(text(required)).toContain("TASK_FAILED")
  // the same through call_tool
  const viaCallTool = await taskAugmented(client, "call_tool", { name: "ev__echo", arguments: { message: "via" } })
  expect(viaCallTool.task).toBeUndefined()
  expect(text(viaCallTool)).toBe("Echo: via")
  for (const method of ["tasks/get", "tasks/result", "tasks/cancel"]) expect(await errorCode(client, method, { taskId: "t-1" })).toBe(-32601)
  expect(await errorCode(client, "tasks/list", {})).toBe(-32601)
}

describe("a client that sends task-augmented calls (the orchestrator declares no tasks)", () => {
  test("over stdio: each call is answered with its tool result, never a task; tasks/* are unknown", async () => {
    const env = sandboxEnv()
    const c = await connectBinary(["serve", "--config", config(env)], env, {})
    try {
      await listUntil(c.client, "tk__optional-task")
      await listUntil(c.client, "ev__echo")
      await expectPlainAnswersToTaskAugmentedCalls(c.client)
    } finally {
      await c.close()
    }
  }, 30_000)
})

describe("timeouts and clients without elicitation", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    c = await connectBinary(["serve", "--config", config(env, 1000)], env, {})
    // both servers up: the timeout below is the task's, not a wait for the first tool list
    await listUntil(c.client, "tk__hang-task")
    await listUntil(c.client, RESEARCH)
  }, 30_000)
  afterAll(() => c?.close())

  test("a task past the call's timeout is a TIMEOUT tool error, and the task is cancelled downstream", async () => {
    const r = await c.client.callTool({ name: "tk__hang-task", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[TIMEOUT]")
    expect(text(r)).toContain("tool hang-task (run as task")
    // its one change (the status message set after creation) restarted the timeout once
    expect(text(r)).toMatch(/(did not finish within 1000 ms|did not change for 1000 ms and did not finish \(\d+ ms in all; each change of the task restarts its timeout\)); the task was cancelled \(tasks\/cancel\)/)
    let statuses: { status: string }[] = []
    for (let i = 0; i < 200 && statuses[0]?.status !== "cancelled"; i++) {
      statuses = await tasksOf(c.client, "hang-task")
      if (statuses[0]?.status !== "cancelled") await Bun.sleep(25)
    }
    expect(statuses[0]?.status).toBe("cancelled")
  }, 30_000)

  test("input_required with a client that cannot elicit does not hang: the server is told, and its task finishes", async () => {
    const r = await c.client.callTool({ name: RESEARCH, arguments: { topic: "python", ambiguous: true } })
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("elicitation unavailable")
  }, 30_000)
})

describe("servers that misbehave around tasks (raw JSON-RPC)", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nplugins:\n  enabled: false\nservers:\n  rt:\n    command: ${process.execPath}\n    args: ["${RAW_TASK_SERVER}"]\n    toolTimeouts:\n      lazy-task: 1000\n`)
    c = await connectBinary(["serve", "--config", cfg], env, {})
    await listUntil(c.client, "rt__lazy-task")
  }, 30_000)
  afterAll(() => c?.close())

  test("a CreateTaskResult whose taskId is no string is a BAD_RESPONSE naming the server and tool", async () => {
    const r = await c.client.callTool({ name: "rt__bad-task", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[BAD_RESPONSE]")
    expect(text(r)).toContain("(tool bad-task)")
    expect(text(r)).toContain("a task without a string taskId")
  })

  test("a task the server no longer knows: its tasks/result error, saying which server, tool and task", async () => {
    const err = await c.client.callTool({ name: "rt__gone-task", arguments: {} }).then(
      () => undefined,
      (e: unknown) => e as { code?: number; message?: string },
    )
    expect(err?.code).toBe(-32602)
    expect(err?.message).toContain("server rt: tool gone-task (run as task gone-1): tasks/result answered: Failed to retrieve task: Task not found")
  })

  test("past the timeout, a server without tasks.cancel is not sent tasks/cancel: the task is left running, and that is logged", async () => {
    const r = await c.client.callTool({ name: "rt__lazy-task", arguments: {} })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("[TIMEOUT]")
    expect(text(r)).toContain("tool lazy-task (run as task lazy-1) did not finish within 1000 ms; the server cannot cancel tasks (no tasks.cancel capability), so it may still be running")
    const methods = JSON.parse(text(await c.client.callTool({ name: "rt__methods", arguments: {} }))) as string[]
    expect(methods).toContain("tasks/result")
    expect(methods).not.toContain("tasks/cancel")
    // the log line reaches our end of the pipe a moment later
    for (let i = 0; i < 750 && !c.stderr().includes("task left running"); i++) await Bun.sleep(20)
    expect(c.stderr()).toContain("task left running: the server does not support tasks/cancel")
  }, 20_000)
})

/** server-everything alone, its research tool given `timeout` ms between changes and `pool.maxTotalTimeout` `total`. */
function researchConfig(env: Record<string, string>, timeout: number, total: number): string {
  const cfg = join(env.HOME!, "c.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nplugins:\n  enabled: false\npool:\n  maxTotalTimeout: ${total}\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n    toolTimeouts:\n      simulate-research-query: ${timeout}\n`)
  return cfg
}

describe("a task that keeps changing is alive, as a call that reports progress (its four stages take about 4 s)", () => {
  test("each change restarts the timeout: a task longer than its timeout finishes (no progress asked for)", async () => {
    const env = sandboxEnv()
    const c = await connectBinary(["serve", "--config", researchConfig(env, 2500, 600_000)], env, {})
    try {
      await listUntil(c.client, RESEARCH)
      const r = await c.client.callTool({ name: RESEARCH, arguments: { topic: "sea otters" } })
      expect(text(r)).toContain("# Research Report: sea otters")
      expect(r.isError).toBeFalsy()
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a user slower than the timeout to answer the task's elicitation: the task waits for the answer, then finishes", async () => {
    const env = sandboxEnv()
    const c = await connectBinary(["serve", "--config", researchConfig(env, 2500, 600_000)], env, { elicitation: { form: {} } })
    try {
      let asked = 0
      c.client.setRequestHandler(ElicitRequestSchema, async () => {
        asked++
        await Bun.sleep(3500)
        return { action: "accept", content: { interpretation: "snake" } }
      })
      await listUntil(c.client, RESEARCH)
      const r = await c.client.callTool({ name: RESEARCH, arguments: { topic: "python", ambiguous: true } })
      expect(asked).toBe(1)
      expect(text(r)).toContain("# Research Report: python (snake)")
      expect(r.isError).toBeFalsy()
    } finally {
      await c.close()
    }
  }, 30_000)

  test("changes keep it going only up to pool.maxTotalTimeout: then TIMEOUT, saying so", async () => {
    const env = sandboxEnv()
    // the timeout as wide as the other tests' (a change arrives within it even on a loaded machine),
    // the maximum total below the task's ~4 s
    const c = await connectBinary(["serve", "--config", researchConfig(env, 2500, 3000)], env, {})
    try {
      await listUntil(c.client, RESEARCH)
      const r = await c.client.callTool({ name: RESEARCH, arguments: { topic: "kelp" } })
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("[TIMEOUT]")
      expect(text(r)).toContain("did not finish within 3000 ms (pool.maxTotalTimeout: each change of the task restarted its 2500 ms timeout, up to that)")
    } finally {
      await c.close()
    }
  }, 30_000)
})

describe("over Streamable HTTP", () => {
  const TOKEN = "tasks-token-" + crypto.randomUUID()
  let proc: Bun.Subprocess<"ignore", "ignore", "pipe"> | undefined
  let url = ""
  const clients: Client[] = []
  beforeAll(async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    const started = await startHttpBinary(config(env), env)
    proc = started.proc
    url = started.url
  }, 30_000)
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {})
    proc?.kill("SIGTERM")
    await proc?.exited
  })

  async function connect(name: string, capabilities = {}): Promise<Client> {
    const c = new Client({ name, version: "1.0.0" }, { capabilities })
    await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
    clients.push(c)
    return c
  }

  test("the HTTP face answers the plain call with the task's result", async () => {
    const client = await connect("http")
    await client.listTools()
    const r = await client.callTool({ name: RESEARCH, arguments: { topic: "estuaries" } })
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("# Research Report: estuaries")
  }, 40_000)

  test("a client that sends task-augmented calls gets tool results, never tasks; tasks/* are unknown", async () => {
    const client = await connect("tasks-speaker")
    await listUntil(client, "tk__optional-task")
    await expectPlainAnswersToTaskAugmentedCalls(client)
  }, 40_000)

  test("two clients' tasks at once: each task's elicitation goes to the client whose call started it (by its task id)", async () => {
    const asked: Record<string, number> = { A: 0, B: 0 }
    const [a, b] = await Promise.all(
      ["A", "B"].map(async (name) => {
        const c = await connect(name, { elicitation: { form: {} } })
        c.setRequestHandler(ElicitRequestSchema, async () => {
          asked[name]!++
          return { action: "accept", content: { interpretation: `answer of ${name}` } }
        })
        await c.listTools()
        return c
      }),
    )
    // both calls are in flight when the server asks (its third stage, after two one-second stages)
    const [ra, rb] = await Promise.all([a!.callTool({ name: RESEARCH, arguments: { topic: "python", ambiguous: true } }), b!.callTool({ name: RESEARCH, arguments: { topic: "python", ambiguous: true } })])
    expect(text(ra)).toContain("# Research Report: python (answer of A)")
    expect(text(rb)).toContain("# Research Report: python (answer of B)")
    expect(asked).toEqual({ A: 1, B: 1 })
  }, 40_000)
})
