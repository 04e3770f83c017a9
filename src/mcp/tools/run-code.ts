/**
 * @module mcp/tools/run-code
 * `run_code`: a JavaScript or TypeScript script, run as the body of an async function in its own
 * QuickJS sandbox (sandbox/code-run.ts), that chains tool calls in one step. The script sees
 * `tools.<name>(args)`, `search(query, limit)`, `input` and `console`; its returned JSON value is
 * the result, with the captured console lines. Every limit (wall time, tool calls, concurrent
 * calls, memory, result size) ends or shapes the run with a message that names it.
 *
 * The description lists the reachable tools as compact TypeScript signatures while they fit a
 * budget, else points at `search`. It is a getter computed from `reachable()` whenever it is read
 * (memoised per tool-name set): a holder that caches its list (OwnTools) must re-read
 * `description` when the tool list changes.
 */
import { z } from "zod"
import type { CallToolResult } from "@modelcontextprotocol/client"
import { errorMessage, formatDuration, Gate, redactString, quoteName, redactValuesChecked, secrets } from "../../core/index.ts"
import { guessToolNames, unmasked, type ScriptCaller } from "../../proxy/index.ts"
import { failureText, redactResultSecrets, redactToolError } from "../error-map.ts"
import type { CodeFault, CodeRunHost } from "../../sandbox/index.ts"
import { defineTool, type ToolDef } from "../tool-def.ts"
import { signatureBlock, type SignedTool } from "./code-signatures.ts"
import { MAX_QUERY_CHARS, missingNote, type ServerWithoutTools } from "./search-tools.ts"
import { refusesArguments, takesText } from "./argument-hint.ts"

export const RUN_CODE_NAME = "run_code"

export interface RunCodeLimits {
  timeoutMs: number
  maxCalls: number
  maxConcurrentCalls: number
  memoryBytes: number
  maxResultBytes: number
}

/** Same values as the `codeMode` config defaults. */
export const RUN_CODE_DEFAULT_LIMITS: RunCodeLimits = {
  timeoutMs: 30_000,
  maxCalls: 50,
  maxConcurrentCalls: 8,
  memoryBytes: 64 * 1024 * 1024,
  maxResultBytes: 1024 * 1024,
}

/** Characters of signatures the description may carry (≈ 600 tokens). */
export const SIGNATURE_BUDGET_CHARS = 2400

export interface RunCodeDeps {
  /** Calls an exposed tool exactly as call_tool does (route hooks, pins, filters, timeouts); signal aborts it. */
  call(name: string, args: Record<string, unknown> | undefined, signal: AbortSignal, script?: ScriptCaller, meta?: unknown): Promise<CallToolResult>
  /** Same ranking as search_tools. */
  search(query: string, limit: number): Promise<Array<{ name: string; description?: string; args?: string }>> | Array<{ name: string; description?: string; args?: string }>
  /**
   * Tools reachable from code (names + input schemas, output schemas when declared), for the
   * description's signatures: the same array while they are the same (the description is computed
   * again for another one).
   */
  reachable(): readonly SignedTool[]
  /**
   * Lists what is not listed yet (servers that have not answered a list in this process): a name
   * `reachable()` misses is looked up again after it, as call_tool would find it on a cold start.
   */
  refresh?(): Promise<void>
  /**
   * `name` is under a server whose tools are not in yet (starting, not started, its tools/list not
   * answered): it is called as call_tool would (the call waits for that server's listing within the
   * run's deadline, then routes or says what the server lists), without `refresh`'s wait for every server.
   */
  listing?(name: string): boolean
  limits: RunCodeLimits
  /**
   * The separator between a server's name and its tool's in exposed names (proxy.separator; undefined
   * when names are passed through unprefixed), for the guess after an unknown name (`echo` →
   * `everything__echo`); default `__`.
   */
  separator?(): string | undefined
  /** Why `name` is outside this connection's toolset (said instead of "not reachable"), else undefined. */
  outsideScope?(name: string): string | undefined
  /** Why a name it cannot reach cannot be called at all (hidden by a filter, its server removed…), as call_tool says; undefined: nothing known. */
  notCallable?(name: string): string | undefined
  /** Budget of the signature block in the description, characters (default SIGNATURE_BUDGET_CHARS). */
  signatureBudgetChars?: number
  /**
   * The servers that have no tools when the list is made (down, starting, their tool list not
   * answered yet): named after the signatures, so a model that reads this description once (a
   * client that never lists again) knows the signatures are not all there will be.
   */
  unlisted?(): readonly ServerWithoutTools[]
}

