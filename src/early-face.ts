/**
 * @module early-face
 * Cold start of `serve` over stdio: a client (Cursor) spawns the binary and writes `initialize` at
 * once, then waits for the answer. This module answers it before the CLI, config, zod and the SDK
 * are even evaluated: it imports nothing, reads the first stdin line, and when that line is a
 * well-formed `initialize` request it writes the same answer the real face gives (version
 * negotiation, capabilities, server info: test/mcp/early-face.test.ts holds them equal). The bytes
 * read, that line included, are handed to the real stdio transport, which replays the request to
 * the SDK face (so it records the client's capabilities) and drops the second answer.
 * Anything unusual (another first message, a malformed one, no line in time) is left to the real
 * face untouched.
 */
import pkg from "../package.json" with { type: "json" }
import type { StdinHandover } from "./mcp/index.ts"


/** Kept equal to the SDK's LATEST_PROTOCOL_VERSION / SUPPORTED_PROTOCOL_VERSIONS (tested). */
export const EARLY_LATEST = "2025-11-25"
export const EARLY_SUPPORTED: readonly string[] = [EARLY_LATEST, "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"]
/** Kept equal to the face's capabilities and server info in mcp/server.ts (tested). */
export const EARLY_CAPABILITIES = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { listChanged: true, subscribe: true },
  logging: {},
  completions: {},
}
export const EARLY_SERVER_INFO = { name: "mcp-orchestrator", version: pkg.version, title: "MCP Orchestrator" }

/** How long to wait for the first line before leaving everything to the normal path. */
const FIRST_LINE_MS = 50
/** A first line longer than this is not an `initialize` worth answering early. */
const MAX_FIRST_LINE = 1024 * 1024

/** Is this command line `serve` over stdio (the default command)? Help, version and --no-stdio are not. */
export function isStdioServe(argv: readonly string[]): boolean {
  const args = argv.slice(2)
  if (args.some((a) => a === "--no-stdio" || a === "--help" || a === "-h" || a === "--version" || a === "-V")) return false
  // The first word that is not an option or an option's value: only "serve" (or none) qualifies.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === "--") return false
    if (a.startsWith("-")) {
      if (!a.includes("=") && VALUE_FLAGS.has(a)) i++
      continue
    }
    return a === "serve"
  }
  return true
}

/** serve's options that take a value (a value is not the command word). */
const VALUE_FLAGS = new Set(["-c", "--config", "--log-level", "--plugins", "--profile", "--cache-dir", "--http", "--toolset"])

/** The answer to an `initialize` line, or undefined when the real face should decide. */
export function earlyAnswer(line: string): { id: string | number; json: string } | undefined {
  let m: unknown
  try {
    m = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isObject(m) || m.jsonrpc !== "2.0" || m.method !== "initialize") return undefined
  const id = m.id
  if (typeof id !== "string" && !(typeof id === "number" && Number.isInteger(id))) return undefined
  const p = m.params
  if (!isObject(p) || typeof p.protocolVersion !== "string" || !isObject(p.capabilities) || !isObject(p.clientInfo)) return undefined
  if (typeof p.clientInfo.name !== "string" || typeof p.clientInfo.version !== "string") return undefined
  if (!Object.values(p.capabilities).every(isObject)) return undefined
  const protocolVersion = EARLY_SUPPORTED.includes(p.protocolVersion) ? p.protocolVersion : EARLY_LATEST
  const result = { protocolVersion, capabilities: EARLY_CAPABILITIES, serverInfo: EARLY_SERVER_INFO }
  return { id, json: JSON.stringify({ result, jsonrpc: "2.0", id }) }
}

/**
 * For a stdio `serve`: waits (briefly) for the first stdin line, answers it when it is
 * `initialize`, and returns the handover for the real transport. Undefined for other commands.
 */
export async function earlyInitialize(argv: readonly string[]): Promise<StdinHandover | undefined> {
  if (!isStdioServe(argv)) return undefined
  const reader = (Bun.stdin.stream() as ReadableStream<Uint8Array>).getReader()
  const read: Uint8Array[] = []
  let size = 0
  let ended = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), FIRST_LINE_MS)))
  let pendingRead: Promise<Chunk> | undefined
  let line: string | undefined
  while (line === undefined && !ended && size <= MAX_FIRST_LINE) {
    pendingRead ??= reader.read()
    const r = await Promise.race([pendingRead, timeout])
    if (r === "timeout") break
    pendingRead = undefined
    if (r.done || !r.value) {
      ended = true
      break
    }
    const chunk = r.value
    read.push(chunk)
    size += chunk.byteLength
    const nl = chunk.indexOf(10)
    if (nl >= 0) line = new TextDecoder().decode(joined(read, size - chunk.byteLength + nl)).replace(/\r$/, "")
  }
  clearTimeout(timer)
  let answered: string | number | undefined
  const a = line === undefined ? undefined : earlyAnswer(line)
  if (a) {
    await Bun.write(Bun.stdout, a.json + "\n")
    answered = a.id
  }
  async function* input(): AsyncGenerator<Uint8Array> {
    for (const c of read) yield c
    read.length = 0
    if (pendingRead) {
      const r = await pendingRead
      if (r.done || !r.value) return
      yield r.value
    }
    if (ended) return
    for (;;) {
      const r = await reader.read()
      if (r.done) return
      yield r.value
    }
  }
  return { input: input(), ...(answered !== undefined ? { answered } : {}) }
}

type Chunk = { done: boolean; value?: Uint8Array }

function joined(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length)
  let at = 0
  for (const c of chunks) {
    if (at >= length) break
    const n = Math.min(c.byteLength, length - at)
    out.set(n === c.byteLength ? c : c.subarray(0, n), at)
    at += n
  }
  return out
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
