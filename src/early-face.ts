/**
 * @module early-face
 * Cold start of `serve` over stdio: a client (Cursor) spawns the binary and writes `initialize` at
 * once, then waits for the answer. This module answers it before the CLI, config, zod and the SDK
 * are even evaluated: it imports nothing, reads the first stdin line, and when that line is a
 * well-formed `initialize` request it writes the same answer the real face gives (version
 * negotiation, capabilities, server info: test/mcp/early-face.test.ts holds them equal). The bytes
 * read, that line included, are handed to the real stdio transport, which replays the request to
 * the face's protocol layer (so it records the client's capabilities) and drops the second answer.
 * Anything unusual (another first message, a malformed one, no line in time) is left to the real
 * face untouched. It answers only on a start the early index (below) vouches for: the config files
 * as a start that loaded them found them. A config that does not resolve, or one changed since, is
 * read by the real face before any answer: an error in it ends the process (exit 2) unanswered,
 * never after telling the client the server is up.
 *
 * A warm start also answers the first `tools/list` here, straight from the snapshot file, when the
 * early index (written by app/tool-snapshot) proves that it is the answer the real face would give
 * from the snapshot: same version, argv, cwd and environment, every file the config was loaded from
 * unchanged (and the Docker Toolkit's state files, when it is in use), the snapshot bytes unchanged. Checked with a few small synchronous reads; any doubt
 * (no index, a mismatch, a damaged file, another request first, no request in time) leaves it to
 * the real face. The real face replays that request too, drops its own answer, and sends
 * list_changed once the real list differs from what was served.
 *
 * A 2026-07-28 client sends no `initialize`: its probe (`server/discover`) is answered here as the
 * real face's modern lane answers it, and its first `tools/list` (after the probe, or first of all)
 * from the snapshot under the same proof, the result completed for that era (`resultType`, `ttlMs: 0`,
 * `cacheScope: "private"`). An envelope the real face would refuse or does not know is left to it.
 * Before, a modern client waited for the whole app to load for both (twice a legacy client's
 * time to its first list).
 */
import { readdirSync, statSync, utimesSync } from "node:fs"
import { isAbsolute, join } from "node:path"
import pkg from "../package.json" with { type: "json" }
import type { EarlyIndex, EarlyKey, EarlyListing, EarlyStamp } from "./app/index.ts"
import type { StdinHandover } from "./mcp/index.ts"
import { isServe } from "./early-signals.ts"
// a leaf (node:fs only): the stat-then-read below never opens a FIFO swapped in between
import { readPlainFile, readPlainText } from "./core/plain-file.ts"
import { homeDir } from "./core/account-home.ts"


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
/** The 2026-07-28 revision, the one version its `_meta` envelope takes (mcp/modern-lane MODERN_VERSION, tested). */
export const EARLY_MODERN = "2026-07-28"
/** The envelope keys a modern request may carry for the early face to answer it (any other of that namespace: stand down). */
const ENVELOPE_KEYS = new Set(["protocolVersion", "clientCapabilities", "clientInfo", "logLevel"].map((k) => `io.modelcontextprotocol/${k}`))
/** What our lists and reads promise a modern client (mcp/modern-lane CACHE_HINT, `complete`: tested equal). */
const MODERN_LIST_HINT = { resultType: "complete", ttlMs: 0, cacheScope: "private" } as const

/** How long to wait for the first line before leaving everything to the normal path. */
const FIRST_LINE_MS = 50
/** A first line longer than this is not an `initialize` worth answering early. */
const MAX_FIRST_LINE = 1024 * 1024
/** After the initialize answer, how long to wait for the next line (`initialized`, `tools/list`). */
const NEXT_LINE_MS = 50

/**
 * What the early face hands to the real one: stdin, the ids it answered, the early index key, and
 * `outputClosed` when an answer could not be written (the client closed our stdout: EPIPE).
 */
export type EarlyHandover = StdinHandover & { early?: EarlyKey; listed?: EarlyListing; outputClosed?: boolean }