const MAX_SEARCH_LIMIT = 50
/** search() calls per run (each one ranks the whole index on our thread). */
const MAX_SEARCHES = 100

export const RunCodeInput = z
  .object({
    code: z.string().min(1).max(200_000).describe("Body of an async function (JavaScript or TypeScript); `return` the result."),
    input: z.record(z.string(), z.unknown()).optional().describe("JSON object the script sees as `input`."),
  })
  .strict()

// no field descriptions: this schema is in every tools/list of code mode (docs/proxy.md has them)
export const RunCodeOutput = z.object({
  result: z.unknown(),
  logs: z.array(z.string()).optional(),
  calls: z.number(),
  queued: z.number(),
  ms: z.number(),
})
type RunCodeResult = z.infer<typeof RunCodeOutput>

export function createRunCodeTool(deps: RunCodeDeps): ToolDef {
  let described: { tools: readonly SignedTool[]; text: string } | undefined
  const tool = defineTool({
    name: RUN_CODE_NAME,
    title: "Run code",
    get description(): string {
      // deps.reachable hands out the same array while the tools are the same (app/surface-tools):
      // no pass over 5 000 names to find out
      const tools = deps.reachable()
      if (described?.tools !== tools) described = { tools, text: runCodeDescription(tools, deps.limits, deps.signatureBudgetChars ?? SIGNATURE_BUDGET_CHARS) }
      return described.text + missingNote(deps.unlisted?.() ?? [])
    },
    input: RunCodeInput,
    output: RunCodeOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    example: {
      input: { code: 'const r = await tools.memory__read_graph({})\nconsole.log("entities", r.entities.length)\nreturn r.entities.map((e) => e.name)' },
    },
    answerExample: (tool) => ({ code: `const r = await tools[${JSON.stringify(tool)}]({})\nreturn r` }),
    errors: [],
    async handler(args, ctx) {
      const logs: string[] = []
      // the sandbox loads with the first run: a session that never runs code never evaluates it
      const { CodeRunStop, MAX_STACK_BYTES, runCode } = await import("../../sandbox/index.ts")
      // the run_code request's `_meta` (trace context) goes on each call of the script, as on a direct call
      const lane = callLane(deps, CodeRunStop, (line) => logs.push(line), ctx.meta)
      const out = await runCode({
        code: args.code,
        input: args.input,
        // as the lists show them: a tool named after a configured value is masked
        names: redactValuesChecked(deps.reachable().map((t) => t.name).filter((n) => n !== RUN_CODE_NAME)),
        limits: { timeoutMs: deps.limits.timeoutMs, memoryBytes: deps.limits.memoryBytes, stackBytes: MAX_STACK_BYTES, maxResultBytes: deps.limits.maxResultBytes },
        host: lane.host,
        onLog: (level, msg) => logs.push(level === "info" || level === "debug" ? msg : `[${level}] ${msg}`),
        signal: ctx.signal,
        log: ctx.log,
      })
      const ms = Math.round(out.ms)
      ctx.log.info("run_code", { ok: out.ok, ms, calls: lane.calls, queued: lane.queued, ...(out.ok ? { bytes: out.bytes } : { fault: out.fault.kind }) })
      // calls started and never awaited are cancelled with the run: a write may or may not have happened
      if (out.ok && out.unsettled > 0) logs.push(`[warn] ${out.unsettled} tool call${out.unsettled === 1 ? " or search was" : "s or searches were"} still running when the script returned, and ${out.unsettled === 1 ? "was" : "were"} cancelled: \`await\` every call (\`await Promise.all([...])\` for several) before returning`)
      const consoleText = logs.length ? `\n\nconsole:\n${logs.join("\n")}` : ""
      if (!out.ok) {
        const tool = lane.failedTool(out.fault)
        return { isError: true, text: `run_code failed: ${faultText(out.fault, deps.limits, tool)}${waitingHint(out.fault, lane.cut())}${argumentHint(out.fault, tool, deps)}${quotingHint(out.fault, args.code)}${hostApiHint(out.fault, args.code)}${bareToolHint(out.fault, deps)}${inputHint(out.fault, args)}${consoleText}` }
      }
      const structured: RunCodeResult = { result: out.value ?? null, calls: lane.calls, queued: lane.queued, ms }
      if (logs.length) structured.logs = logs
      // no `return` (or `return;`): the model would read the null as what its tools answered
      const text = out.value === undefined ? `null (the script returned nothing: \`return\` the value you want as the result)` : typeof out.value === "string" ? out.value : (JSON.stringify(out.value) ?? "null")
      return { text: text + consoleText, structured }
    },
  })
  return tool as unknown as ToolDef
}

