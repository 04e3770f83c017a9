/**
 * @module catalog/pins
 * Rug-pull defence (T4 in the security notes): each downstream tool's definition (name, title,
 * description, input and output schema, annotations) is pinned by a SHA-256 of its canonical JSON
 * when first seen. When a server later offers a different definition under the same name, `warn`
 * logs it (and pins the new one), `block` keeps the tool out of the list and refuses calls to it
 * until the change is approved (`mcp-orchestrator pins approve`). Pins live in one JSON file,
 * written atomically, re-read when another process (the CLI) changed it. Pins not written yet are
 * merged into another process's write.
 *
 * Bounded (a server that puts ids or dates in its tool names, or a hostile one, lists new names all
 * the time): a pin is never dropped while its tool is listed; of the pins of tools a server no
 * longer lists, `MAX_UNLISTED_PINS` are kept — the ones waiting for approval first, then the ones
 * seen first. Churning names gains a server nothing: a new name is a new tool, pinned at first
 * sight, and names it listed before the churn keep their pins (so they cannot be pushed out to be
 * reintroduced with another definition); only the names it made up since go. Such a server is
 * warned about once and noted in the file (status, doctor).
 *
 * Writes are coalesced: new pins `PIN_SAVE_DELAY_MS` after they are taken, a changed definition at
 * once, and never more than one write per `PIN_WRITE_INTERVAL_MS` (what comes sooner waits for
 * it); at shutdown what is due (nothing when nothing changed). The file is read at most
 * `MAX_PINS_FILE_BYTES`: a larger or damaged one is reported and never fatal. Pinning goes on from
 * none (blocking every tool would make a damaged file a denial of service; the status and doctor
 * say the defence restarted), and the next write first renames the damaged file to
 * `pins.json.corrupt`, so the pins it held are kept for the user to compare or restore.
 *
 * Server and tool names are keys of the file's objects, and a name is the downstream's (or the
 * config's) to choose: `constructor`, `toString` or `__proto__` are names like any other. Every
 * object keyed by a name is made without a prototype (`dict`), the file's as soon as it is read, so a
 * lookup never finds an `Object.prototype` member and an assignment never sets a prototype.
 *
 * A tool named after a configured value (a server listing `fetch_<its API key>`) is keyed by its
 * name as the client is shown it and a hash of the real one (`fetch_[REDACTED]#<sha256, 16 hex>`:
 * `pinKey`), never by the name itself: the file on disk holds no secret, and its pin still tells a
 * changed definition from the approved one. A file written before keyed such names raw: each is
 * re-keyed (and the file rewritten) once the value is registered (`rekeySecretNames`).
 */
import { createHash } from "node:crypto"
import { accessSync, closeSync, constants as fsc, existsSync, fstatSync, openSync, readSync, statSync } from "node:fs"
import { dirname } from "node:path"

import { errorMessage, isRecord as isObj, keepAside, mib, notRegularFile, specialKindOf, NOT_REGULAR, redactValuesChecked, secrets, withFileLock, withFileLockSoon, LOCK_WAIT_MS, writeFileAtomic, type Logger, unwritableFix } from "../core/index.ts"

export type PinMode = "off" | "warn" | "block"

interface Pin {
  hash: string
  firstSeen: string
  /** block mode: a different definition seen and not approved yet. */
  pending?: { hash: string; seen: string }
  /**
   * Restored from a stored tool list (the pins file was found damaged: `restoreFromStored`): `hash`
   * is of the definition as served (checked, repaired), not as sent; the next live listing compares
   * the copy it serves, then pins the definition as sent.
   */
  stored?: true
}
/** Pins of tools a server no longer listed, dropped past `MAX_UNLISTED_PINS`: how many in all, and when last. */
interface Dropped {
  pins: number
  at: string
}
interface PinFile {
  v: 1
  /** By server, by tool: objects without a prototype (`dict`). */
  servers: Record<string, Record<string, Pin>>
  /** By server (`dict`): servers whose unlisted pins were dropped (their tool names do not stay). */
  dropped?: Record<string, Dropped>
}

/** An object keyed by names (server, tool): no prototype, so any name is an own key or nothing. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
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
  const out: PinFile = { v: 1, servers }
  if (isObj(f.dropped)) {
    const dropped = dict<Dropped>()
    for (const [server, d] of Object.entries(f.dropped)) if (isObj(d) && typeof d.pins === "number" && typeof d.at === "string") dropped[server] = { pins: d.pins, at: d.at }
    out.dropped = dropped
  }
  return out
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

/**
 * One text built from the pieces of the whole tree, joined once: nesting each level's text into its
 * parent's copied a definition's deepest parts once per level (a start listing 5 000 tools made
 * several times their JSON in garbage at its peak). The text is the same as before (pins on disk
 * keep their hashes): sorted keys, undefined members left out, undefined as `null`.
 */
function canonical(v: unknown): string {
  const out: string[] = []
  writeCanonical(v, out)
  return out.join("")
}

function writeCanonical(v: unknown, out: string[]): void {
  if (v === undefined) out.push("null")
  else if (v === null || typeof v !== "object") out.push(String(JSON.stringify(v)))
  else if (Array.isArray(v)) {
    out.push("[")
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",")
      writeCanonical(v[i], out)
    }
    out.push("]")
  } else {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort()
    out.push("{")
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(",")
      out.push(JSON.stringify(keys[i]), ":")
      writeCanonical(o[keys[i]!], out)
    }
    out.push("}")
  }
}

