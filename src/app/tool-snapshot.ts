/**
 * @module app/tool-snapshot
 * The last complete tools/list answer, kept on disk so the next start can answer tools/list before
 * the orchestrator (cache, pool, plugins) is even loaded. One file per configuration (keyed by a
 * hash of what shapes the list), written atomically (temp file + rename) with a checksum; a file
 * that fails the check is ignored. The fresh list replaces it and list_changed tells the client.
 *
 * The file holds the answer exactly as it was written to the client (validated, normalised,
 * namespaced, redacted): `{"v":2,…,"hash":H,"bytes":N,"answer":<result JSON>}` with the answer last,
 * so a start reads it as bytes, checks the header, the length and the hash of those bytes, and
 * writes them out as they are (a 5 000-tool answer is ~5 MB: no decoding, parsing or serialising
 * on the way to the first answer).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Tool } from "@modelcontextprotocol/client"
import { cacheHome, type LoadedConfig } from "../config/index.ts"
import { VERSION, writeFileAtomic } from "../core/index.ts"

interface SnapshotHeader {
  v: 2
  version: string
  key: string
  /** Bun.hash (wyhash) of the answer's bytes, hex. */
  hash: string
  /** Byte length of the answer. */
  bytes: number
}

const ANSWER_KEY = Buffer.from(',"answer":')
/** Quiet time after the last change before the file is written (a ~5 MB write: not on every change). */
const SAVE_DELAY_MS = 1000
/** The header is small; the answer key is searched for within this many bytes. */
const MAX_HEADER = 4096

const sha256 = (s: string): string => new Bun.CryptoHasher("sha256").update(s).digest("hex")
const hashOf = (bytes: Uint8Array): string => Bun.hash(bytes).toString(16)

export class ToolSnapshot {
  /** Where this start's snapshot is (the config as loaded); a reload may move later writes elsewhere. */
  readonly path: string | undefined
  private readonly key: string
  /** The answer last written (or read: then only its hash is known), and the key it was for. */
  private lastChunks: readonly Uint8Array[] | undefined
  private lastHash: string | undefined
  private lastKey: string | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private pending: readonly Uint8Array[] | undefined

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    const at = this.location()
    this.key = at.key
    this.path = at.path
  }

  /**
   * Key and file of the RUNNING config (a reload updates it in place): everything that shapes the
   * aggregated list — servers, naming, plugins, Toolkit, toolsets, our version. A list saved after
   * a reload is stored under the new config's key, never under the one the process started with.
   */
  private location(): { key: string; path: string | undefined } {
    const c = this.loaded.config
    const key = sha256(JSON.stringify([VERSION, this.loaded.file?.path ?? null, c.servers, c.proxy, c.plugins.dirs ?? null, c.plugins.enabled, c.toolkit.enabled, c.toolkit.profile ?? null, c.toolkit.tools ?? null, c.toolsets, c.toolset ?? null, c.codeMode]))
    return { key, path: c.cache.enabled ? join(cacheHome(c.cache.dir, this.env), `tools-${key.slice(0, 16)}.snapshot.json`) : undefined }
  }

  /**
   * The stored answer (the UTF-8 JSON of a tools/list result, `{"tools":[…]}`), or undefined when
   * absent, from another config/version, or damaged.
   */
  readAnswer(): Uint8Array | undefined {
    if (!this.path) return undefined
    try {
      const file = readFileSync(this.path)
      const at = file.subarray(0, MAX_HEADER).indexOf(ANSWER_KEY)
      if (at < 0 || file[file.length - 1] !== 0x7d /* } */) return undefined
      const h = JSON.parse(`${file.subarray(0, at).toString("utf8")}}`) as SnapshotHeader
      if (h.v !== 2 || h.key !== this.key || h.version !== VERSION) return undefined
      const answer = file.subarray(at + ANSWER_KEY.length, file.length - 1)
      if (answer.byteLength !== h.bytes || answer[0] !== 0x7b /* { */) return undefined
      const hash = hashOf(answer)
      if (hash !== h.hash) return undefined
      this.lastHash = hash
      this.lastKey = this.key
      return answer
    } catch {
      return undefined
    }
  }

  /** The stored list's tools (parsed), or undefined as for `readAnswer`. */
  read(): Tool[] | undefined {
    const answer = this.readAnswer()
    if (!answer) return undefined
    try {
      const tools = (JSON.parse(new TextDecoder().decode(answer)) as { tools?: unknown }).tools
      if (!Array.isArray(tools) || !tools.every((t) => typeof t?.name === "string" && typeof t.inputSchema === "object")) return undefined
      return tools as Tool[]
    } catch {
      return undefined
    }
  }

  /**
   * Stores the answer (debounced; only when it changed). `answer` is the result's UTF-8 JSON as
   * written to the client (`{"tools":[…]}`, in chunks), else it is serialised from `tools`.
   * Failures are silent: it is only a head start.
   */
  save(tools: Tool[], answer?: readonly Uint8Array[]): void {
    if (!this.loaded.config.cache.enabled) return
    const chunks = answer ?? [new TextEncoder().encode(JSON.stringify({ tools }))]
    // the same answer again (a tools/list while nothing changed: the face hands out the same chunks)
    if (chunks === this.lastChunks && this.pending === undefined) return
    this.pending = chunks
    // trailing: a burst of changes (50 servers coming up) is written once, after it; shutdown flushes
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.flush()
      // a burst of list changes just settled: each left a multi-MB answer text and list objects
      // behind, which the GC does not hurry to collect (RSS stayed ~70 MiB higher with 5 000 tools)
      Bun.gc(true)
    }, SAVE_DELAY_MS)
    this.timer.unref?.()
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const chunks = this.pending
    this.pending = undefined
    if (chunks === undefined) return
    const { key, path } = this.location()
    if (!path || (chunks === this.lastChunks && key === this.lastKey)) return
    try {
      const answer = Buffer.concat(chunks)
      const hash = hashOf(answer)
      if (hash === this.lastHash && key === this.lastKey) {
        this.lastChunks = chunks
        return
      }
      const header = `{"v":2,"version":${JSON.stringify(VERSION)},"key":"${key}","hash":"${hash}","bytes":${answer.byteLength}`
      writeFileAtomic(path, Buffer.concat([Buffer.from(header), ANSWER_KEY, answer, Buffer.from("}")]))
      this.lastChunks = chunks
      this.lastHash = hash
      this.lastKey = key
    } catch {
      // read-only or full disk: the next start just waits for the real list
    }
  }
}