/**
 * The host side of one run: reachability, the per-run call cap and a concurrency gate (calls over
 * it wait for a slot, FIFO), and the conversion of a tool result into what the script receives.
 */
function callLane(deps: RunCodeDeps, CodeRunStop: typeof import("../../sandbox/index.ts").CodeRunStop, warn: (line: string) => void, meta: unknown): { host: CodeRunHost; readonly calls: number; readonly queued: number; failedTool(f: CodeFault): string | undefined; cut(): CutCall[] } {
  const { maxCalls, maxConcurrentCalls } = deps.limits
  /**
   * The tool whose failure each rejection message is (the text is the tool's or the server's and
   * often does not name the tool): a script that does not catch it ends naming the tool, which in a
   * Promise.all of several calls is otherwise unknown.
   */
  const failures = new Map<string, string>()
  const failed = (name: string, e: unknown): never => {
    const message = e instanceof Error ? e.message : String(e)
    if (failures.size < MAX_FAILURES_KEPT && !failures.has(message)) failures.set(message, name)
    throw e
  }
  let calls = 0
  let searches = 0
  let queued = 0
  /** Calls at their server; those the run's end cut stay (`signal` aborted first): its time limit names them. */
  const atServer = new Set<CutCall>()
  const gate = new Gate(maxConcurrentCalls)
  let names: Set<string> | undefined
  let refreshed: Promise<void> | undefined
  /** The reachable tool `name` stands for: itself, or the one listed masked as it (a tool named after a configured value, proxy/masked-uri). */
  const known = (name: string): string | undefined => {
    if (names === undefined) return undefined
    const real = unmasked(name, names)
    return names.has(real) ? real : undefined
  }
  const reachable = async (name: string): Promise<string | undefined> => {
    if (names?.has(name)) return name
    // re-read on a miss: a tool that appeared since (a server enabled mid-session) is reachable at once
    names = new Set(deps.reachable().map((t) => t.name))
    if (known(name) !== undefined) return known(name)
    // under a server still listing (or not started): its call waits for that server alone
    if (deps.listing?.(name)) return name
    if (!deps.refresh) return undefined
    // not listed yet (a script run before any list): list once per run, then look again
    await (refreshed ??= deps.refresh().catch(() => {}))
    names = new Set(deps.reachable().map((t) => t.name))
    return known(name)
  }
  const host: CodeRunHost = {
    async call(name, args, signal) {
      // refused calls count too: a script looping over bad names must not flood the host for its whole run
      if (++calls > maxCalls) {
        calls = maxCalls
        throw new CodeRunStop(`tool call limit reached: a run may make at most ${maxCalls} tool calls (codeMode.maxCalls)`)
      }
      if (name === RUN_CODE_NAME) throw new Error("run_code cannot be called from inside run_code")
      // the guest checks for an object, but its JSON may be anything (a toJSON method, JSON replaced):
      // MCP arguments are an object, and a route hook or a server must never get anything else
      if (args !== undefined && (args === null || typeof args !== "object" || Array.isArray(args))) {
        throw new Error(`tools.${name}(args): the arguments must be a JSON object; they became ${Array.isArray(args) ? "an array" : args === null ? "null" : `a ${typeof args}`} as JSON (a toJSON method?)`)
      }
      const target = await reachable(name)
      if (target === undefined) {
        // the names it most likely stands for (another case or spelling of an exposed name), as call_tool says
        // a server's own name without its prefix (`echo` for `everything__echo`) is the likeliest slip;
        // masked as the lists show them: a tool named after a configured value must not reach the script
        const guess = redactValuesChecked(guessToolNames(name, names ?? [], ownNameAfter(deps.separator ? deps.separator() : "__")))
        const hint = guess.length && guess.length <= 3 ? ` (did you mean ${guess.map((g) => `tools[${JSON.stringify(g)}]`).join(" or ")}?)` : ""
        const outside = deps.outsideScope?.(name)
        if (outside !== undefined) throw new Error(`tool ${quoteName(name)} ${redactString(outside)}; find the tools of this toolset with search(query)`)
        // the reason a call of it gets (a filter, a removed or invalid server), not a bare "not reachable"
        const why = deps.notCallable?.(name)
        if (why !== undefined) throw new Error(`${redactString(why)}; find tool names with search(query)`)
        throw new Error(`tool ${quoteName(name)} is not reachable from run_code${hint}; find tool names with search(query)`)
      }
      // a call over the concurrency limit waits for a slot (FIFO); the run ending gives up the wait
      if (gate.stats.running >= maxConcurrentCalls) queued++
      if (!(await gate.acquire(signal))) throw new Error("run_code ended")
      try {
        // what enters the sandbox is redacted as what reaches the client is: a script could
        // otherwise return a secret reversed or spaced out, past any redaction of its output
        let r: CallToolResult
        // the server's questions during the call, refused (the script cannot answer them): said
        // with its failure, or beside the result it gave without the answer
        const asked: string[] = []
        // an answer the sandbox could not take in is dropped unread by the pool, never parsed here
        const script: ScriptCaller = { declined: (_server, method) => void (asked.includes(method) || asked.push(method)), maxAnswerBytes: answerCap(deps.limits.memoryBytes) }
        const mine: CutCall = { name, since: performance.now() }
        atServer.add(mine)
        try {
          r = await deps.call(target, args, signal, script, meta)
        } catch (e) {
          if (overCap(e)) return failed(name, new Error(overCapText(name, e, deps.limits.memoryBytes)))
          return failed(name, new Error(withAsked(redactString(failureText(e)), asked)))
        } finally {
          if (!signal.aborted) atServer.delete(mine)
        }
        if (!r.isError) {
          if (asked.length) warn(`[warn] tools[${JSON.stringify(name)}]: ${askedNote(asked)}; this result is what the tool answered without it`)
          return resultValue(redactResultSecrets(r))
        }
        try {
          return resultValue(redactToolError(r))
        } catch (e) {
          return failed(name, asked.length ? new Error(withAsked(e instanceof Error ? e.message : String(e), asked)) : e)
        }
      } finally {
        gate.release()
      }
    },
    async search(query, limit) {
      if (++searches > MAX_SEARCHES) throw new CodeRunStop(`search limit reached: a run may search at most ${MAX_SEARCHES} times`)
      // the ranking runs on our thread and cannot be interrupted: a query is bounded as search_tools' is
      if (query.length > MAX_QUERY_CHARS) throw new Error(`search(query): the query has ${query.length} characters, at most ${MAX_QUERY_CHARS} are accepted (as in search_tools); describe the task in a few words`)
      const n = Number.isFinite(limit) ? Math.min(Math.max(1, Math.floor(limit)), MAX_SEARCH_LIMIT) : 8
      // descriptions enter the sandbox as search_tools shows them (a definition quoting its key):
      // redacted here, not at the run's output, which a reversed or spaced-out copy passes
      return redactValuesChecked(await deps.search(query, n))
    },
  }
  return {
    host,
    failedTool(f) {
      if (f.kind !== "guest" || f.errorName !== "Error" || !failures.size) return undefined
      const exact = failures.get(f.message)
      if (exact !== undefined) return exact
      // the sandbox cuts a long message (faults.ts): the start of one recorded
      if (!f.message.endsWith("…")) return undefined
      const start = f.message.slice(0, -1)
      for (const [m, name] of failures) if (m.startsWith(start)) return name
      return undefined
    },
    cut: () => [...atServer],
    get calls() {
      return calls
    },
    get queued() {
      return queued
    },
  }
}