/**
 * The key of a tool's pin: its name, or for a name holding a configured value or a token shape, the
 * name masked as a client is shown it and 16 hex digits of its SHA-256 (two names masked alike keep
 * two pins). `#` is in no tool name (catalog/validate), so no real name is taken for a key.
 */
export function pinKey(tool: string): string {
  const shown = redactValuesChecked(tool)
  return shown === tool ? tool : `${shown}#${createHash("sha256").update(tool).digest("hex").slice(0, 16)}`
}

export interface PinChange {
  server: string
  tool: string
  at: string
  blocked: boolean
}

/** A server whose pins of tools it no longer listed were dropped (past `MAX_UNLISTED_PINS`). */
export interface PinsDropped {
  server: string
  /** How many pins were dropped, in all. */
  pins: number
  /** When last. */
  at: string
}

/** New pins are written this long after they were taken (one write for a burst of listings). */
export const PIN_SAVE_DELAY_MS = 100
/** One process writes the pins file at most once this long (a server relisting all the time costs one write per interval). */
export const PIN_WRITE_INTERVAL_MS = 5000
/** Per server: pins of tools it no longer lists kept at most (the pending ones first, then the ones seen first). */
export const MAX_UNLISTED_PINS = 1000
/** A pins file larger than this is not read (pins start afresh, the next write replaces it). */
export const MAX_PINS_FILE_BYTES = 32 * 1024 * 1024
/**
 * How often a running orchestrator looks at the pins file (one stat; read only when it changed):
 * one damaged or deleted while running is written back then, not at the next tool listing (Cursor
 * does not list again in a session) nor at the end of the run.
 */
export const PIN_CHECK_INTERVAL_MS = 2000

export interface ToolPinsOptions {
  /** Default `PIN_WRITE_INTERVAL_MS`. */
  writeIntervalMs?: number
}

/** A pin this process set or dropped and has not written yet, with the file's value it replaced. */
interface Unsaved {
  server: string
  tool: string
  /** JSON of the pin as last read from the file ("" when there was none). */
  base: string
}

/** By server, by pin key: the hash of each pending definition. */
function pendingByServer(data: PinFile): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>()
  for (const [server, pins] of Object.entries(data.servers)) {
    for (const [tool, pin] of Object.entries(pins)) {
      if (pin?.pending === undefined) continue
      let m = out.get(server)
      if (m === undefined) out.set(server, (m = new Map()))
      m.set(tool, pin.pending.hash)
    }
  }
  return out
}

export class ToolPins {
  private data: PinFile = { v: 1, servers: dict() }
  private mtime = 0
  private readonly recent: PinChange[] = []
  /** Pins set (or dropped) since the last write, by `server\0tool`: merged into the file if another process wrote it meanwhile. */
  private readonly unsaved = new Map<string, Unsaved>()
  /** Servers whose `dropped` note changed since the last write. */
  private readonly unsavedDropped = new Set<string>()
  /** Servers warned about for changing their tool names (once per process). */
  private readonly warned = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  /** A write waiting for the lock (`flushAsync`). */
  private flushing: Promise<void> | undefined
  /** performance.now() of this process's last write. */
  private lastWrite = -Infinity
  private readonly interval: number
  /** Why the file could not be read at its last change (too large, damaged), until it is replaced. */
  private readProblem: string | undefined
  /** Why the last write failed, and what to do (until a write succeeds): pins live in memory only meanwhile. */
  private writeProblem: { problem: string; remedy: string } | undefined
  /** The file there is damaged (it was no pins file we could read): the next write keeps it aside first. */
  private damaged = false
  /** Found damaged by this process, pins not restored from the stored lists yet (`restoreFromStored`). */
  private restoring = false
  /** `restoreFromStored` ran in this process: a server's stored list loaded since is pinned as those were (`restoreServerFromStored`). */
  private restored = false
  /** Stored lists loaded before `restoreFromStored` ran (`restoreServerFromStored`): pinned with its own. */
  private readonly early = new Map<string, readonly ToolLike[]>()
  /** The file there cannot be read (permissions, I/O): what to do. It is neither kept aside nor written over meanwhile. */
  private unreadable: string | undefined
  /** ctime of the file when it could not be read: a chmod that makes it readable changes it, not its mtime. */
  private ctime: number | undefined
  /**
   * The file is missing: absent at this process's start (restored from the stored lists only when
   * there are any: a first run has none), or deleted while this process had read or written it
   * (`gone`). Never a `pins reset`, which leaves a file (an empty one where there was none).
   */
  private vanished = false
  /** This process read or wrote a pins file there: its absence now is a deletion, not a first run. */
  private seen = false
  /** The constructor's read is done (an absence found later, before any file was seen, is a first run going on). */
  private started = false
  /** Deleted while running: the pins in memory are written back at once (`pendingWrite`). */
  private gone = false
  private checker: ReturnType<typeof setInterval> | undefined
  /** Reads the stored lists and hands them to `restoreFromStored` (app/orchestrator: `restoreWith`). */
  private restorer: (() => void) | undefined

  constructor(
    readonly path: string,
    readonly mode: PinMode,
    private readonly log: Logger,
    opts: ToolPinsOptions = {},
  ) {
    this.interval = opts.writeIntervalMs ?? PIN_WRITE_INTERVAL_MS
    this.reload()
    this.started = true
  }