/** Is this command line `serve` over stdio (the default command)? Help, version and --no-stdio are not. */
export function isStdioServe(argv: readonly string[]): boolean {
  return isServe(argv) && !argv.slice(2).includes("--no-stdio")
}

/**
 * Capabilities the real face takes as they are (mcp/face-params `CAPABILITY_CHECKS`: every member an
 * object, `roots.listChanged` a boolean, the modes of elicitation and sampling and the members of
 * tasks objects); for any other the real face answers (it refuses them, -32602 naming the member).
 */
function plainCapabilities(caps: Record<string, unknown>): boolean {
  if (!Object.values(caps).every(isObject)) return false
  const nested: [string, string[]][] = [["elicitation", ["form", "url"]], ["sampling", ["context", "tools"]], ["tasks", ["list", "cancel", "requests"]]]
  for (const [key, members] of nested) {
    const c = caps[key] as Record<string, unknown> | undefined
    if (c !== undefined && members.some((m) => c[m] !== undefined && !isObject(c[m]))) return false
  }
  const listChanged = (caps.roots as Record<string, unknown> | undefined)?.listChanged
  return listChanged === undefined || typeof listChanged === "boolean"
}

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
  // a string or a safe integer (core/jsonrpc-envelope): the real face answers any other id -32600
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return undefined
  const p = m.params
  if (!isObject(p) || typeof p.protocolVersion !== "string" || !isObject(p.capabilities) || !isObject(p.clientInfo)) return undefined
  if (typeof p.clientInfo.name !== "string" || typeof p.clientInfo.version !== "string") return undefined
  if (!plainCapabilities(p.capabilities)) return undefined
  const protocolVersion = EARLY_SUPPORTED.includes(p.protocolVersion) ? p.protocolVersion : EARLY_LATEST
  const result = { protocolVersion, capabilities: EARLY_CAPABILITIES, serverInfo: EARLY_SERVER_INFO }
  return { id, json: JSON.stringify({ result, jsonrpc: "2.0", id }) }
}

/**
 * The answer to a 2026-07-28 `server/discover` line (a modern client's probe: Claude Code in auto
 * negotiation, the SDK v2 Client pinned or in auto mode), as mcp/modern-lane `judge` gives it for a
 * valid envelope; undefined when the real face should decide (an envelope error is its to word).
 */
export function earlyDiscover(line: string): { id: string | number; json: string } | undefined {
  const m = modernRequest(line, "server/discover")
  if (m === undefined) return undefined
  const result = {
    supportedVersions: [EARLY_MODERN],
    capabilities: EARLY_CAPABILITIES,
    ttlMs: 0,
    cacheScope: "private",
    resultType: "complete",
    _meta: { "io.modelcontextprotocol/serverInfo": EARLY_SERVER_INFO },
  }
  return { id: m.id, json: JSON.stringify({ jsonrpc: "2.0", id: m.id, result }) }
}

/**
 * A 2026-07-28 request for `method` whose envelope the real face takes as it is (version
 * 2026-07-28, client capabilities an object, no envelope key it does not know) and with no params
 * but `_meta`: its id; else undefined.
 */
export function modernRequest(line: string, method: string): { id: string | number } | undefined {
  let m: unknown
  try {
    m = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isObject(m) || m.jsonrpc !== "2.0" || m.method !== method) return undefined
  const id = m.id
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return undefined
  const p = m.params
  if (!isObject(p) || Object.keys(p).some((k) => k !== "_meta") || !isObject(p._meta)) return undefined
  const meta = p._meta
  const caps = meta["io.modelcontextprotocol/clientCapabilities"]
  if (meta["io.modelcontextprotocol/protocolVersion"] !== EARLY_MODERN || !isObject(caps)) return undefined
  // capabilities and client info the real face may refuse (mcp/modern-lane `judge`, as `initialize`): its to answer
  if (!plainCapabilities(caps)) return undefined
  const info = meta["io.modelcontextprotocol/clientInfo"]
  if (info !== undefined && !(isObject(info) && typeof info.name === "string" && typeof info.version === "string")) return undefined
  if (Object.keys(meta).some((k) => k.startsWith("io.modelcontextprotocol/") && !ENVELOPE_KEYS.has(k))) return undefined
  return { id }
}