/** The pool dropped the call's answer unread: it was over what the script can take in (ScriptCaller.maxAnswerBytes). */
function overCap(e: unknown): e is { details: { bytes: number; ended?: boolean } } {
  const d = (e as { details?: { answerCap?: unknown; bytes?: unknown } } | undefined)?.details
  return d?.answerCap === true && typeof d.bytes === "number"
}

/** Worded as the refusal of an answer too large for the sandbox (code-run `written`), with its size as read. */
function overCapText(name: string, e: { details: { bytes: number; ended?: boolean } }, memoryBytes: number): string {
  const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`
  return `tools[${JSON.stringify(name)}]: its result is ${e.details.ended === true ? "" : "over "}${mib(e.details.bytes)} of JSON, more than the script's memory (${Math.round(memoryBytes / 1048576)} MiB, codeMode.memory) can take in (at most ${mib(answerCap(memoryBytes))}: the text and the value read from it both live there); it was dropped unread; ask the tool for less (a page, a range, a filter), call it outside run_code, or raise codeMode.memory`
}

/** Bytes of a downstream's answer a script can take in: half its memory, as sandbox/code-run `maxAnswerChars` (not imported: the sandbox loads with the first run). */
function answerCap(memoryBytes: number): number {
  return Math.floor(memoryBytes / 2)
}