  /**
   * Write what is not written yet, now (shutdown, an exit handler: the lock is waited for
   * synchronously, briefly; core/file-lock). Nothing when nothing changed.
   */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (!this.pendingWrite()) return
    // another instance's write between our read and our rename would be lost: both under its lock
    withFileLock(this.path, () => this.saveLocked())
  }

  /**
   * A write that is due while serving: a lock another instance holds is waited for without blocking
   * the event loop (before, up to 2 s synchronously, every server's calls standing still).
   */
  private flushSoon(): void {
    void this.flushAsync()
  }

  /** Write what is not written yet, waiting for the lock asynchronously (core/file-lock `withFileLockSoon`). */
  flushAsync(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.flushing !== undefined) return this.flushing
    if (!this.pendingWrite()) return Promise.resolve()
    const done = withFileLockSoon(this.path, () => this.saveLocked())
      .catch((e: unknown) => this.log.warn("cannot write the tool pins file (pins stay in memory)", { path: this.path, error: errorMessage(e) }))
      .finally(() => {
        this.flushing = undefined
        // what came after the section ran (it took all there was then); a failed write is tried again with the next pins
        if (this.writeProblem === undefined && this.pendingWrite()) this.due(PIN_SAVE_DELAY_MS)
      })
    // settled at once when the lock was free (the section ran synchronously): nothing to wait for
    this.flushing = done
    return done
  }

  /** Something to write (and a file that may be written: one that cannot be read is left alone, until it can). */
  private pendingWrite(): boolean {
    if (this.unreadable !== undefined) this.reloadIfChanged()
    if (this.unreadable !== undefined) return false
    return this.unsaved.size > 0 || this.unsavedDropped.size > 0 || this.damaged || this.gone
  }

  /** Under the lock: the file as it is now, with what is not written yet. */
  private saveLocked(): void {
    this.reloadIfChanged()
    if (this.pendingWrite()) this.save()
  }

  [Symbol.dispose](): void {
    clearInterval(this.checker)
    this.flush()
  }

  /** A running orchestrator: the file is looked at every `ms` (see PIN_CHECK_INTERVAL_MS). */
  checkEvery(ms = PIN_CHECK_INTERVAL_MS): void {
    if (this.mode === "off" || this.checker !== undefined) return
    this.checker = setInterval(() => this.reloadIfChanged(), ms)
    this.checker.unref?.()
  }

  /**
   * The tools a client may see: pins new ones, handles changed ones per mode. `tools` is the
   * server's whole listing (its pins of names not in it count as unlisted), unless `part` (a part
   * of one: nothing is dropped).
   */
  gate<T extends ToolLike>(server: string, tools: T[], part = false, served?: readonly unknown[]): T[] {
    if (this.mode === "off") return tools
    this.reloadIfChanged()
    // every definition hashed before anything changes: one that cannot be hashed throws here, and
    // the caller (proxy/fetch-list) asks again tool by tool
    const listed = tools
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => typeof t?.name === "string")
      .map(({ t, i }) => ({ t, i, key: pinKey(t.name), hash: definitionHash(t) }))
    const pins = (this.data.servers[server] ??= dict())
    const now = new Date().toISOString()
    /** New (or dropped) pins only: written shortly (startup lists many servers). A change is written at once. */
    let added = this.rekeySecretNames()
    let changed = false
    const out: T[] = []
    // a name listed twice never gets here: checkList keeps the first (catalog/validate)
    for (const { t, i, key, hash } of listed) {
      const pin = pins[key]
      if (!pin) {
        this.set(server, key, { hash, firstSeen: now })
        added = true
        out.push(t)
        continue
      }
      // a pin restored from a stored list holds the hash of the copy served then: the same copy now is the same definition
      const same = pin.hash === hash || (pin.stored === true && pin.hash === servedHash(served?.[i] ?? t))
      if (same) {
        if (pin.pending || pin.stored) {
          this.set(server, key, { hash, firstSeen: pin.firstSeen }) // back to the approved definition, or pinned as sent now
          if (pin.pending) changed = true
          else added = true
        }
        out.push(t)
        continue
      }
      if (this.mode === "warn") {
        this.note(server, t.name, now, false)
        this.log.warn("tool definition changed since it was first seen (possible rug pull); now pinned to the new one", { server, tool: t.name })
        this.set(server, key, { hash, firstSeen: now })
        changed = true
        out.push(t)
        continue
      }
      if (pin.pending?.hash !== hash) {
        this.set(server, key, { hash: pin.hash, firstSeen: pin.firstSeen, pending: { hash, seen: now }, ...(pin.stored ? { stored: true as const } : {}) })
        changed = true
        this.note(server, t.name, now, true)
        this.log.warn("tool definition changed since it was approved (possible rug pull); the tool is blocked until approved", {
          server,
          tool: t.name,
          remedy: `review the server, then run: mcp-orchestrator pins approve ${server}/${key}`,
        })
      }
    }
    if (!part && this.dropUnlisted(server, listed, now) > 0) added = true
    if (changed) this.due(0)
    else if (added) this.due(PIN_SAVE_DELAY_MS)
    return out
  }

  /** Why a call to `server`'s `tool` is refused, or undefined. */
  blocked(server: string, tool: string): string | undefined {
    if (this.mode !== "block") return undefined
    this.reloadIfChanged()
    const p = this.data.servers[server]?.[pinKey(tool)]
    return p?.pending ? `the definition of ${tool} on server ${server} changed on ${p.pending.seen} and has not been approved` : undefined
  }

  /**
   * The pins file was found damaged (not JSON, not a pins file, too large) by this process: what it
   * held is lost. Until a server is listed live again, what the proxy serves of it comes from its
   * stored tool list, which passed this gate when it was saved (a tool withheld then is not in it):
   * those definitions are pinned now (`stored`: by the copy served), so a definition that changes
   * before the server is listed again is caught as changed (and in `block` mode withheld) rather
   * than pinned as new. A server with pins already (listed live since) is left alone. The damaged
   * file is kept aside and the new one written at once, with no stored list too. Returns how many
   * tools were pinned. `usedBefore`: whether a run on this cache kept pins in this file (false: a new
   * pins file, or pinning just turned on; undefined: not known) — only what the log says of a
   * missing file depends on it.
   */
  restoreFromStored(lists: ReadonlyArray<{ server: string; tools: readonly ToolLike[] }>, usedBefore?: boolean): number {
    if (this.mode === "off" || !this.restoring) return 0
    this.restoring = false
    this.restored = true
    const now = new Date().toISOString()
    let n = 0
    const servers: string[] = []
    // lists loaded while the restore's own were read (a server added meanwhile) go along
    const early = [...this.early].map(([server, tools]) => ({ server, tools }))
    this.early.clear()
    for (const { server, tools } of [...lists, ...early]) {
      const pinned = this.pinStored(server, tools, now)
      if (pinned) servers.push(server)
      n += pinned
    }
    if (this.vanished) {
      this.vanished = false
      // a first run (no stored list, no file ever written here): nothing to restore, nothing to say
      if (n === 0 && !this.gone) return 0
      if (usedBefore === false && !this.gone) {
        // no deletion: this path never held pins here (proxy.pinsFile points somewhere new, or
        // pinning just turned on) while lists were stored unpinned. Same safe outcome, said as it is
        this.log.info("a new tool pins file: the tools served from the stored lists are pinned as stored, so a definition that changed since they were stored is caught as changed", {
          path: this.path,
          mode: this.mode,
          servers,
          pins: n,
          remedy: `nothing to do (proxy.pinsFile points to a file not used before, or proxy.pinTools was just turned on). If a definition is reported as changed and you trust it: mcp-orchestrator pins approve <server>/<tool>`,
        })
        this.due(PIN_SAVE_DELAY_MS)
        return n
      }
      // a directory this user cannot write (read-only, another user's): the file was never written
      // there, not deleted; the write's warning says what to do (one warning per cause, not two
      // at every warm start, the first guessing "deleted?")
      if (!dirWritable(dirname(this.path))) {
        this.log.info("tool pins file is missing and its directory cannot be written: the tools served from stored lists are pinned again, in memory", { path: this.path, servers, pins: n })
      } else {
        // warn: nothing else said it (a damaged file's read did); a deleted file is no reset
        this.log.warn("tool pins file is missing while tool lists are stored (deleted?): the tools served from them are pinned again, so a definition changed since is still caught as changed", {
          path: this.path,
          servers,
          pins: n,
          remedy: `nothing to do if it was lost by accident. To forget the pins on purpose, run: mcp-orchestrator pins reset (deleting ${this.path} is not taken for a reset)`,
        })
      }
    } else {
      // info: the read warned already, with the remedy (one warning per damaged file)
      this.log.info("tool pins file was damaged: it is kept aside, and the tools served from stored lists are pinned again", {
        path: this.path,
        servers,
        pins: n,
        remedy:
          "nothing to do: a definition that changed since those lists were stored is caught as changed (with proxy.pinTools: block, withheld until approved). To look at the old file: mcp-orchestrator pins list shows the new pins; compare with the file kept aside (pins.json.corrupt), then remove it",
      })
    }
    this.due(PIN_SAVE_DELAY_MS)
    return n
  }

  /**
   * How to read the stored lists for `restoreFromStored` (app/orchestrator): run now when the file
   * was found damaged or missing at start, and again whenever it is found so while running (a
   * damaged or deleted file mid-run is written back at once from the pins in memory, and the
   * servers without pins there are pinned from their stored lists). Before, that happened only at
   * start: a file damaged mid-run stayed so until the run ended, one deleted stayed deleted.
   */
  restoreWith(restorer: () => void): void {
    if (this.mode === "off") return
    this.restorer = restorer
    if (this.restoring) restorer()
  }

  /** The file was found damaged or missing after the start: restored as at start (`restoreWith`). */
  private restoreAgain(): void {
    if (this.mode === "off" || this.restoring) return
    this.restoring = true
    this.restored = false
    if (this.restorer) queueMicrotask(this.restorer)
    else this.due(0)
  }

  /**
   * One server's stored list, served after `restoreFromStored` ran (one loaded before it is pinned
   * with its lists): a server that is not in the config file and comes later
   * (the Docker Toolkit's gateway, added once Docker answers; a server a reload adds) is pinned by
   * its stored copy as the configured ones were. Before, its tools stayed unpinned until it was
   * listed live, and a definition changed meanwhile was pinned as new. Nothing when the pins file
   * was read fine, or the server has pins already. Returns how many tools were pinned.
   */
  restoreServerFromStored(server: string, tools: readonly ToolLike[]): number {
    if (this.mode === "off" || !(this.restoring || this.restored)) return 0
    // the restore has not run yet (its lists are being read): it takes this one along
    if (this.restoring) {
      this.early.set(server, tools)
      return 0
    }
    const n = this.pinStored(server, tools, new Date().toISOString())
    if (n === 0) return 0
    this.log.info("tool pins file was damaged: the tools a server serves from its stored list are pinned again", { path: this.path, server, pins: n })
    this.due(PIN_SAVE_DELAY_MS)
    return n
  }

  /** Pins `tools` (a stored list, `stored`: by the copy served) for `server` when it has none yet; how many. */
  private pinStored(server: string, tools: readonly ToolLike[], now: string): number {
    if (Object.keys(this.data.servers[server] ?? {}).length > 0) return 0
    let pinned = 0
    for (const t of tools) {
      if (typeof t?.name !== "string") continue
      let hash: string
      try {
        hash = servedHash(t)
      } catch {
        continue // a definition nothing can be done with: pinned at the next live listing
      }
      const key = pinKey(t.name)
      if (this.data.servers[server]?.[key]) continue // a name stored twice: the first stands
      this.set(server, key, { hash, firstSeen: now, stored: true })
      pinned++
    }
    return pinned
  }

  /** The file was found damaged at this process's start, and `restoreFromStored` has not run yet. */
  restoringFromStored(): boolean {
    return this.mode !== "off" && this.restoring
  }

  /** Accept pending definitions (all, one server's, or one tool's). Returns how many. */
  approve(server?: string, tool?: string): number {
    return withFileLock(this.path, () => this.approveLocked(server, tool), LOCK_WAIT_MS)
  }

  private approveLocked(server?: string, tool?: string): number {
    this.reload()
    const rekeyed = this.rekeySecretNames()
    let n = 0
    for (const [s, pins] of Object.entries(this.data.servers)) {
      if (server && s !== server) continue
      for (const [t, p] of Object.entries(pins)) {
        if ((tool && t !== tool && t !== pinKey(tool)) || !p.pending) continue
        p.hash = p.pending.hash
        delete p.pending
        delete p.stored
        n++
      }
    }
    if (n || rekeyed) this.save()
    return n
  }

  /** Forget the pins of a server (or all): its tools are pinned afresh when next seen. */
  reset(server?: string): number {
    return withFileLock(this.path, () => this.resetLocked(server), LOCK_WAIT_MS)
  }

  private resetLocked(server?: string): number {
    this.reload()
    const rekeyed = this.rekeySecretNames()
    const names = server ? [server] : [...new Set([...Object.keys(this.data.servers), ...Object.keys(this.data.dropped ?? {})])]
    let n = 0
    let changed = rekeyed
    for (const s of names) {
      if (s in this.data.servers) {
        n += Object.keys(this.data.servers[s]!).length
        delete this.data.servers[s]
        changed = true
      }
      if (this.data.dropped && s in this.data.dropped) {
        delete this.data.dropped[s]
        changed = true
      }
    }
    // nothing to forget: the file is left as it is; a damaged one is kept aside and replaced, as the
    // remedy of its warning says; none there: an empty one is made, so a start after the reset tells
    // it from a deleted file (which it re-pins from the stored lists: a rug pull is no reset)
    if (changed || this.damaged || !existsSync(this.path)) this.save()
    return n
  }

  list(): Array<{ server: string; tool: string; hash: string; firstSeen: string; pending?: string }> {
    this.reloadIfChanged()
    // a name holding a configured value is shown by its key (written at the next write)
    this.rekeySecretNames()
    return Object.entries(this.data.servers).flatMap(([server, pins]) =>
      Object.entries(pins).map(([tool, p]) => ({ server, tool, hash: p.hash.slice(0, 12), firstSeen: p.firstSeen, ...(p.pending ? { pending: p.pending.seen } : {}) })),
    )
  }

  /** Changes seen by this process (newest last, at most 50), for status. */
  changes(): readonly PinChange[] {
    return this.recent
  }

  /** Servers whose pins of tools they no longer list were dropped (their tool names do not stay), for status and doctor. */
  dropped(): PinsDropped[] {
    this.reloadIfChanged()
    return Object.entries(this.data.dropped ?? {}).map(([server, d]) => ({ server, pins: d.pins, at: d.at }))
  }

  /** Why the pins file could not be read (too large, damaged), while it is not replaced yet, or written (while no write succeeds). */
  problem(): string | undefined {
    this.reloadIfChanged()
    const both = [this.readProblem, this.writeProblem?.problem].filter((p) => p !== undefined)
    return both.length ? both.join("; ") : undefined
  }

  /** The file there was found damaged (not JSON, not a pins file, too large) and is not replaced yet: `reset` replaces it. */
  damagedFile(): boolean {
    return this.damaged
  }

  /** What to do about `problem()`: a file that cannot be written needs the user; a damaged one only the next write. */
  remedy(): string | undefined {
    if (this.unreadable !== undefined) return this.unreadable
    if (this.writeProblem !== undefined) return this.writeProblem.remedy
    return this.readProblem === undefined ? undefined : READ_REMEDY
  }

  // --- Internal helpers ---

  /** Replace or drop one pin (never mutated in place: the merge compares a pin with the one it replaced). */
  private set(server: string, tool: string, pin: Pin | undefined): void {
    const pins = (this.data.servers[server] ??= dict())
    const key = `${server}\u0000${tool}`
    if (!this.unsaved.has(key)) this.unsaved.set(key, { server, tool, base: pinJson(pins[tool]) })
    if (pin === undefined) delete pins[tool]
    else pins[tool] = pin
  }

  /**
   * Past `MAX_UNLISTED_PINS` pins of `server`'s tools not in `listed`: the rest dropped, keeping
   * the pending ones, then the ones seen first (names listed before a churn are not pushed out by
   * it). Returns how many were dropped.
   */
  private dropUnlisted(server: string, listing: ReadonlyArray<{ key: string }>, now: string): number {
    const pins = this.data.servers[server]
    if (pins === undefined) return 0
    const all = Object.keys(pins)
    // every listed name has its pin now: the rest are the unlisted ones (the common case ends here)
    if (all.length - listing.length <= MAX_UNLISTED_PINS) return 0
    const listed = new Set(listing.map((x) => x.key))
    const unlisted = all.filter((name) => !listed.has(name))
    if (unlisted.length <= MAX_UNLISTED_PINS) return 0
    const rank = (name: string): string => `${pins[name]!.pending ? 0 : 1}${String(pins[name]!.firstSeen)}\u0000${name}`
    const ranked = unlisted.map((name) => ({ name, rank: rank(name) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    const gone = ranked.slice(MAX_UNLISTED_PINS)
    for (const { name } of gone) this.set(server, name, undefined)
    const before = this.data.dropped?.[server]
    ;(this.data.dropped ??= dict())[server] = { pins: (before?.pins ?? 0) + gone.length, at: now }
    this.unsavedDropped.add(server)
    if (!this.warned.has(server)) {
      this.warned.add(server)
      this.log.warn(`server ${server} changes its tool names all the time: of the tools it no longer lists, ${MAX_UNLISTED_PINS} keep their pins (the ones seen first), the others are dropped`, {
        server,
        listed: listed.size,
        dropped: gone.length,
        remedy: "nothing to do if the server puts ids or dates in its tool names (each new name is a new tool, pinned at first sight); otherwise find out why it renames its tools",
      })
    }
    return gone.length
  }

  /** The registry generation and file version `rekeySecretNames` last looked at. */
  private rekeyed = ""

  /**
   * Pins keyed by a name that holds a configured value (a file written before names were hashed, or
   * a value registered since: `pinKey`) moved to their hashed key, once per registry generation
   * and file version. Returns whether any moved (the file is written shortly).
   */
  private rekeySecretNames(): boolean {
    const at = `${secrets.generation}:${this.mtime}`
    if (this.rekeyed === at) return false
    this.rekeyed = at
    let moved = false
    for (const [server, pins] of Object.entries(this.data.servers)) {
      for (const [name, pin] of Object.entries(pins)) {
        const key = pinKey(name)
        if (key === name) continue
        // a pin under the new key (taken since) stands; the old one goes either way
        if (pins[key] === undefined) this.set(server, key, pin)
        this.set(server, name, undefined)
        moved = true
      }
    }
    return moved
  }

  /** A write due in at least `delayMs`, and no sooner than `PIN_WRITE_INTERVAL_MS` after the last one. */
  private due(delayMs: number): void {
    const wait = Math.max(delayMs, this.lastWrite + this.interval - performance.now())
    if (wait <= 0) return this.flushSoon()
    this.timer ??= setTimeout(() => this.flushSoon(), wait).unref()
  }

  private note(server: string, tool: string, at: string, blocked: boolean): void {
    this.recent.push({ server, tool, at, blocked })
    if (this.recent.length > 50) this.recent.shift()
  }

  private reloadIfChanged(): void {
    try {
      const st = statSync(this.path)
      if (st.mtimeMs !== this.mtime || (this.unreadable !== undefined && st.ctimeMs !== this.ctime)) this.reload()
    } catch (e) {
      // no file yet; or deleted since this process read or wrote it
      if ((e as NodeJS.ErrnoException).code === "ENOENT") this.missing()
    }
  }

  /**
   * No file there. At start (none read or written yet): restored from the stored lists if there are
   * any (`restoreFromStored`; a first run has none). After this process read or wrote one: deleted
   * while running, so the pins in memory are written back at once (and servers without pins there
   * pinned from their stored lists). Said once per deletion.
   */
  private missing(): void {
    if (this.mode === "off" || this.gone) return
    if (!this.seen) {
      if (!this.started) this.vanished = this.restoring = true
      return
    }
    this.gone = this.vanished = true
    this.mtime = 0
    this.restoreAgain()
  }

  /**
   * Read the file when it is a pins file of at most `MAX_PINS_FILE_BYTES`; else a warning and the
   * pins in memory stand (none at start). Read once per change of the file either way.
   */
  private reload(): void {
    let text: string
    try {
      const read = readCapped(this.path, MAX_PINS_FILE_BYTES)
      this.mtime = read.mtimeMs
      if (read.text === undefined) {
        this.readProblem = `${this.path} is ${mib(read.size)}, over the ${mib(MAX_PINS_FILE_BYTES)} a pins file is read up to (an older version kept every tool name it saw); ${KEEP_NOTE}`
        this.log.warn("tool pins file too large: not read; pins start afresh (the defence stays on: tools are pinned again as they are listed)", {
          path: this.path,
          bytes: read.size,
          limit: MAX_PINS_FILE_BYTES,
          remedy: "nothing to do: the next write keeps it as pins.json.corrupt (mcp-orchestrator pins reset does it now)",
        })
        this.foundDamaged()
        return
      }
      text = read.text
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      // ENOTDIR: a file stands where its directory (or one above) should be, so no pins file can be
      // there: none, as ENOENT. The first write fails and says what to do: one warning, not two
      if (code === "ENOENT" || code === "ENOTDIR") {
        this.unreadable = undefined
        if (code === "ENOENT") this.missing()
        return
      }
      // read again once it changes (its mode too: ctime), not at every listing (a warning each time)
      this.mtime = mtimeOf(this.path) ?? this.mtime
      this.ctime = ctimeOf(this.path)
      // a directory where the file should be is no pins file: kept aside at the next write
      if (code === "EISDIR") {
        this.readProblem = `${this.path} cannot be read: ${errorMessage(e)}; ${KEEP_NOTE}`
        this.foundDamaged()
        this.log.warn("cannot read the tool pins file; starting afresh", { path: this.path, error: errorMessage(e), remedy: READ_REMEDY })
        return
      }
      // EACCES, EPERM, EIO: the file may be fine, it is not ours to read now. It is left alone (never
      // kept aside as damaged, never written over: its pins would be lost) until it can be read.
      // ENOTREG: a device, FIFO or socket there (proxy.pinsFile: /dev/null) is left alone for good
      const remedy = readRemedy(this.path, code)
      this.readProblem =
        code === NOT_REGULAR ? `${errorMessage(e)}, and pins live in memory only` : `${this.path} cannot be read (${errorMessage(e)}): it is left as it is, and pins taken meanwhile live in memory only`
      this.damaged = false
      if (this.unreadable !== remedy) this.log.warn("cannot read the tool pins file: left as it is, pins kept in memory only", { path: this.path, error: errorMessage(e), remedy })
      this.unreadable = remedy
      return
    }
    this.unreadable = undefined
    let f: PinFile | undefined
    try {
      f = fromFile(JSON.parse(text))
    } catch (e) {
      this.readProblem = `${this.path} is not valid JSON (${errorMessage(e)}); ${KEEP_NOTE}`
      this.log.warn("cannot read the tool pins file; starting afresh", { path: this.path, error: errorMessage(e), remedy: READ_REMEDY })
      this.foundDamaged()
      return
    }
    if (f === undefined) {
      this.readProblem = `${this.path} is not a pins file (expected {"v": 1, "servers": {…}}); ${KEEP_NOTE}`
      this.log.warn("tool pins file has an unknown format; starting afresh", { path: this.path })
      this.foundDamaged()
      return
    }
    this.readProblem = undefined
    this.damaged = false
    this.seen = true
    const held = this.started ? pendingByServer(this.data) : undefined
    this.data = this.merged(f)
    if (held !== undefined) this.releasedSince(held)
  }

  /** Told the servers whose withheld tools another process released (`pins approve`, `pins reset`): see `onReleased`. */
  private readonly releasedListeners = new Set<(servers: string[]) => void>()

  /**
   * `listener` hears the servers of which a tool held pending (withheld with `block`) is pending no
   * more after the file was read again: another process approved it or reset the pins. What this
   * process listed of them was gated with the pending pins: the app lists them again (and announces
   * list_changed), else a client that never re-lists (Cursor) keeps the list without the approved tool.
   */
  onReleased(listener: (servers: string[]) => void): () => void {
    this.releasedListeners.add(listener)
    return () => void this.releasedListeners.delete(listener)
  }

  private releasedSince(held: Map<string, Map<string, string>>): void {
    const now = pendingByServer(this.data)
    const released = [...held].filter(([server, tools]) => [...tools].some(([tool, hash]) => now.get(server)?.get(tool) !== hash)).map(([server]) => server)
    if (released.length === 0 || this.releasedListeners.size === 0) return
    this.log.info("withheld tool definitions were approved (or the pins reset) by another process: their servers are listed again", { servers: released })
    // not within the read (a gate() or blocked() may be reading): after it
    queueMicrotask(() => {
      for (const l of this.releasedListeners) l(released)
    })
  }

  /** The file is no pins file we can read: kept aside at the next write, pins restored (at start, or again while running). */
  private foundDamaged(): void {
    this.damaged = true
    if (!this.seen) this.restoring = true
    else this.restoreAgain()
  }

  /**
   * `file` (just read: another process wrote it) with the pins set or dropped here and not written
   * yet: each one goes in unless the other process changed that same pin meanwhile (e.g. `pins
   * approve` of a pending definition), in which case its value stands.
   */
  private merged(file: PinFile): PinFile {
    for (const [key, u] of this.unsaved) {
      const theirs = file.servers[u.server]?.[u.tool]
      const mine = this.data.servers[u.server]?.[u.tool]
      if (pinJson(theirs) !== u.base) {
        // their value stands (e.g. an approval); a definition we saw since, that it does not
        // approve, stays pending on top of it: an approval never lets an unseen definition through
        if (theirs !== undefined && mine?.pending !== undefined && mine.pending.hash !== theirs.hash) {
          file.servers[u.server]![u.tool] = { hash: theirs.hash, firstSeen: theirs.firstSeen, pending: mine.pending }
        } else this.unsaved.delete(key)
        continue
      }
      if (mine === undefined) delete file.servers[u.server]?.[u.tool] // dropped here (unlisted)
      else (file.servers[u.server] ??= dict())[u.tool] = mine
    }
    for (const server of this.unsavedDropped) {
      const mine = this.data.dropped?.[server]
      if (mine !== undefined) (file.dropped ??= dict())[server] = mine
    }
    return file
  }

  /** Renames the damaged file aside (`*.corrupt`: the pins it held stay for the user) before it is replaced. */
  private keepDamaged(): void {
    this.damaged = false
    const kept = keepAside(this.path)
    // info: the read already warned, naming the file (one warning per damaged file: a start after a
    // crash mid-write said it twice)
    if (kept) this.log.info("damaged tool pins file kept aside; a new one is written", { path: this.path, kept, remedy: "compare it with the new pins (mcp-orchestrator pins list), then remove it" })
  }

  private save(): void {
    this.lastWrite = performance.now()
    // a file that cannot be read may hold pins that are fine: a write would replace them with ours
    if (this.unreadable !== undefined) return
    try {
      if (this.damaged) this.keepDamaged()
      writeFileAtomic(this.path, JSON.stringify(this.data, null, 1))
      this.seen = true
      this.gone = false
      this.unsaved.clear()
      this.unsavedDropped.clear()
      this.readProblem = undefined
      this.writeProblem = undefined
      this.mtime = statSync(this.path).mtimeMs
    } catch (e) {
      const problem = `${this.path} cannot be written (${errorMessage(e)}): pins stay in memory and are lost at exit`
      const again = this.writeProblem?.problem === problem
      this.writeProblem = { problem, remedy: writeRemedy(this.path, (e as NodeJS.ErrnoException).code) }
      // said once while the same failure lasts (each later write fails alike), and shown in orchestrator_status and doctor
      if (again) this.log.debug("cannot write the tool pins file (pins stay in memory)", { path: this.path, error: errorMessage(e) })
      else this.log.warn("cannot write the tool pins file (pins stay in memory)", { path: this.path, error: errorMessage(e), remedy: this.writeProblem.remedy })
    }
  }
}

/** Can this user create files in `dir`? An absent one counts as writable (it is made at the write; a state directory deleted whole is a deletion). */
function dirWritable(dir: string): boolean {
  try {
    accessSync(dir, fsc.W_OK)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT"
  }
}

function ctimeOf(path: string): number | undefined {
  try {
    return statSync(path).ctimeMs
  } catch {
    return undefined
  }
}

/** What to do about a pins file that exists but cannot be read (`code`: EACCES, EPERM, EIO…). */
function readRemedy(path: string, code: string | undefined): string {
  if (code === NOT_REGULAR) {
    return `point proxy.pinsFile (MCPO_PROXY_PINS_FILE) at a regular file (or leave it unset: a file in the state directory); ${path} is left as it is, and pins live in memory only meanwhile: a restart pins every tool afresh, so a definition changed between runs is not caught. To pin nothing at all, set proxy.pinTools: off`
  }
  if (code === "ELOOP") {
    const fix = unwritableFix({ dir: dirname(path), file: path, setting: "proxy.pinsFile (MCPO_PROXY_PINS_FILE)" }, code)
    return `${fix} to another path; it is picked up at the next tool listing. Until then pins live in memory only: a definition changed since it was pinned there is not caught`
  }
  const fix = code === "EACCES" || code === "EPERM" ? `make ${path} readable and writable by this user (e.g. chmod u+rw ${path}; ls -l shows its owner)` : `check the disk holding ${path}`
  return `${fix}; it is picked up at the next tool listing. Until then pins live in memory only: a definition changed since it was pinned there is not caught. Or set proxy.pinsFile (MCPO_PROXY_PINS_FILE) to another path`
}

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** What to do about a pins file that cannot be read (damaged, too large): nothing but compare, it is kept aside. */
const READ_REMEDY = "nothing to do: the next write keeps it as pins.json.corrupt, to compare with the new pins (`mcp-orchestrator pins list`; `mcp-orchestrator pins reset` keeps it aside now)"

/** What to do when the pins file cannot be written (`code`: EACCES, EROFS, ENOSPC…). */
function writeRemedy(path: string, code: string | undefined): string {
  const fix = unwritableFix({ dir: dirname(path), file: path, setting: "proxy.pinsFile (MCPO_PROXY_PINS_FILE)" }, code)
  return `${fix} to a writable path. Until then the pins live in memory only: a restart pins every tool afresh, so a definition changed meanwhile is not caught.`
}

/** How a damaged pins file's problem ends (it is kept aside at the next write). */
const KEEP_NOTE = "pins start afresh and the next write keeps it as pins.json.corrupt"

const pinJson = (p: Pin | undefined): string => (p === undefined ? "" : JSON.stringify(p))

/** The hash of a tool as served (its checked copy, as a stored list holds it): the same canonical hash as of one sent. */
function servedHash(t: unknown): string {
  return definitionHash(t as ToolLike)
}


/** The file's text when it is at most `max` bytes (read to its end, never past `max` + 1 bytes), else its size. */
function readCapped(path: string, max: number): { text?: string; size: number; mtimeMs: number } {
  // without blocking: a FIFO there would hold the open (and the event loop) until a writer came
  const fd = openSync(path, fsc.O_RDONLY | fsc.O_NONBLOCK | fsc.O_NOCTTY)
  try {
    const st = fstatSync(fd)
    // a device, FIFO or socket (proxy.pinsFile: /dev/null) is no pins file: never read, never replaced
    const special = specialKindOf(st)
    if (special !== undefined) throw notRegularFile(path, special)
    if (st.size > max) return { size: st.size, mtimeMs: st.mtimeMs }
    const chunks: Buffer[] = []
    let n = 0
    // to the end (it may have grown since the stat, if something writes it in place)
    for (let r = 1; r > 0 && n <= max; ) {
      const buf = Buffer.alloc(Math.min(Math.max(st.size - n, 0) + 65536, max + 1 - n))
      r = readSync(fd, buf, 0, buf.length, n)
      chunks.push(buf.subarray(0, r))
      n += r
    }
    if (n > max) return { size: n, mtimeMs: st.mtimeMs }
    return { text: Buffer.concat(chunks).toString("utf8"), size: n, mtimeMs: st.mtimeMs }
  } finally {
    closeSync(fd)
  }
}