/** A modern `tools/list` answer from the snapshot's bytes, completed as the real face completes it (mcp/modern-lane `complete`). */
function modernListAnswer(id: string | number, bytes: Uint8Array): string | undefined {
  try {
    const result: unknown = JSON.parse(new TextDecoder().decode(bytes))
    if (!isObject(result)) return undefined
    return JSON.stringify({ jsonrpc: "2.0", id, result: { ...result, ...MODERN_LIST_HINT } })
  } catch {
    return undefined
  }
}

/**
 * For a stdio `serve`: waits (briefly) for the first stdin line, answers it when it is
 * `initialize`, then the first `tools/list` when the early index vouches for a snapshot; returns the
 * handover for the real transport. Undefined for other commands.
 */
export async function earlyInitialize(argv: readonly string[]): Promise<EarlyHandover | undefined> {
  if (!isStdioServe(argv)) return undefined
  const reader = (Bun.stdin.stream() as ReadableStream<Uint8Array>).getReader()
  const read: Uint8Array[] = []
  let size = 0
  let ended = false
  let pendingRead: Promise<Chunk> | undefined
  /** Bytes read after the last line taken. */
  let tail: Uint8Array = new Uint8Array(0)
  /** The next complete line, or undefined (none within `ms`, EOF, too much input). */
  const nextLine = async (ms: number): Promise<string | undefined> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms)))
    try {
      for (;;) {
        const nl = tail.indexOf(10)
        if (nl >= 0) {
          const line = new TextDecoder().decode(tail.subarray(0, nl)).replace(/\r$/, "")
          tail = tail.subarray(nl + 1)
          return line
        }
        if (ended || size > MAX_FIRST_LINE) return undefined
        pendingRead ??= reader.read()
        const r = await Promise.race([pendingRead, timeout])
        if (r === "timeout") return undefined
        pendingRead = undefined
        if (r.done || !r.value) {
          ended = true
          return undefined
        }
        read.push(r.value)
        size += r.value.byteLength
        tail = tail.byteLength ? joined([tail, r.value], tail.byteLength + r.value.byteLength) : r.value
      }
    } finally {
      clearTimeout(timer)
    }
  }
  const answered: (string | number)[] = []
  let listed: EarlyListing | undefined
  /** An answer could not be written: the client closed its end of our stdout (app/serve stops, as on any write that finds it so). */
  let outputClosed = false
  const first = await nextLine(FIRST_LINE_MS)
  const write = async (text: string | Blob): Promise<void> => {
    try {
      await Bun.write(Bun.stdout, text)
    } catch {
      // EPIPE: before, the rejection ended the process with the runtime's own dump (exit 1); the
      // client is gone (maybe mid-answer): the real face must not answer again, and stops
      outputClosed = true
    }
  }
  // a legacy client's `initialize`, or a 2026-07-28 client's probe (`server/discover`), or its
  // first request itself (a modern client needs no probe): the era of the rest of what is answered here
  const a = first === undefined ? undefined : earlyAnswer(first)
  const d = a || first === undefined ? undefined : earlyDiscover(first)
  const modern = d !== undefined || (!a && first !== undefined && modernRequest(first, "tools/list") !== undefined)
  let again = modern && !d ? first : undefined
  let early: EarlyKey | undefined
  try {
    early = earlyKey(argv)
  } catch {
    // no working directory any more (process.cwd throws): no early index either
  }
  // Answered here only when the early index vouches for this start: every file the config is loaded
  // from is as a start that loaded it found it (so it reads and validates), and no secret source
  // changed since. Otherwise the real face answers once the config is read: a config that does not
  // resolve (missing, a directory, unreadable, bad syntax, a schema error) ends the process (exit 2,
  // the error on stderr) before any answer, as it does for every client, instead of a server that
  // connected and then died.
  const vouched = (a || d || modern) && early ? earlyVouch(early) : undefined
  const stored = vouched?.listing
  const opened = vouched ? (a ?? d) : undefined
  if (opened) {
    await write(opened.json + "\n")
    answered.push(opened.id)
  }
  while (stored && !outputClosed) {
    const line = again ?? (await nextLine(NEXT_LINE_MS))
    again = undefined
    if (line === undefined) break
    if (line.trim() === "") continue
    const r = modern ? modernRequest(line, "tools/list") : listRequest(line)
    if (r === "initialized") continue
    if (r !== undefined && r.id !== opened?.id) {
      // legacy: byte for byte what the transport writes for the snapshot answer (mcp/stdio-transport
      // sendText); modern: the same result completed for that era, as mcp/fast-lane completes it
      const text = modern ? modernListAnswer(r.id, stored.bytes) : undefined
      if (modern && text === undefined) break
      await write(text !== undefined ? text + "\n" : new Blob([`{"jsonrpc":"2.0","id":${JSON.stringify(r.id)},"result":`, stored.bytes, "}\n"]))
      answered.push(r.id)
      listed = { id: r.id, ...stored }
    }
    break
  }
  // The reader's own results, unwrapped by no generator: an async generator here cost every later
  // read of stdin (each request a client sends) a generator resumption and two more promise hops.
  const input: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: (): Promise<IteratorResult<Uint8Array>> => {
        const c = read.shift()
        if (c !== undefined) return Promise.resolve({ done: false, value: c })
        const p = pendingRead
        if (p) {
          pendingRead = undefined
          return p.then((r) => (r.done || !r.value ? ((ended = true), { done: true, value: undefined }) : { done: false, value: r.value }))
        }
        if (ended) return Promise.resolve({ done: true, value: undefined })
        return reader.read() as Promise<IteratorResult<Uint8Array>>
      },
    }),
  }
  return {
    input,
    ended: () => ended,
    ...(answered.length === 1 ? { answered: answered[0]! } : answered.length > 1 ? { answered } : {}),
    ...(early ? { early } : {}),
    ...(listed ? { listed } : {}),
    ...(outputClosed ? { outputClosed } : {}),
  }
}