/** A tool call still at its server when the run ended. */
interface CutCall {
  name: string
  since: number
}

/**
 * A run that hit its time limit while waiting for tool calls (a slow tool, a server that is still
 * starting or never answers): which ones and for how long, and what to do. The bare "did not finish"
 * read as the script's own fault (a loop) when the time was spent at a server.
 */
function waitingHint(f: CodeFault, cut: readonly CutCall[]): string {
  if ((f.kind !== "timeout" && f.kind !== "watchdog") || !cut.length) return ""
  const now = performance.now()
  const oldest = [...cut].sort((a, b) => a.since - b.since)
  const shown = oldest.slice(0, 3).map((c) => `tools[${JSON.stringify(c.name)}] (waiting ${formatDuration(Math.max(1000, Math.round((now - c.since) / 1000) * 1000))})`)
  const more = cut.length > 3 ? ` and ${cut.length - 3} more` : ""
  return `; it was waiting for ${shown.join(", ")}${more}, cancelled with the run: a tool that takes this long needs a longer codeMode.timeout, or call it outside run_code (its own name or call_tool), where the server's own timeout applies`
}

/** What a script is told of the questions a server asked during its call (refused: proxy/script-input). */
function askedNote(asked: readonly string[]): string {
  return `the server asked for ${asked.join(", ")} during the call, which a run_code script cannot answer (it was refused; no client was asked): ${OUTSIDE}`
}

const OUTSIDE = "call the tool outside run_code (its own name or call_tool) so the client can answer"


/** A failure of a call whose server asked something: the text says why, unless it says so already (ours). */
function withAsked(message: string, asked: readonly string[]): string {
  if (!asked.length) return message
  // the refusal's own words came back (the server quoted it, or ours): only what to do is missing
  if (/run_code script(, which)? cannot answer/.test(message)) return `${message}; ${OUTSIDE}`
  return `${message} (${askedNote(asked)})`
}

