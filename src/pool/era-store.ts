/**
 * @module pool/era-store
 * The protocol-era verdicts of downstreams, remembered on disk so a warm start does not detect again:
 * one small JSON file in the state directory, keyed by a hash of what identifies the server (command,
 * args, cwd, env / url, transport) so an edited definition is detected afresh. Each verdict has a
 * timestamp; a legacy one expires (a server may have been upgraded), a modern one is dropped when it
 * stops working. Best effort: an unreadable or unwritable file only costs a detection.
 *
 * Several instances share the state directory (one per client window): each change is applied to
 * the file as it is at that moment, read again inside a short lock (core/file-lock) around the
 * atomic write, so one instance's whole map never replaces another's verdict written meanwhile;
 * where both hold a verdict for the same key, the newer one stays.
 *
 * A damaged file (not JSON, not an object, too large, no regular file) is said once per store (a
 * warning naming the file: its verdicts are detected again and the file rebuilt), not taken as
 * empty in silence: a file that stays damaged costs every start its detections. A file that cannot
 * be read or written where it is (a file or a symlink loop where the state directory should be, a
 * directory without permission, a read-only or full disk) is no damage: "the next verdict rewrites
 * it" would be false. It is said once per store, at info, with what to do: the pins store in the
 * same directory warns for the same cause, and here it only costs each start its detections.
 */
import { createHash } from "node:crypto"
import { dirname, join } from "node:path"
import { stateHome, type ServerSpec } from "../config/index.ts"
import { errorMessage, isRecord, NOT_REGULAR, readPlainText, tryFileLock, unwritableFix, withFileLockSoon, writeFileAtomic, type Logger } from "../core/index.ts"
import type { Era } from "./era.ts"

/** A legacy verdict is trusted this long, then the server is probed again (it may have been upgraded). */
const LEGACY_TTL_MS = 7 * 24 * 3600_000
const MAX_ENTRIES = 500
/** The most protocol-eras.json is read: MAX_ENTRIES verdicts are ~100 KiB; a larger file (a sparse `truncate -s 2G`) is damaged, not read whole (no verdicts: detected again, the file rewritten). */
const MAX_ERAS_FILE_BYTES = 4 << 20
/** A confirmed legacy verdict's timestamp is refreshed at most this often. */
const REFRESH_MS = 24 * 3600_000

/**
 * The detection rule a verdict was made by. Legacy verdicts of rule 1 (no `rule` field) may be
 * wrong: a probe left unanswered in time (a slow or loaded start) or a crash on the probe was
 * saved as legacy, and a dual-era server then stayed legacy for a week. They are not trusted: the
 * server is probed again once, and its verdict saved by this rule.
 */
const RULE = 2

interface Verdict {
  era: Era
  /** Epoch ms of the detection. */
  at: number
  rule?: number
}

/** A verdict dated further ahead of the clock than this was made while a clock was wrong: its age means nothing. */
const AHEAD_MS = 60_000

/** Dated ahead of the clock (see AHEAD_MS). */
const ahead = (v: Verdict): boolean => v.at - Date.now() > AHEAD_MS

/**
 * A legacy verdict is trusted only within its TTL and when made by the current rule, and not when
 * dated ahead of the clock (it would be trusted until the clock passed its date, plus the TTL).
 */
function trusted(v: Verdict): boolean {
  return v.era !== "legacy" || (Date.now() - v.at <= LEGACY_TTL_MS && !ahead(v) && (v.rule ?? 1) >= RULE)
}

/**
 * The file's verdicts of the right shape: an era we know and a time. Another entry (a hand edit,
 * a damaged or foreign file) is no verdict: its server is probed, and the next write leaves it
 * out (before, an `era` of any other value skipped the probe and opened as legacy, and a `null`
 * entry made every later write throw once the file held 500).
 */
function verdicts(file: Record<string, unknown>): Record<string, Verdict> {
  const out: Record<string, Verdict> = Object.create(null) as Record<string, Verdict>
  for (const [key, v] of Object.entries(file)) {
    if (!isRecord(v) || (v.era !== "legacy" && v.era !== "modern") || typeof v.at !== "number" || !Number.isFinite(v.at)) continue
    out[key] = { era: v.era, at: v.at, ...(typeof v.rule === "number" ? { rule: v.rule } : {}) }
  }
  return out
}

export interface EraStore {
  get(spec: ServerSpec): Era | undefined
  set(spec: ServerSpec, era: Era): void
  forget(spec: ServerSpec): void
}

export function specHash(spec: ServerSpec): string {
  const s = spec as Record<string, unknown>
  const id = "command" in spec ? { command: s.command, args: s.args, cwd: s.cwd, env: s.env } : { url: s.url, transport: s.transport }
  return createHash("sha256").update(JSON.stringify(id)).digest("hex").slice(0, 32)
}

export class FileEraStore implements EraStore {
  private readonly file: string
  private data: Record<string, Verdict> | undefined
  /** Changes waiting for another instance's lock, in order. */
  private queue: Promise<void> | undefined
  /** The damaged file was warned about (once per store: it is read again at every change). */
  private warned = false

  constructor(
    dir: string = stateHome(process.env),
    private readonly log?: Logger,
  ) {
    this.file = join(dir, "protocol-eras.json")
  }

