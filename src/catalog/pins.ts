/**
 * @module catalog/pins
 * Rug-pull defence (T4 in the security notes): each downstream tool's definition (name, title,
 * description, input and output schema, annotations) is pinned by a SHA-256 of its canonical JSON
 * when first seen. When a server later offers a different definition under the same name, `warn`
 * logs it (and pins the new one), `block` keeps the tool out of the list and refuses calls to it
 * until the change is approved (`mcp-orchestrator pins approve`). Pins live in one JSON file,
 * written atomically, re-read when another process (the CLI) changed it. New pins are written
 * `PIN_SAVE_DELAY_MS` later (one write for a burst of listings) and at shutdown; a changed
 * definition at once. Pins not written yet are merged into another process's write.
 *
 * Server and tool names are keys of the file's objects, and a name is the downstream's (or the
 * config's) to choose: `constructor`, `toString` or `__proto__` are names like any other. Every
 * object keyed by a name is made without a prototype (`dict`), the file's as soon as it is read, so a
 * lookup never finds an `Object.prototype` member and an assignment never sets a prototype.
 */
import { createHash } from "node:crypto"
import { readFileSync, statSync } from "node:fs"

import { errorMessage, writeFileAtomic, type Logger } from "../core/index.ts"

export type PinMode = "off" | "warn" | "block"

interface Pin {
  hash: string
  firstSeen: string
  /** block mode: a different definition seen and not approved yet. */
  pending?: { hash: string; seen: string }
}
interface PinFile {
  v: 1
  /** By server, by tool: objects without a prototype (`dict`). */
  servers: Record<string, Record<string, Pin>>
}

/** An object keyed by names (server, tool): no prototype, so any name is an own key or nothing. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v)
}

/** The pins file as read (JSON.parse makes plain objects): its name-keyed objects as `dict`s, or undefined when it is no pins file. */
function fromFile(f: unknown): PinFile | undefined {
  if (!isObj(f) || f.v !== 1 || !isObj(f.servers)) return undefined
  const servers = dict<Record<string, Pin>>()
  for (const [server, pins] of Object.entries(f.servers)) {
    if (!isObj(pins)) continue
    const own = dict<Pin>()
    for (const [tool, pin] of Object.entries(pins)) if (isObj(pin) && typeof pin.hash === "string") own[tool] = pin as unknown as Pin
    servers[server] = own
  }
  return { v: 1, servers }
}

export interface ToolLike {
  name: string
  [k: string]: unknown
}

/**
 * Per definition object: its hash. Definitions are never mutated, and a relist hands an unchanged
 * one in as the object listed before (proxy/fetch-list): a list change of one tool hashes that tool.
 */
const hashes = new WeakMap<object, string>()

/** Canonical JSON (sorted keys) of the parts of a tool a client or model relies on. */
export function definitionHash(tool: ToolLike): string {
  let hash = hashes.get(tool)
  if (hash === undefined) {
    const { name, title, description, inputSchema, outputSchema, annotations } = tool
    hashes.set(tool, (hash = createHash("sha256").update(canonical({ name, title, description, inputSchema, outputSchema, annotations })).digest("hex")))
  }
  return hash
}