/**
 * What `await tools.x(args)` gives: structuredContent, else the text; a tool error rejects with its
 * text. A result with a block that is not text (image, audio, an embedded resource, a resource link)
 * gives `{ text, content }`: the text (placeholders for the other blocks) and the blocks as MCP
 * sent them, so a script can read a resource's text or blob, or pass an image's data on to
 * another tool; a string alone would have dropped them.
 */
export function resultValue(r: CallToolResult): unknown {
  if (r.isError) throw new Error(resultText(r) || "the tool reported an error")
  if (r.structuredContent !== undefined) return r.structuredContent
  const content = r.content ?? []
  if (content.every((c) => c.type === "text")) return resultText(r)
  // an image's or audio's bytes reach a client as pixels and sound, but a script can decode them
  // into text it returns: a configured value in them is redacted as in a resource's blob
  const blocks = content.map((c) => {
    if (c.type !== "image" && c.type !== "audio") return c
    const data = secrets.redactBase64Data(c.data)
    return data === undefined ? c : { ...c, data }
  })
  return { text: resultText(r), content: blocks }
}

function resultText(r: CallToolResult): string {
  const parts: string[] = []
  for (const c of r.content ?? []) {
    if (c.type === "text") parts.push(c.text)
    else if (c.type === "image" || c.type === "audio") parts.push(`[${c.type} ${c.mimeType}]`)
    else if (c.type === "resource_link") parts.push(`[resource ${c.uri}]`)
    else if (c.type === "resource") parts.push("text" in c.resource ? c.resource.text : `[resource ${c.resource.uri}]`)
  }
  return parts.join("\n")
}

/** A tool's own name as the part of its exposed name after the first `sep` (none without a separator). */
function ownNameAfter(sep: string | undefined): (exposed: string) => string | undefined {
  return (e) => {
    if (sep === undefined || sep === "") return undefined
    const i = e.indexOf(sep)
    return i > 0 && i + sep.length < e.length ? e.slice(i + sep.length) : undefined
  }
}

/** Rejection messages remembered per run, to name the tool of an uncaught one. */
const MAX_FAILURES_KEPT = 64

function faultText(f: CodeFault, limits: RunCodeLimits, tool?: string): string {
  const at = f.line !== undefined ? ` (line ${f.line})` : ""
  switch (f.kind) {
    case "timeout":
    case "watchdog":
      // no line: QuickJS reports an interrupt at the start of the running function, not where it was
      // the time ran out reading what the script threw: its own code had ended, a getter had not
      // (sandbox/faults THROWN_READ_TIMEOUT; matched as text: the sandbox is loaded lazily, on the first run)
      if (f.message.includes("while reading the thrown value")) return `time limit: the run did not finish within ${formatDuration(limits.timeoutMs)} (codeMode.timeout): the script threw a value, and reading it (a message, name or stack getter, or toString) did not return; throw a plain Error`
      return `time limit: the run did not finish within ${formatDuration(limits.timeoutMs)} (codeMode.timeout)`
    case "memory":
      return `memory limit: the script used more than ${formatBytes(limits.memoryBytes)} (codeMode.memory): ${f.message}${at}`
    case "stack":
      return `stack limit: recursion too deep (stack overflow)${at}`
    case "result":
      // errorName: JSON.stringify refused the value (the sandbox's ResultError); else its size
      if (f.errorName !== undefined) {
        const reason = notJsonReason(f.message)
        // a call not awaited: its value never arrived, whatever it would have been
        if (reason.startsWith("a Promise")) return `the returned value is not JSON data: ${reason}, a tool call or async function that was not awaited (write \`await tools[...](args)\`, or \`await Promise.all([...])\` for several)`
        return `the returned value is not JSON data: ${reason} (return plain objects, arrays, strings, numbers, booleans or null: String(n) for a BigInt, no cycles, functions or symbols)`
      }
      return `result too large: ${f.message} (codeMode.maxResultBytes = ${formatBytes(limits.maxResultBytes)})`
    case "calls":
      return f.message
    case "cancelled":
      return `cancelled: ${f.message}`
    case "guest":
      // an uncaught failure of a tool call: which call it was (the text alone may not say)
      if (tool !== undefined) return `tools[${JSON.stringify(tool)}] failed and the script did not catch it: ${f.message}${at}`
      // `throw "text"`, `throw 42`, `throw null`: the sandbox writes it as `threw <JSON>`
      if (f.errorName === undefined && f.message.startsWith("threw ")) return `the script threw ${f.message.slice(6)}, a value that is not an Error (\`throw new Error("…")\` carries a message and the line)${at}`
      return `the script threw ${f.errorName ?? "an error"}: ${f.message}${at}`
    case "crash":
      return `sandbox failure: ${f.message}`
  }
}