/**
 * A `tools/list` request the snapshot answers as the real face would (a legacy one: no 2026-07-28
 * `_meta`, no other params), `initialized` (skipped), or undefined (anything else: stand down).
 */
export function listRequest(line: string): { id: string | number } | "initialized" | undefined {
  let m: unknown
  try {
    m = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isObject(m) || m.jsonrpc !== "2.0") return undefined
  if (m.method === "notifications/initialized" && !("id" in m)) return "initialized"
  if (m.method !== "tools/list") return undefined
  const id = m.id
  // a string or a safe integer (core/jsonrpc-envelope): the real face answers any other id -32600
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return undefined
  const p = m.params
  // "params": null is no params (core/jsonrpc-envelope dropNullParams): mcp.el sends it
  if (p !== undefined && p !== null) {
    if (!isObject(p) || Object.keys(p).some((k) => k !== "_meta")) return undefined
    if (p._meta !== undefined && (!isObject(p._meta) || Object.keys(p._meta).some((k) => k.startsWith("io.modelcontextprotocol/")))) return undefined
    // a progress token the real face refuses (-32602, core/jsonrpc-envelope progressTokenProblem): null is none
    const token = isObject(p._meta) ? p._meta.progressToken : undefined
    if (token !== undefined && token !== null && typeof token !== "string" && !(typeof token === "number" && Number.isSafeInteger(token))) return undefined
  }
  return { id }
}

/** The early index key of this start: what the early face knows without loading anything. */
export function earlyKey(argv: readonly string[], env: Record<string, string | undefined> = process.env): EarlyKey {
  const current = (): EarlyStamp => ({ version: pkg.version, argv: argv.slice(2), cwd: process.cwd(), env: envHash(env) })
  const stamp = current()
  // the environment too: two clients starting the same command in the same directory with other
  // environments (two editors) each keep their own index instead of overwriting each other's
  const name = `early-${Bun.hash(JSON.stringify([stamp.version, stamp.argv, stamp.cwd, stamp.env])).toString(16)}.json`
  return { indexPath: join(defaultCacheHome(env), name), stamp, current }
}