  get(spec: ServerSpec): Era | undefined {
    const v = this.load()[specHash(spec)]
    if (!v || !trusted(v)) return undefined
    return v.era
  }

  set(spec: ServerSpec, era: Era): void {
    const key = specHash(spec)
    // Every session start confirms its verdict: write only what is new (or a legacy one a day old),
    // so 50 servers starting do not rewrite the file 50 times.
    const known = (v: Verdict | undefined): boolean => v?.era === era && (era === "modern" || (Date.now() - v.at < REFRESH_MS && trusted(v)))
    if (known(this.load()[key])) return
    this.change((data) => {
      if (known(data[key])) return false
      const mine: Verdict = { era, at: Date.now(), rule: RULE }
      const theirs = data[key]
      // another instance's verdict for the same server, newer than this one (its clock a little ahead): it
      // stays; one dated past AHEAD_MS is replaced (kept, it would block every later verdict until then)
      if (theirs !== undefined && theirs.at > mine.at && !ahead(theirs)) return false
      data[key] = mine
      const keys = Object.keys(data)
      if (keys.length > MAX_ENTRIES) for (const k of keys.sort((a, b) => data[a]!.at - data[b]!.at).slice(0, keys.length - MAX_ENTRIES)) delete data[k]
      return true
    })
  }

  forget(spec: ServerSpec): void {
    const key = specHash(spec)
    const seen = this.load()[key]
    this.change((data) => {
      const now = data[key]
      if (now === undefined) return false
      // a verdict another instance wrote after the one this instance saw stays (it is newer)
      if (seen !== undefined && now.at > seen.at && !ahead(now)) return false
      delete data[key]
      return true
    })
  }

  /**
   * Applies `edit` to the file as it is now (read again under the lock), and writes it when `edit`
   * says it changed something: a change made meanwhile by another instance is kept.
   */
  private change(edit: (data: Record<string, Verdict>) => boolean): void {
    const section = (): void => {
      this.data = undefined
      const data = this.load()
      if (edit(data)) this.save()
    }
    try {
      // at once when the lock is free (the common case); behind another instance's live lock, later:
      // waited for without blocking the event loop (core/file-lock), in order with this store's other changes
      if (this.queue === undefined && tryFileLock(this.file, section) !== undefined) return
    } catch {
      return // best effort: the next start detects again
    }
    edit(this.load()) // seen here meanwhile
    const q = (this.queue ?? Promise.resolve()).then(() => withFileLockSoon(this.file, section)).catch(() => {})
    this.queue = q
    void q.finally(() => {
      if (this.queue === q) this.queue = undefined
    })
  }

  private load(): Record<string, Verdict> {
    if (this.data) return this.data
    let text: string
    try {
      text = readPlainText(this.file, MAX_ERAS_FILE_BYTES)
    } catch (e) {
      this.data = {}
      const code = (e as NodeJS.ErrnoException).code
      // absent: the first start, nothing to say; too large or no regular file: damaged (a write replaces it);
      // anything else is the place, not the content
      if (code === "EFBIG") this.damaged(`larger than ${MAX_ERAS_FILE_BYTES} bytes, the most it is read`)
      else if (code === NOT_REGULAR) this.damaged(errorMessage(e))
      else if (code !== "ENOENT") this.unusable(e)
      return this.data
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    this.data = isRecord(parsed) ? verdicts(parsed) : {}
    if (!isRecord(parsed)) this.damaged(parsed === undefined ? "not valid JSON" : "not a JSON object of verdicts")
    return this.data
  }

  private damaged(why: string): void {
    if (this.warned) return
    this.warned = true
    this.log?.warn("protocol era file damaged: ignored, each server's protocol era is detected again and the file rebuilt", {
      path: this.file,
      problem: why,
      remedy: "nothing to do: the next verdict rewrites it; should this repeat, remove the file",
    })
  }

  /** The file cannot be read or written where it is (see the module comment): said once, at info. */
  private unusable(e: unknown): void {
    if (this.warned) return
    this.warned = true
    const fix = unwritableFix({ dir: dirname(this.file), file: this.file, setting: "XDG_STATE_HOME" }, (e as NodeJS.ErrnoException).code)
    this.log?.info("protocol era file cannot be used: verdicts kept in memory, each start detects every server's protocol era again", {
      path: this.file,
      problem: errorMessage(e),
      remedy: `${fix} to a writable directory, then restart.`,
    })
  }

  private save(): void {
    try {
      // a cache of probes (checked when read): no disk flush inside the shared lock
      writeFileAtomic(this.file, JSON.stringify(this.data), { sync: false })
    } catch {
      // best effort: the next start detects again (a place that cannot be written was found by the lock or the read)
    }
  }
}

/** Verdicts for this process only (tests, or when no state directory is wanted). */
export class MemoryEraStore implements EraStore {
  private readonly m = new Map<string, Era>()
  get(spec: ServerSpec): Era | undefined {
    return this.m.get(specHash(spec))
  }
  set(spec: ServerSpec, era: Era): void {
    this.m.set(specHash(spec), era)
  }
  forget(spec: ServerSpec): void {
    this.m.delete(specHash(spec))
  }
}
