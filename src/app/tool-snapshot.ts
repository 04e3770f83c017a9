/**
 * @module app/tool-snapshot
 * The last complete tools/list answer, kept on disk so the next start can answer tools/list before
 * the orchestrator (cache, pool, plugins) is even loaded. One file per configuration (keyed by a
 * hash of what shapes the list), written atomically (temp file + rename) with a checksum; a file
 * that fails the check is ignored. The fresh list replaces it and list_changed tells the client.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Tool } from "@modelcontextprotocol/sdk/types.js"
import { cacheHome, type LoadedConfig } from "../config/index.ts"
import { VERSION } from "../core/index.ts"

interface SnapshotFile {
  v: 1
  version: string
  key: string
  sha256: string
  tools: Tool[]
}

const sha256 = (s: string): string => new Bun.CryptoHasher("sha256").update(s).digest("hex")

export class ToolSnapshot {
  readonly path: string | undefined
  private readonly key: string
  private lastWritten: string | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private pending: Tool[] | undefined

  constructor(loaded: LoadedConfig, env: Record<string, string | undefined> = process.env) {
    const c = loaded.config
    // Everything that shapes the aggregated list: servers, naming, plugins, Toolkit, our version.
    this.key = sha256(JSON.stringify([VERSION, loaded.file?.path ?? null, c.servers, c.proxy, c.plugins.dirs ?? null, c.plugins.enabled, c.toolkit.enabled, c.toolkit.profile ?? null, c.toolkit.tools ?? null, c.toolsets, c.toolset ?? null, c.codeMode]))
    this.path = c.cache.enabled ? join(cacheHome(c.cache.dir, env), `tools-${this.key.slice(0, 16)}.snapshot.json`) : undefined
  }

  /** The stored list, or undefined when absent, from another config/version, or damaged. */
  read(): Tool[] | undefined {
    if (!this.path) return undefined
    try {
      const f = JSON.parse(readFileSync(this.path, "utf8")) as SnapshotFile
      if (f.v !== 1 || f.key !== this.key || f.version !== VERSION || !Array.isArray(f.tools)) return undefined
      const body = JSON.stringify(f.tools)
      if (sha256(body) !== f.sha256) return undefined
      if (!f.tools.every((t) => typeof t?.name === "string" && typeof t.inputSchema === "object")) return undefined
      this.lastWritten = body
      return f.tools
    } catch {
      return undefined
    }
  }

  /** Stores the list (debounced; only when it changed). Failures are silent: it is only a head start. */
  save(tools: Tool[]): void {
    if (!this.path) return
    this.pending = tools
    this.timer ??= setTimeout(() => this.flush(), 200)
    this.timer.unref?.()
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const tools = this.pending
    this.pending = undefined
    if (!tools || !this.path) return
    const body = JSON.stringify(tools)
    if (body === this.lastWritten) return
    try {
      const dir = join(this.path, "..")
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const tmp = `${this.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
      const file: SnapshotFile = { v: 1, version: VERSION, key: this.key, sha256: sha256(body), tools }
      writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 })
      renameSync(tmp, this.path)
      this.lastWritten = body
    } catch {
      // read-only or full disk: the next start just waits for the real list
    }
  }
}