/** Bun.hash of every variable of the environment (sorted), hex. */
function envHash(env: Record<string, string | undefined>): string {
  const keys = Object.keys(env).sort()
  return Bun.hash(JSON.stringify(keys.map((k) => [k, env[k] ?? null]))).toString(16)
}

/** config/file cacheHome without `cache.dir` (the early face cannot know it: a set one has no early index). */
function defaultCacheHome(env: Record<string, string | undefined>): string {
  const home = homeDir(env)
  const xdg = env.XDG_CACHE_HOME
  return xdg && isAbsolute(xdg) ? join(xdg, "mcp-orchestrator") : join(home, ".cache", "mcp-orchestrator")
}

/** The snapshot answer the early index at `key` vouches for, or undefined on any mismatch or damage. */
export function readEarlyIndex(key: EarlyKey, env: Record<string, string | undefined> = process.env): Omit<EarlyListing, "id"> | undefined {
  return earlyVouch(key, env)?.listing
}

/**
 * What the early index at `key` vouches for: undefined when nothing (no index, another start's, a
 * file changed since: the real face reads the config before any answer); else this start's config
 * files are as a start that loaded them found them — `initialize` may be answered here — and
 * `listing` is the stored first `tools/list` answer when that is proven too. The two are apart: an
 * answer that is stale (its `until` passed, its bytes rewritten, a login stored since) leaves the
 * list to the real face, not the config check of the start.
 */
export function earlyVouch(key: EarlyKey, env: Record<string, string | undefined> = process.env): { listing?: Omit<EarlyListing, "id"> } | undefined {
  let ix: EarlyIndex
  try {
    // an index is a few KB: a large file there is not ours (not read whole before the first answer)
    const ist = statSync(key.indexPath)
    if (!ist.isFile() || ist.size > MAX_INDEX_BYTES) return undefined
    ix = JSON.parse(readPlainText(key.indexPath, MAX_INDEX_BYTES)) as EarlyIndex
    if (!isObject(ix) || ix.v !== 1 || JSON.stringify(ix.stamp) !== JSON.stringify(key.stamp) || !Array.isArray(ix.files)) return undefined
    for (const f of ix.files) if (!unchanged(f)) return undefined
  } catch {
    return undefined
  }
  const listing = storedListing(key, ix, env)
  return listing ? { listing } : {}
}

/** The snapshot answer `ix` (whose files are unchanged) names, when its bytes are as it recorded them. */
function storedListing(key: EarlyKey, ix: EarlyIndex, env: Record<string, string | undefined>): Omit<EarlyListing, "id"> | undefined {
  try {
    const s = ix.snapshot
    if (!isObject(s) || typeof s.path !== "string" || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.bytes) || s.offset + s.bytes + 1 !== s.size) return undefined
    // an answer complete only by notes of earlier runs (proxy/silence): not past the moment a start waits for those servers again
    if (s.until !== undefined && !(typeof s.until === "number" && Date.now() < s.until)) return undefined
    // the size the index recorded, and no more (app/tool-snapshot MAX_SNAPSHOT_BYTES bounds what it records)
    const st = statSync(s.path)
    if (!st.isFile() || s.size > 64 * 1024 * 1024 || st.size !== s.size) return undefined
    const file = readPlainFile(s.path, s.size)
    if (file.byteLength !== s.size || file[file.byteLength - 1] !== 0x7d /* } */) return undefined
    const bytes = file.subarray(s.offset, s.offset + s.bytes)
    if (bytes[0] !== 0x7b /* { */) return undefined
    const hash = Bun.hash(bytes).toString(16)
    if (hash !== s.hash) return undefined
    // a secret stored since the answer was written (an OAuth login or refresh: no file the index stamps)
    if (holdsStoredToken(bytes, env)) return undefined
    // used: kept by the cache's clean-up of answers no start used for a month (app/snapshot-prune)
    touchIfDayOld(s.path, st.mtimeMs)
    touchIfDayOld(key.indexPath)
    return { bytes, hash, path: s.path, ...(s.until !== undefined ? { until: s.until } : {}) }
  } catch {
    return undefined
  }
}