/**
 * An uncaught tool failure that refuses the arguments: the tool's argument signature, which the
 * server's own words ("expected number, received string at a", in its own tool name) do not give
 * (the faces add the same to a direct call's refusal: ./argument-hint).
 */
function argumentHint(f: CodeFault, tool: string | undefined, deps: RunCodeDeps): string {
  if (tool === undefined || !refusesArguments(f.message)) return ""
  const t = deps.reachable().find((x) => x.name === tool)
  if (!t) return ""
  return `; ${takesText(`tools[${JSON.stringify(tool)}]`, t.inputSchema)}`
}

/**
 * A tool name with a character JavaScript does not allow in an identifier (`everything__get-sum`),
 * written after `tools.` as the signatures print it, is read as a subtraction (`tools.everything__get
 * - sum(…)`): the script dies on a ReferenceError naming the part after the `-`. Say what happened
 * and how to write the call.
 */
function quotingHint(f: CodeFault, code: string): string {
  if (f.kind !== "guest" || f.errorName !== "ReferenceError") return ""
  const missing = /^'(.+)' is not defined$/.exec(f.message)?.[1]
  if (missing === undefined) return ""
  for (const m of code.matchAll(/tools\.([A-Za-z_$][\w$]*(?:-[\w$]+)+)/g)) {
    const name = m[1]!
    if (!name.split("-").slice(1).includes(missing)) continue
    return `; tools.${name} is read as a subtraction (tools.${name.split("-")[0]} - ${name.split("-").slice(1).join(" - ")}) because the name is not a JavaScript identifier: write tools[${JSON.stringify(name)}](args)`
  }
  return ""
}