function canonical(v: unknown): string {
  if (v === undefined) return "null"
  if (v === null || typeof v !== "object") return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`
}

export interface PinChange {
  server: string
  tool: string
  at: string
  blocked: boolean
}

/** New pins are written this long after they were taken (one write for a burst of listings). */
export const PIN_SAVE_DELAY_MS = 100

/** A pin this process set and has not written yet, with the file's value it replaced. */
interface Unsaved {
  server: string
  tool: string
  /** JSON of the pin as last read from the file ("" when there was none). */
  base: string
}

export class ToolPins {
  private data: PinFile = { v: 1, servers: dict() }
  private mtime = 0
  private readonly recent: PinChange[] = []
  /** Pins set since the last write, by `server\0tool`: merged into the file if another process wrote it meanwhile. */
  private readonly unsaved = new Map<string, Unsaved>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    readonly path: string,
    readonly mode: PinMode,
    private readonly log: Logger,
  ) {
    this.reload()
  }

  /** Write what is not written yet (shutdown; also `PIN_SAVE_DELAY_MS` after new pins). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.unsaved.size === 0) return
    this.reloadIfChanged()
    this.save()
  }

  [Symbol.dispose](): void {
    this.flush()
  }

  /** The tools a client may see: pins new ones, handles changed ones per mode. */
  gate<T extends ToolLike>(server: string, tools: T[]): T[] {
    if (this.mode === "off") return tools
    this.reloadIfChanged()
    const pins = (this.data.servers[server] ??= dict())
    const now = new Date().toISOString()
    /** New pins only: written shortly (startup lists many servers). A change is written at once. */
    let added = false
    let changed = false
    const out: T[] = []
    // a name listed twice never gets here: checkList keeps the first (catalog/validate)
    for (const t of tools) {
      if (typeof t?.name !== "string") continue
      const hash = definitionHash(t)
      const pin = pins[t.name]
      if (!pin) {
        this.set(server, t.name, { hash, firstSeen: now })
        added = true
        out.push(t)
        continue
      }
      if (pin.hash === hash) {
        if (pin.pending) {
          this.set(server, t.name, { hash, firstSeen: pin.firstSeen }) // back to the approved definition
          changed = true
        }
        out.push(t)
        continue
      }
      if (this.mode === "warn") {
        this.note(server, t.name, now, false)
        this.log.warn("tool definition changed since it was first seen (possible rug pull); now pinned to the new one", { server, tool: t.name })
        this.set(server, t.name, { hash, firstSeen: now })
        changed = true
        out.push(t)
        continue
      }
      if (pin.pending?.hash !== hash) {
        this.set(server, t.name, { hash: pin.hash, firstSeen: pin.firstSeen, pending: { hash, seen: now } })
        changed = true
        this.note(server, t.name, now, true)
        this.log.warn("tool definition changed since it was approved (possible rug pull); the tool is blocked until approved", {
          server,
          tool: t.name,
          remedy: `review the server, then run: mcp-orchestrator pins approve ${server}/${t.name}`,
        })
      }
    }
    if (changed) this.flush()
    else if (added) this.timer ??= setTimeout(() => this.flush(), PIN_SAVE_DELAY_MS).unref()
    return out
  }

  /** Why a call to `server`'s `tool` is refused, or undefined. */
  blocked(server: string, tool: string): string | undefined {
    if (this.mode !== "block") return undefined
    this.reloadIfChanged()
    const p = this.data.servers[server]?.[tool]
    return p?.pending ? `the definition of ${tool} on server ${server} changed on ${p.pending.seen} and has not been approved` : undefined
  }

  /** Accept pending definitions (all, one server's, or one tool's). Returns how many. */
  approve(server?: string, tool?: string): number {
    this.reload()
    let n = 0
    for (const [s, pins] of Object.entries(this.data.servers)) {
      if (server && s !== server) continue
      for (const [t, p] of Object.entries(pins)) {
        if ((tool && t !== tool) || !p.pending) continue
        p.hash = p.pending.hash
        delete p.pending
        n++
      }
    }
    if (n) this.save()
    return n
  }

  /** Forget the pins of a server (or all): its tools are pinned afresh when next seen. */
  reset(server?: string): number {
    this.reload()
    const names = server ? [server] : Object.keys(this.data.servers)
    let n = 0
    for (const s of names) {
      n += Object.keys(this.data.servers[s] ?? {}).length
      delete this.data.servers[s]
    }
    this.save()
    return n
  }

  list(): Array<{ server: string; tool: string; hash: string; firstSeen: string; pending?: string }> {
    this.reloadIfChanged()
    return Object.entries(this.data.servers).flatMap(([server, pins]) =>
      Object.entries(pins).map(([tool, p]) => ({ server, tool, hash: p.hash.slice(0, 12), firstSeen: p.firstSeen, ...(p.pending ? { pending: p.pending.seen } : {}) })),
    )
  }

  /** Changes seen by this process (newest last, at most 50), for status. */
  changes(): readonly PinChange[] {
    return this.recent
  }

  // --- Internal helpers ---

  /** Replace one pin (never mutated in place: the merge compares a pin with the one it replaced). */
  private set(server: string, tool: string, pin: Pin): void {
    const pins = (this.data.servers[server] ??= dict())
    const key = `${server}\u0000${tool}`
    if (!this.unsaved.has(key)) this.unsaved.set(key, { server, tool, base: pinJson(pins[tool]) })
    pins[tool] = pin
  }

  private note(server: string, tool: string, at: string, blocked: boolean): void {
    this.recent.push({ server, tool, at, blocked })
    if (this.recent.length > 50) this.recent.shift()
  }

  private reloadIfChanged(): void {
    try {
      if (statSync(this.path).mtimeMs !== this.mtime) this.reload()
    } catch {
      // no file yet
    }
  }

  private reload(): void {
    try {
      const st = statSync(this.path)
      const f = fromFile(JSON.parse(readFileSync(this.path, "utf8")))
      if (f !== undefined) this.data = this.merged(f)
      else this.log.warn("tool pins file has an unknown format; starting afresh", { path: this.path })
      this.mtime = st.mtimeMs
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") this.log.warn("cannot read the tool pins file; starting afresh", { path: this.path, error: errorMessage(e) })
    }
  }

  /**
   * `file` (just read: another process wrote it) with the pins set here and not written yet: each
   * one goes in unless the other process changed that same pin meanwhile (e.g. `pins approve` of a
   * pending definition), in which case its value stands.
   */
  private merged(file: PinFile): PinFile {
    for (const [key, u] of this.unsaved) {
      const theirs = file.servers[u.server]?.[u.tool]
      const mine = this.data.servers[u.server]?.[u.tool]
      if (mine === undefined) {
        this.unsaved.delete(key)
        continue
      }
      if (pinJson(theirs) !== u.base) {
        // their value stands (e.g. an approval); a definition we saw since, that it does not
        // approve, stays pending on top of it: an approval never lets an unseen definition through
        if (theirs !== undefined && mine.pending !== undefined && mine.pending.hash !== theirs.hash) {
          file.servers[u.server]![u.tool] = { hash: theirs.hash, firstSeen: theirs.firstSeen, pending: mine.pending }
        } else this.unsaved.delete(key)
        continue
      }
      ;(file.servers[u.server] ??= dict())[u.tool] = mine
    }
    return file
  }

  private save(): void {
    try {
      writeFileAtomic(this.path, JSON.stringify(this.data, null, 1))
      this.unsaved.clear()
      this.mtime = statSync(this.path).mtimeMs
    } catch (e) {
      this.log.warn("cannot write the tool pins file (pins stay in memory)", { path: this.path, error: errorMessage(e) })
    }
  }
}

const pinJson = (p: Pin | undefined): string => (p === undefined ? "" : JSON.stringify(p))