/**
 * Does `bytes` hold a value of a stored OAuth login (`<state dir>/oauth/*.json`: tokens, client
 * secret, registration token, as auth/store `registerRecord` registers them)? The snapshot was
 * checked against the secrets of its run when it was written; a login or refresh since is another
 * secret the real face knows once it read the store, and the early face reads the store itself
 * (a few small files) rather than serve such an answer. A store it cannot read holds nothing.
 */
function holdsStoredToken(bytes: Uint8Array, env: Record<string, string | undefined>): boolean {
  const home = homeDir(env)
  const dir = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? join(env.XDG_STATE_HOME, "mcp-orchestrator", "oauth") : join(home, ".local", "state", "mcp-orchestrator", "oauth")
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"))
  } catch {
    return false
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const name of names) {
    let rec: unknown
    try {
      const rst = statSync(join(dir, name))
      if (!rst.isFile()) continue
      if (rst.size > MAX_INDEX_BYTES) return true
      rec = JSON.parse(readPlainText(join(dir, name), MAX_INDEX_BYTES))
    } catch {
      continue
    }
    if (!isObject(rec)) continue
    const tokens = isObject(rec.tokens) ? rec.tokens : {}
    const client = isObject(rec.client) ? rec.client : {}
    for (const v of [tokens.access_token, tokens.refresh_token, tokens.id_token, client.client_secret, client.registration_access_token]) {
      // as written in the JSON answer (a quote or backslash in it is escaped there)
      if (typeof v === "string" && v.length >= 4 && text.indexOf(JSON.stringify(v).slice(1, -1)) >= 0) return true
    }
  }
  return false
}

/** Largest early index read (one lists the config's files: a few KB). */
const MAX_INDEX_BYTES = 1024 * 1024

/** Marks a file used now when its mark is a day old or more, or in the future (app/snapshot-prune: the same rule; this module imports nothing of ours). */
function touchIfDayOld(path: string, mtimeMs?: number): void {
  try {
    const now = Date.now()
    const m = mtimeMs ?? statSync(path).mtimeMs
    if (m > now - 24 * 3600 * 1000 && m - now <= 60_000) return
    utimesSync(path, new Date(now), new Date(now))
  } catch {
    // read-only or gone: nothing to mark
  }
}

/**
 * Is this file as the index recorded it (same size and contents hash; or still absent; a directory:
 * the same names; a Docker Toolkit state file: the same identity, size and times, as
 * docker/cli-stamp `metaStamp` writes them)?
 */
function unchanged(f: unknown): boolean {
  if (!isObject(f) || typeof f.path !== "string") return false
  if (typeof f.meta === "string") {
    try {
      const st = statSync(f.path)
      return st.isFile() && `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` === f.meta
    } catch {
      return false
    }
  }
  if (typeof f.listing === "string") {
    try {
      return Bun.hash(JSON.stringify(readdirSync(f.path).sort())).toString(16) === f.listing
    } catch {
      return false
    }
  }
  try {
    // a file grown since is another file: not read whole to find that out; and one that is no
    // regular file now (a FIFO an envFile was replaced by) is never opened: that open blocked the
    // process before it answered anything, for good, deaf to every signal
    const st = statSync(f.path)
    if (!st.isFile() || st.size !== f.size) return false
    const data = readPlainFile(f.path, f.size)
    return f.absent !== true && typeof f.size === "number" && f.size >= 0 && data.byteLength === f.size && Bun.hash(data).toString(16) === f.hash
  } catch (e) {
    return f.absent === true && (e as { code?: string }).code === "ENOENT"
  }
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