/** `input.x` in a run given no `input` argument: `input` is null, which the engine's TypeError does not say. */
function inputHint(f: CodeFault, args: { code: string; input?: unknown }): string {
  if (args.input !== undefined || f.kind !== "guest" || f.errorName !== "TypeError" || !/ of null$/.test(f.message) || !/\binput\s*(\.|\[)/.test(args.code)) return ""
  return "; `input` is null in this run: no `input` argument was given (pass `input: { … }` next to `code`, or write the values into the script)"
}

/** Globals of Node, browsers or Bun a script may reach for; the sandbox has none of them. */
const HOST_GLOBALS = new Set(["require", "fetch", "process", "Buffer", "setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "XMLHttpRequest", "WebSocket", "Bun", "Deno", "module", "exports", "__dirname", "__filename", "window", "document", "localStorage", "crypto", "TextEncoder", "TextDecoder", "atob", "btoa", "structuredClone", "URL", "URLSearchParams", "performance", "queueMicrotask"])

/**
 * A script written as a module or for Node/a browser: `import`/`export` (a syntax error in the body
 * of a function, "Unexpected fs"), `require`, `fetch`, timers… (a ReferenceError). Say what the
 * sandbox is and what to use instead, not only what the engine saw.
 */
function hostApiHint(f: CodeFault, code: string): string {
  if (f.kind !== "guest") return ""
  if (f.errorName === "SyntaxError" && f.line !== undefined && /^\s*(import|export)\b(?!\s*\()/.test(code.split("\n")[f.line - 1] ?? "")) {
    return "; a script is the body of an async function, not a module: import and export are not available (there are no packages or files to load); call tools with `await tools[\"<name>\"](args)` and `return` the result"
  }
  if (f.errorName !== "ReferenceError") return ""
  const missing = /^'(.+)' is not defined$/.exec(f.message)?.[1]
  if (missing === undefined || !HOST_GLOBALS.has(missing)) return ""
  return `; the sandbox is plain JavaScript with no Node, browser or Bun APIs (no modules, network, files, timers): reach the outside through \`await tools["<name>"](args)\`, find tools with \`await search(query)\``
}

/**
 * A tool called as a bare name (`await echo(…)`, `await everything__echo(…)`): a ReferenceError
 * that says nothing of `tools`. Name the exposed tools it stands for, as `tools.echo` is answered.
 */
function bareToolHint(f: CodeFault, deps: RunCodeDeps): string {
  if (f.kind !== "guest" || f.errorName !== "ReferenceError") return ""
  const missing = /^'(.+)' is not defined$/.exec(f.message)?.[1]
  if (missing === undefined || HOST_GLOBALS.has(missing)) return ""
  const guess = guessToolNames(missing, deps.reachable().map((t) => t.name), ownNameAfter(deps.separator ? deps.separator() : "__"))
  if (!guess.length || guess.length > 3) return ""
  return `; tools are called through \`tools\`: did you mean ${guess.map((g) => `await tools[${JSON.stringify(g)}](args)`).join(" or ")}?`
}

/** The sandbox's own wording (shared with plugin hooks: "hook result…"; the value is wrapped as `{ v }`) made about the returned value. */
function notJsonReason(message: string): string {
  const m = /^hook result is not JSON data: (\w+)(?: at key '(.*)')?$/.exec(message)
  if (!m) return message
  return `a ${m[1]}${m[2] !== undefined && m[2] !== "v" ? ` at key '${m[2]}'` : ""}`
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

/** The tool description: how to write a script, the limits, then the signatures or a pointer to search. */
export function runCodeDescription(tools: readonly SignedTool[], limits: RunCodeLimits, budgetChars: number): string {
  const head =
    "Run a JavaScript/TypeScript script (the body of an async function) in a sandbox to chain several tool calls in one step. " +
    "In scope: `await tools[\"<name>\"](args)` → the tool's structuredContent, else its text (with images, audio or resources: { text, content: the MCP content blocks }; a tool error rejects with its text; use Promise.all for parallel calls); " +
    "`await search(query, limit?)` → [{ name, description, args }] ranked like search_tools; `input` (the `input` argument); `console.log` (returned with the result). " +
    "`return` JSON data: it is the result. No network, files or timers except through tools. " +
    `Limits: ${formatDuration(limits.timeoutMs)}, ${limits.maxCalls} tool calls (${limits.maxConcurrentCalls} at once, more wait), ${formatBytes(limits.memoryBytes)} memory, ${formatBytes(limits.maxResultBytes)} result.`
  if (tools.length === 0) return `${head}\nNo tools are reachable right now; search(query) finds tools that appear later.`
  const block = signatureBlock(tools, budgetChars)
  if (block !== undefined) return `${head}\n${/\): /.test(block) ? "Tools (`: type` = the structuredContent a call resolves to):" : "Tools:"}\n${block}`
  return `${head}\n${tools.length} tools are reachable: find names and arguments with search(query) in the script (or the search_tools tool) before calling them.`
}

/** Limits from the `codeMode` config section (memory there is in MiB). */
export function runCodeLimits(c: { timeout: number; maxCalls: number; maxConcurrentCalls: number; memory: number; maxResultBytes: number }): RunCodeLimits {
  return { timeoutMs: c.timeout, maxCalls: c.maxCalls, maxConcurrentCalls: c.maxConcurrentCalls, memoryBytes: c.memory * 1024 * 1024, maxResultBytes: c.maxResultBytes }
}
