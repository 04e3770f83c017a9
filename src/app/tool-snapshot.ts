/**
 * @module app/tool-snapshot
 * The last complete tools/list answer, kept on disk so the next start can answer tools/list before
 * the orchestrator (cache, pool, plugins) is even loaded. One file per configuration (keyed by a
 * hash of what shapes the list), written atomically (temp file + rename) with a checksum; a file
 * that fails the check is ignored. The fresh list replaces it and list_changed tells the client.
 *
 * The key holds the working directory when a stdio server runs in it (has no `cwd` of its own), and
 * with the Toolkit in use its state files as this start found them (`toolkitPart`).
 *
 * Only an answer built from a complete aggregate is stored (`save`'s `built`: every server's tool list
 * known, none still starting or listing for the first time; a server the last run found silent on
 * tools/list, which never listed, counts as known with no tools: proxy/silence): an answer given while a server had not
 * listed yet (after proxy.listWait, or while the session ends) would be the next start's first answer,
 * and Cursor keeps that for its whole session. Such an answer is held instead, and stored if it turns
 * out complete (the missing servers listed and added nothing: `completed`); the file keeps the last
 * complete one meanwhile. A server's changed list is stored only once the file is marked superseded
 * by it (`superseded`; per server and window: app/snapshot-marks): a run that ends or is killed
 * before the next complete answer is written leaves no first answer lacking what the per-server
 * stores know.
 *
 * The file holds the answer exactly as it was written to the client (validated, normalised,
 * namespaced, redacted): `{"v":2,…,"hash":H,"bytes":N,"answer":<result JSON>}` with the answer last,
 * so a start reads it as bytes, checks the header, the length and the hash of those bytes, and
 * writes them out as they are (a 5 000-tool answer is ~5 MB: no decoding, parsing or serialising
 * on the way to the first answer).
 *
 * Next to it, an "early index" lets the early face (src/early-face.ts) answer the first tools/list
 * before the CLI and config are even loaded: keyed by what the early face sees without loading
 * anything (version, argv, cwd, the whole environment), it names every file the config was loaded
 * from (contents hashed; earlier default config candidates that must stay absent; with
 * `proxy.pinTools: block` the pins file, whose withheld tools shape the list: `pinsState`), the plugin
 * directories (their entry names hashed) with each plugin file in them, with the Toolkit in use its
 * state files (app/toolkit-files: a server enabled with the docker CLI since is another list), and the snapshot
 * bytes the real face would serve for that config. It is written only when all of that is certain:
 * the files still hold what this start loaded, loading them again gives this snapshot's key, and the
 * answer holds no registered secret (the config's secrets are a function of the same inputs).
 */
import { closeSync, constants as fsc, existsSync, fstatSync, openSync, readdirSync, readSync, statSync, unlinkSync, writeFileSync } from "node:fs"
import { markUsed, pruneUnused } from "./snapshot-prune.ts"
import { clearMarks, isMarked, mark, markedBy, marksDir, unmarkServer, windowId } from "./snapshot-marks.ts"
import { dirname, join, resolve } from "node:path"
import type { Tool } from "@modelcontextprotocol/client"
import { cacheHome, configHome, DEFAULT_NAMES, envFilePath, isPluginFile, pinsFile, resolvePluginDirs, type LoadedConfig } from "../config/index.ts"
import { MAX_PINS_FILE_BYTES } from "../catalog/index.ts"
import { MAX_PLUGIN_FILES } from "../plugin/index.ts"
import { GATEWAY_SERVER_NAME } from "./toolkit-gateway.ts"
import { baseEnvTag } from "./env-tag.ts"
import { toolkitStamps } from "./toolkit-files.ts"
import { errorMessage, readPlainFile, readPlainText, secrets, silentLogger, trimWhenQuiet, VERSION, writeFileAtomic, type Logger } from "../core/index.ts"
import { firstToldUnwritable, unwritableRemedy } from "../cache/index.ts"

/** What the early face computed at this start (handed over with stdin): where its index goes, and its key. */
export interface EarlyKey {
  indexPath: string
  stamp: EarlyStamp
  /** The stamp as of now (the environment could have changed in the process since). */
  current(): EarlyStamp
}
export interface EarlyStamp {
  version: string
  argv: string[]
  cwd: string
  /** Bun.hash of the whole environment, hex. */
  env: string
}
/**
 * A file the config depended on: its size and Bun.hash of its contents, or that it must not exist;
 * or a directory (a plugin directory): Bun.hash of its sorted entry names (`listing`); or a Docker
 * Toolkit state file's identity, size and times (`meta`: docker/cli-stamp `metaStamp`).
 */
export type FileStamp = { path: string; size: number; hash: string } | { path: string; absent: true } | { path: string; listing: string } | { path: string; meta: string }
/** The early index (JSON): when `stamp` and every file match, the answer is `snapshot`'s bytes [offset, offset+bytes). */
export interface EarlyIndex {
  v: 1
  stamp: EarlyStamp
  files: FileStamp[]
  /**
   * `until`: the answer is not served from this moment on (epoch ms; the snapshot header's). None:
   * the index vouches for the config files only (`vouchConfig`: no answer stored yet).
   */
  snapshot?: { path: string; size: number; offset: number; bytes: number; hash: string; until?: number }
}
/** The early face answered the first tools/list from a snapshot: request id, the bytes and their hash. */
export interface EarlyListing {
  id: string | number
  bytes: Uint8Array
  hash: string
  /** The snapshot file they were read from. */
  path: string
  /** Served until then (epoch ms), as the snapshot says (`SnapshotHeader.until`). */
  until?: number | undefined
}

/**
 * `stampFile`'s last stamp per path, with the file's identity and times when it was read: the key is
 * built at every save (plugin files included), and a file unchanged since is not read and hashed
 * again. Any write changes its mtime and ctime (an mtime set back by `touch -d` still moves the
 * ctime), a replacement its inode.
 */
const stamped = new Map<string, { ino: number; size: number; mtimeMs: number; ctimeMs: number; stamp: FileStamp }>()
/**
 * A file changed this recently is read again at each stamp: on a filesystem with coarse timestamps
 * (1–2 s), a second write within the same tick would leave mtime, ctime and size as they were.
 */
const SETTLED_MS = 2_000

/** Bun.hash of a file's contents (hex) and its size, or absent. The early face computes the same. */
export function stampFile(path: string): FileStamp {
  try {
    const st = statSync(path)
    if (!st.isFile()) {
      stamped.delete(path)
      return { path, size: -1, hash: "" }
    }
    const known = stamped.get(path)
    if (known && known.ino === st.ino && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ctimeMs === st.ctimeMs) return known.stamp
    const data = readPlainFile(path)
    const stamp: FileStamp = { path, size: data.byteLength, hash: Bun.hash(data).toString(16) }
    // kept only for a file that has been still for a while, and was read whole as it was stat'ed
    if (data.byteLength === st.size && Date.now() - Math.max(st.mtimeMs, st.ctimeMs) > SETTLED_MS) stamped.set(path, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, stamp })
    else stamped.delete(path)
    return stamp
  } catch (e) {
    stamped.delete(path)
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? { path, absent: true } : { path, size: -1, hash: "" }
  }
}

/** A directory's entry names (sorted), hashed; or absent; a file where a directory should be never matches. */
export function stampDir(path: string): FileStamp {
  try {
    const names = readdirSync(path).sort()
    return { path, listing: Bun.hash(JSON.stringify(names)).toString(16) }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? { path, absent: true } : { path, size: -1, hash: "" }
  }
}

/**
 * The plugin directories and the plugin files in them, stamped: a plugin's `tools` hook shapes the
 * list (it hides, renames, describes), so a plugin added, removed or edited since the answer was
 * stored makes it another answer.
 */
export function pluginStamps(c: LoadedConfig["config"], env: Record<string, string | undefined>): FileStamp[] {
  const out: FileStamp[] = []
  // the files the plugin host loads, and no more: at most MAX_PLUGIN_FILES, in composition order
  // (plugin/file-cap; each directory's names by bytes, as plugin/discover). A directory of 100 000
  // files was stat'ed and hashed whole, synchronously, at each start and each store; the rest is
  // refused unread, and a file added or removed there still changes the directory's listing stamp
  let left = MAX_PLUGIN_FILES
  for (const dir of resolvePluginDirs(c.plugins.dirs, [], env)) {
    const at = resolve(dir)
    const listed = stampDir(at)
    out.push(listed)
    if (!("listing" in listed) || left <= 0) continue
    let names: string[]
    try {
      names = readdirSync(at).filter(isPluginFile).sort(byBytes).slice(0, left)
    } catch {
      continue
    }
    left -= names.length
    for (const name of names) out.push(stampFile(join(at, name)))
  }
  return out
}

/** plugin/discover's order of a directory's names. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** Where the tool pins are (the file app/orchestrator's ToolPins opens). */
function pinsPath(c: LoadedConfig["config"], env: Record<string, string | undefined>): string {
  return resolve(pinsFile(c.proxy.pinsFile, env))
}

/**
 * With `proxy.pinTools: block` the pins shape the list: a tool whose definition changed is withheld
 * while its change waits for `pins approve` (after which a start must list it again; `pins reset`
 * likewise). The tools of this config's servers (and the Toolkit gateway's) withheld now, as the file
 * holds them: each with its pinned hash and the one waiting. Pins taken or dropped (new tools seen,
 * another config sharing the file) change nothing the list shows, and leave it as it was. Null in
 * other modes.
 */
export function pinsState(c: LoadedConfig["config"], env: Record<string, string | undefined>): unknown {
  if (c.proxy.pinTools !== "block") return null
  let file: unknown
  try {
    const path = pinsPath(c, env)
    const st = statSync(path)
    // a FIFO or a device (`pinsFile: /dev/null`) is never opened here: a FIFO's open blocked the serve for good
    if (!st.isFile()) return "not a file"
    if (st.size > MAX_PINS_FILE_BYTES) return "too large"
    // (and one swapped in since the stat is refused by the read, never waited on)
    file = JSON.parse(readPlainText(path, MAX_PINS_FILE_BYTES))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return code === "ENOENT" ? [] : code === "ENOTREG" ? "not a file" : code === "EFBIG" ? "too large" : "unreadable"
  }
  const servers = (file as { servers?: unknown } | null)?.servers
  if (typeof servers !== "object" || servers === null) return "no pins"
  const out: [string, string, unknown, unknown][] = []
  for (const name of new Set([...Object.keys(c.servers), GATEWAY_SERVER_NAME])) {
    const pins = Object.hasOwn(servers, name) ? (servers as Record<string, unknown>)[name] : undefined
    if (typeof pins !== "object" || pins === null) continue
    for (const [tool, pin] of Object.entries(pins)) {
      const p = pin as { hash?: unknown; pending?: { hash?: unknown } } | null
      if (p?.pending) out.push([name, tool, p.hash ?? null, p.pending.hash ?? null])
    }
  }
  return out.sort((x, y) => (x[0] + "\0" + x[1] < y[0] + "\0" + y[1] ? -1 : 1))
}

/**
 * The key's part for the working directory: a stdio server without a `cwd` runs in ours, and what it
 * lists may depend on it (`npx` prefers a project's own node_modules, a git server serves the
 * repository it runs in): two projects started with one config do not share a first answer. Nothing
 * when every enabled stdio server has its own cwd (the key as before).
 */
function cwdPart(c: LoadedConfig["config"]): unknown[] {
  const inherits = Object.values(c.servers).some((s) => !s.disabled && "command" in s && !s.cwd)
  return inherits ? [{ cwd: process.cwd() }] : []
}

/**
 * The key's part for the base environment servers inherit (app/env-tag: LANG, PATH…): a stdio
 * server or the Toolkit gateway may list by it (descriptions localised by LANG). Two windows of one
 * config in two environments shared one answer, and each start served the other window's list
 * (before, the stored lists were kept apart by it, the first answer not). Nothing when no server
 * inherits it (only remote servers: the key as before).
 */
function envPart(c: LoadedConfig["config"], env: Record<string, string | undefined>): unknown[] {
  const inherits = c.toolkit.enabled !== "off" || Object.values(c.servers).some((s) => !s.disabled && "command" in s)
  return inherits ? [{ env: baseEnvTag(env) }] : []
}

/** The key's part for the pins: nothing when no tool is withheld (the key of a config without pins, as before). */
const withheldPart = (state: unknown): unknown[] => (state === null || (Array.isArray(state) && state.length === 0) ? [] : [state])

interface SnapshotHeader {
  v: 2
  version: string
  key: string
  /** Bun.hash (wyhash) of the answer's bytes, hex. */
  hash: string
  /** Byte length of the answer. */
  bytes: number
  /**
   * Not served from this moment on (epoch ms): the answer was complete only because notes of
   * earlier runs let servers that never listed count as listed with no tools (proxy/silence), and a
   * start after that waits for them again (Completeness `until`).
   */
  until?: number
  /**
   * A fingerprint of each server's tool list in the answer (`<tools>:<hash>`: app/orchestrator
   * `listPrints`), by server; a server without a list (counted as listed with no tools by a silence
   * note) is absent. The next writer compares its own with them (`ToolSnapshot.flush`).
   */
  lists?: Record<string, string>
}

const ANSWER_KEY = Buffer.from(',"answer":')
/** Quiet time after the last change before the file is written (a ~5 MB write: not on every change). */
const SAVE_DELAY_MS = 1000
/**
 * Largest snapshot file read at start (a 5 000-tool answer is ≈ 5 MB): a larger one is ignored (the
 * list is built from the servers, and the next complete answer replaces the file).
 */
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
/** The header is small (its `lists`: some 40 bytes a server); the answer key is searched for within this many bytes. */
const MAX_HEADER = 256 * 1024

/** Whether an answer was built from a complete aggregate; may turn true later (proxy `toolsListing`), and until when it may be served. */
export interface Completeness {
  readonly complete: boolean
  /** Epoch ms from which a start must not answer from it (proxy/completeness `ToolsListing.until`). */
  readonly until?: number | undefined
}

const COMPLETE: Completeness = { complete: true }

/** An answer to store: its chunks, whether it is complete, and the config key and file it was built for. */
interface Answer {
  chunks: readonly Uint8Array[]
  built: Completeness
  key: string
  path: string
  /** Each server's list fingerprint when the answer was built (SnapshotHeader `lists`). */
  lists?: Readonly<Record<string, string>> | undefined
}

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
  /** The last written (or read) answer's `until`. */
  private lastUntil: number | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  /** The complete answer waiting for its (debounced) write. */
  private pending: Answer | undefined
  /** The last answer given, when it was not complete: written if it turns out complete. */
  private held: Answer | undefined
  /** Shut down: nothing is written any more. */
  private closed = false
  /** The files the config was loaded from, as this start found them (undefined: no early index). */
  private readonly startFiles: FileStamp[] | undefined
  /** The early index matches the stored answer (it answered this start, or was written since). */
  private indexed = false
  /**
   * The Toolkit's state files as this start found them, before anything probed the Toolkit: every
   * answer of this run is stored under them, so a change made during the run (the docker CLI, another
   * window; the running gateway may not have followed it) makes the next start build its list anew.
   */
  private readonly toolkitAtStart: FileStamp[]
  /** Files a write failed for (warned about once each). */
  private readonly unwritable = new Set<string>()
  /** This window's part of the superseded marks' names, and when it started (app/snapshot-marks). */
  private readonly window = windowId()
  private readonly startedAt = Date.now()
  /** By server: when this window last stored a changed list of it (`superseded`), epoch ms. */
  private readonly changedAt = new Map<string, number>()
  /** Servers a write was held back for (`flush`: said once each). */
  private readonly toldMissing = new Set<string>()

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly env: Record<string, string | undefined> = process.env,
    private readonly early?: EarlyKey,
    private readonly log: Logger = silentLogger,
  ) {
    this.toolkitAtStart = toolkitStamps(env)
    const at = this.location()
    this.key = at.key
    this.path = at.path
    this.startFiles = early && this.path ? configFiles(loaded, env) : undefined
  }

  /**
   * The early face answered tools/list with `listing` (from the early index). True when it is this
   * config's snapshot (then it is not read again, nor written again unchanged).
   */
  adoptEarly(listing: EarlyListing): boolean {
    if (!this.path || resolve(listing.path) !== resolve(this.path)) return false
    this.lastHash = listing.hash
    this.lastKey = this.key
    this.lastUntil = listing.until
    this.indexed = true
    return true
  }

  /**
   * Key and file of the RUNNING config (a reload updates it in place): everything that shapes the
   * aggregated list — servers, naming, plugins, Toolkit, toolsets, our version. A list saved after
   * a reload is stored under the new config's key, never under the one the process started with.
   */
  private location(c = this.loaded.config): { key: string; path: string | undefined } {
    const key = sha256(JSON.stringify([VERSION, this.loaded.file?.path ?? null, c.servers, c.proxy, c.plugins.dirs ?? null, c.plugins.enabled, pluginStamps(c, this.env), c.toolkit.enabled, c.toolkit.profile ?? null, c.toolkit.tools ?? null, c.toolsets, c.toolset ?? null, c.codeMode, ...withheldPart(pinsState(c, this.env)), ...cwdPart(c), ...envPart(c, this.env), ...this.toolkitPart(c)]))
    return { key, path: c.cache.enabled ? join(cacheHome(c.cache.dir, this.env), `tools-${key.slice(0, 16)}.snapshot.json`) : undefined }
  }

  /**
   * The key's part for the Docker Toolkit (app/toolkit-files): its state files as this start found
   * them, when the Toolkit is in use (nothing otherwise: the key as before).
   */
  private toolkitPart(c: LoadedConfig["config"]): unknown[] {
    return c.toolkit.enabled === "off" ? [] : [{ toolkit: this.toolkitAtStart }]
  }

  /**
   * The stored answer (the UTF-8 JSON of a tools/list result, `{"tools":[…]}`), or undefined when
   * absent, from another config/version, or damaged.
   */
  readAnswer(): Uint8Array | undefined {
    if (!this.path) return undefined
    const damaged = (what: string): undefined => {
      // the start goes on: the servers are asked, and the next complete answer replaces the file
      this.log.warn("stored first answer damaged; not used (the servers are asked, and the next complete answer replaces it)", { path: this.path, problem: what })
      return undefined
    }
    if (isMarked(this.path)) {
      this.log.info("stored first answer superseded (a run stored a server's changed list, then ended before the answer was rewritten); not used (the list is built from the stored lists and the servers)", { path: this.path })
      return undefined
    }
    try {
      // a file no answer of ours reaches (damaged, or not ours) is not read into memory at every start
      const st = statSync(this.path)
      if (!st.isFile()) return damaged("not a file (a directory or device in its place: remove it, or no answer can be stored)")
      if (st.size > MAX_SNAPSHOT_BYTES) return damaged(`${st.size} bytes, over the ${MAX_SNAPSHOT_BYTES} an answer is read up to`)
      const file = readPlainFile(this.path, MAX_SNAPSHOT_BYTES)
      const at = file.subarray(0, MAX_HEADER).indexOf(ANSWER_KEY)
      if (at < 0 || file[file.length - 1] !== 0x7d /* } */) return damaged(file.length === 0 ? "empty" : "no header, or cut short")
      let h: SnapshotHeader
      try {
        h = JSON.parse(`${file.subarray(0, at).toString("utf8")}}`) as SnapshotHeader
      } catch {
        return damaged("its header is not JSON")
      }
      // another version's or config's answer (a file name's 16 hex shared), or one past its date: not damage
      if (h.v !== 2 || h.key !== this.key || h.version !== VERSION || !servable(h.until)) return undefined
      const answer = file.subarray(at + ANSWER_KEY.length, file.length - 1)
      if (answer.byteLength !== h.bytes || answer[0] !== 0x7b /* { */) return damaged(`its answer is ${answer.byteLength} bytes, the header says ${h.bytes}`)
      const hash = hashOf(answer)
      if (hash !== h.hash) return damaged("its answer does not match the header's checksum")
      // checked against its run's secrets when written: one registered since (an envFile value, a
      // login) is not served from it; the servers are asked, and the fresh answer is redacted
      if (secrets.testJsonBytes(answer)) {
        this.log.info("stored first answer holds a secret registered since it was written; not used (the servers are asked)", { path: this.path })
        return undefined
      }
      this.lastHash = hash
      this.lastKey = this.key
      this.lastUntil = h.until
      markUsed(this.path, st.mtimeMs)
      return answer
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      // ENOTDIR: a file stands where the cache directory (or one above it) should be, so no answer
      // can be there: absent, as ENOENT. Storing one fails later, and that (or the cache) says what to do
      if (code === "ENOENT" || code === "ENOTDIR") return undefined
      // the cache directory cannot be entered (EACCES): the cache finds it too, a moment later; one
      // warning with what to do (it costs the cache's entries as well, so its words), the other at info
      const dir = dirname(this.path)
      this.log[firstToldUnwritable(dir) ? "warn" : "info"]("cannot read the stored first answer; not used (the servers are asked)", { path: this.path, error: errorMessage(e), remedy: unwritableRemedy(dir, code) })
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
   * Stores the answer (debounced; only when it changed) when `built` is complete, and holds it
   * otherwise (see `completed`). `answer` is the result's UTF-8 JSON as written to the client
   * (`{"tools":[…]}`, in chunks), else it is serialised from `tools`; `built` defaults to complete
   * (app/serve passes the proxy's `toolsListing`). It is stored under the config it was built for
   * (a reload after it does not move it). Failures are silent: it is only a head start.
   */
  save(tools: Tool[], answer?: readonly Uint8Array[], built: Completeness = COMPLETE, lists?: Readonly<Record<string, string>>): void {
    if (this.closed || !this.loaded.config.cache.enabled) return
    const chunks = answer ?? [new TextEncoder().encode(JSON.stringify({ tools }))]
    // the same answer again (a tools/list while nothing changed: the face hands out the same chunks)
    if (chunks === this.lastChunks && this.pending === undefined && built.complete) {
      this.held = undefined
      return
    }
    const { key, path } = this.location()
    if (!path) return
    const a: Answer = { chunks, built, key, path, lists }
    if (!built.complete) {
      // a pending complete answer is still the best there is: it stays (the file never goes partial)
      this.held = a
      return
    }
    this.held = undefined
    this.queue(a)
  }

  /**
   * The aggregate became complete: the held answer is stored when it is complete now, with the
   * servers' list fingerprints as they are now (`lists`: the servers it waited for have lists now).
   */
  completed(lists?: Readonly<Record<string, string>>): void {
    const held = this.held
    if (this.closed || !held?.built.complete) return
    this.held = undefined
    this.queue(lists && held.lists ? { ...held, lists } : held)
  }

  /**
   * A server's changed tool list is about to be stored (app/orchestrator `onToolsStored`): the
   * stored answer may lack it, and a run killed (SIGKILL, a crash) or ended (stdin EOF, SIGTERM)
   * before a complete answer replaces it would leave the next start a first answer without it (the
   * one Cursor keeps). Marked superseded first, synchronously (a small file beside it, which
   * `readAnswer` and the early face's index check); the next write of a complete answer removes it.
   */
  superseded(server: string, print?: string): void {
    // also once closed: a server that lists while the orchestrator stops is still stored
    if (!this.loaded.config.cache.enabled) return
    this.changedAt.set(server, Date.now())
    // an answer waiting for its write was built before this list: it lacks it (the list_changed
    // that follows builds the next one); so does one held until the aggregate is complete (stored
    // when the servers it waited for came: it would clear the mark without this list). Unless it
    // holds this very list (`print`, its fingerprint): stored once the stored lists were read, a
    // listing can be stored after the answer that shows it
    const holds = (a: Answer | undefined): boolean => print !== undefined && a?.lists?.[server] === print
    if (!holds(this.pending)) {
      clearTimeout(this.timer)
      this.timer = undefined
      this.pending = undefined
    }
    if (!holds(this.held)) this.held = undefined
    const { path } = this.location()
    if (!path || !existsSync(path)) return
    try {
      mark(path, server, this.window)
      // the early index names the marks' directory as absent: a start reading it now builds its list anew
    } catch (e) {
      // cannot mark it: the answer cannot be rewritten there either; the index goes, at least
      this.log.debug("cannot mark the stored first answer superseded", { path, error: errorMessage(e) })
      if (this.early) this.dropIndex(this.early.indexPath)
    }
  }

  /**
   * `server`'s stored list was dropped (a crash after it listed: proxy): the stores know nothing of
   * it newer than the stored answer, which is no longer superseded by it (its marks go; others stay).
   */
  dropped(server: string): void {
    if (!this.loaded.config.cache.enabled) return
    const { path } = this.location()
    if (path) unmarkServer(path, server)
  }

  private dropIndex(indexPath: string): void {
    try {
      unlinkSync(indexPath)
    } catch {
      // none there
    }
    this.indexed = false
  }

  /** Shutdown: writes what is due (a held answer only if complete), then stores nothing more. */
  close(): void {
    this.completed()
    this.flush()
    this.closed = true
    this.held = undefined
  }

  private queue(a: Answer): void {
    this.pending = a
    // trailing: a burst of changes (50 servers coming up) is written once, after it; shutdown flushes
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.flush()
      // a burst of list changes just settled: each left a multi-MB answer text and list objects
      // behind, which the GC does not hurry to collect (RSS stayed ~70 MiB higher with 5 000 tools);
      // the rest (freed pages, the relist's compiled code) goes back once calls are quiet too
      Bun.gc(true)
      trimWhenQuiet()
    }, SAVE_DELAY_MS)
    this.timer.unref?.()
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const a = this.pending
    this.pending = undefined
    if (a === undefined || this.closed) return
    const { chunks, key, path } = a
    const until = a.built.until
    if (chunks === this.lastChunks && key === this.lastKey && until === this.lastUntil) return
    try {
      // an answer too large to be read back at start (MAX_SNAPSHOT_BYTES) is not written either
      if (chunks.reduce((n, c) => n + c.byteLength, 0) > MAX_SNAPSHOT_BYTES - MAX_HEADER) return
      const answer = Buffer.concat(chunks)
      const hash = hashOf(answer)
      const lists = a.lists ? JSON.stringify(a.lists) : undefined
      const header = `{"v":2,"version":${JSON.stringify(VERSION)},"key":"${key}","hash":"${hash}","bytes":${answer.byteLength}${until !== undefined ? `,"until":${until}` : ""}${lists !== undefined && lists.length < MAX_HEADER / 2 ? `,"lists":${lists}` : ""}`
      const offset = Buffer.byteLength(header) + ANSWER_KEY.length
      if (hash === this.lastHash && key === this.lastKey && until === this.lastUntil) {
        this.lastChunks = chunks
        // complete, and what is stored already: no longer superseded (by this window's lists)
        clearMarks(path, this.window, this.startedAt)
        if (!this.indexed) this.writeIndex(key, path, answer, hash, offset, until)
        return
      }
      const replaced = a.lists ? this.compare(path, key, a.lists) : undefined
      if (replaced === "keep") return
      this.indexed = false
      writeFileAtomic(path, Buffer.concat([Buffer.from(header), ANSWER_KEY, answer, Buffer.from("}")]), NO_SYNC)
      clearMarks(path, this.window, this.startedAt)
      // servers this window lists otherwise than the answer it replaced, with nothing saying which is
      // newer: marked under a window of their own (a start after it builds its list from the stores)
      for (const server of replaced ?? []) {
        this.log.info("stored first answer marked superseded: another window stored a different tool list of this server", { path, server })
        mark(path, server, windowId())
      }
      this.lastChunks = chunks
      this.lastHash = hash
      this.lastKey = key
      this.lastUntil = until
      this.writeIndex(key, path, answer, hash, offset, until)
      // a new state's answer: the ones of states not used for a month go (app/snapshot-prune)
      pruneUnused(dirname(path), [path, ...(this.early ? [this.early.indexPath] : [])])
    } catch (e) {
      // read-only or full disk: the next start just waits for the real list (said once per file)
      if (!this.unwritable.has(path)) {
        this.unwritable.add(path)
        // what to do, as the cache says it (the answer is stored in the cache directory)
        const remedy = unwritableRemedy(dirname(path), (e as NodeJS.ErrnoException).code, "Until then each start waits for the servers' lists (nothing else is lost).")
        // info when the cache already warned about this directory (the same cause, the same remedy)
        this.log[firstToldUnwritable(dirname(path)) ? "warn" : "info"]("cannot store the first tools/list answer; the next start waits for the servers' lists", { path, error: errorMessage(e), remedy })
      }
    }
  }

  /**
   * Compares the answer about to be written (its servers' list fingerprints, `lists`) with the one
   * it replaces, as that one's header says (none, or another config's: nothing to compare).
   * "keep": a server whose tools are in the stored answer has no list in this one (its stored list
   * was dropped by a crash, and a silence or failure note counts it as listed with no tools): the
   * stored answer, not marked superseded, is the better first answer, and is kept (before, it was replaced and the server's
   * tools were missing from every later start's first answer). Else the servers whose list here
   * differs from the stored answer's while this window did not store that list after the answer was
   * written, nor is the answer marked superseded by them: another window (an editor window sharing
   * the cache) wrote its newer list, and this one's may be the older.
   */
  private compare(path: string, key: string, lists: Readonly<Record<string, string>>): "keep" | string[] {
    const stored = storedHeader(path)
    if (!stored || stored.header.key !== key || stored.header.version !== VERSION || typeof stored.header.lists !== "object" || stored.header.lists === null) return []
    const before = stored.header.lists
    // (a stored answer marked superseded is served by no start: keeping it keeps nothing)
    const missing = isMarked(path) ? [] : Object.keys(before).filter((s) => !Object.hasOwn(lists, s) && typeof before[s] === "string" && !before[s].startsWith("0:"))
    if (missing.length > 0) {
      const news = missing.filter((s) => !this.toldMissing.has(s))
      for (const s of news) this.toldMissing.add(s)
      if (news.length > 0) this.log.info("first tools/list answer not stored: servers whose tools the stored one has have no tool list now (their stored list was dropped); the stored answer is kept", { path, servers: news })
      return "keep"
    }
    return Object.keys(lists).filter((s) => Object.hasOwn(before, s) && before[s] !== lists[s] && !((this.changedAt.get(s) ?? -Infinity) >= stored.mtimeMs) && !markedBy(path, s))
  }

  /**
   * Writes an early index that vouches for this start's config files only (no answer stored yet), so
   * that the next start like this one answers `initialize` before loading anything even when this
   * run ends before a list is stored (a client that kills the server it just started, a first list
   * that takes longer than the client stays). Nothing when an index already names these files (a
   * full one is kept), once this run wrote its own, or when the files as read again now are not the
   * ones this start loaded (a change in between was never validated: see `writeIndex`).
   */
  vouchConfig(): void {
    const early = this.early
    const files = this.startFiles
    if (!early || !files || this.indexed || this.closed) return
    try {
      const ix = JSON.parse(readPlainText(early.indexPath, MAX_INDEX_READ)) as Partial<EarlyIndex>
      // a full index ends with its marks' directory (absent): the config files come first
      if (JSON.stringify(ix.stamp) === JSON.stringify(early.stamp) && Array.isArray(ix.files) && JSON.stringify(ix.files.slice(0, files.length)) === JSON.stringify(files)) return
    } catch {
      // none, or damaged: written below
    }
    if (JSON.stringify(early.current()) !== JSON.stringify(early.stamp)) return
    let fresh: LoadedConfig | undefined
    try {
      fresh = this.loaded.reload?.()
    } catch {
      fresh = undefined
    }
    if (!fresh || JSON.stringify(configFiles(fresh, this.env)) !== JSON.stringify(files) || this.indexed) return
    try {
      const index: EarlyIndex = { v: 1, stamp: early.stamp, files }
      writeFileAtomic(early.indexPath, JSON.stringify(index), NO_SYNC)
      capEarlyIndexes(dirname(early.indexPath), early.indexPath)
    } catch (e) {
      // read-only or full: the next start reads the config before answering, as this one did
      this.log.debug("cannot write the early index", { path: early.indexPath, error: errorMessage(e) })
    }
  }

  /**
   * Writes the early index for `path` (whose answer is `answer`, at `offset`) when it is certain to
   * be what the real face would serve on a start like this one; otherwise removes a stale one.
   */
  private writeIndex(key: string, path: string, answer: Uint8Array, hash: string, offset: number, until: number | undefined): void {
    const early = this.early
    if (!early || !this.startFiles) return
    this.indexed = true
    const drop = (): void => {
      try {
        unlinkSync(early.indexPath)
      } catch {
        // none there
      }
    }
    // only the start's own config: a list saved after a reload, in a changed environment, or with
    // a registered secret in it (redacted when written, but one may have been registered since) is not
    // a `cache.dir` elsewhere than the default: the early face (which cannot read it) does not look there
    if (dirname(resolve(path)) !== dirname(early.indexPath)) return
    if (key !== this.key || JSON.stringify(early.current()) !== JSON.stringify(early.stamp) || secrets.testJsonBytes(answer)) return drop()
    const before = configFiles(this.loaded, this.env)
    if (JSON.stringify(before) !== JSON.stringify(this.startFiles)) return drop()
    // the files as they are now give this very key (a reload re-registers the same secrets: same inputs)
    let fresh: LoadedConfig | undefined
    try {
      fresh = this.loaded.reload?.()
    } catch {
      fresh = undefined
    }
    if (!fresh || this.location(fresh.config).key !== key || JSON.stringify(configFiles(fresh, this.env)) !== JSON.stringify(before)) return drop()
    // the answer is served only while no run marked it superseded since (`superseded`)
    const index: EarlyIndex = { v: 1, stamp: early.stamp, files: [...before, { path: resolve(marksDir(path)), absent: true }], snapshot: { path: resolve(path), size: offset + answer.byteLength + 1, offset, bytes: answer.byteLength, hash, ...(until !== undefined ? { until } : {}) } }
    writeFileAtomic(early.indexPath, JSON.stringify(index), NO_SYNC)
    capEarlyIndexes(dirname(early.indexPath), early.indexPath)
  }
}

/** The header of the answer stored at `path` (read up to MAX_HEADER bytes) and the file's mtime, or undefined (none, damaged). */
function storedHeader(path: string): { header: Partial<SnapshotHeader>; mtimeMs: number } | undefined {
  let fd: number | undefined
  try {
    // never a blocking open: a FIFO in the answer's place held the process in open(2) for good
    fd = openSync(path, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0))
    const st = fstatSync(fd)
    if (!st.isFile()) return undefined
    const mtimeMs = st.mtimeMs
    const buf = Buffer.alloc(MAX_HEADER)
    const n = readSync(fd, buf, 0, MAX_HEADER, 0)
    const at = buf.subarray(0, n).indexOf(ANSWER_KEY)
    if (at < 0) return undefined
    const header = JSON.parse(`${buf.subarray(0, at).toString("utf8")}}`) as Partial<SnapshotHeader>
    return typeof header === "object" && header !== null ? { header, mtimeMs } : undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** An answer stored with `until` is served only before it (a missing one: always; a damaged one: never). */
function servable(until: unknown): boolean {
  return until === undefined || (typeof until === "number" && Date.now() < until)
}

/**
 * The stored answer and early index are a head start, checked (length, hash) when read: written
 * without a disk flush (a few MB at shutdown, within its budget); one a power loss damaged is not used.
 */
const NO_SYNC = { sync: false } as const
/** Largest early index read back (early-face MAX_INDEX_BYTES: one lists the config's files, a few KB). */
const MAX_INDEX_READ = 1024 * 1024

/** Early indexes kept in the cache directory (one per command line, directory and environment): the most recently written or used. */
export const MAX_EARLY_INDEXES = 16

/**
 * An environment that changes at every start (a per-launch socket path in it) would leave a new
 * index each time: beyond MAX_EARLY_INDEXES, the least recently used ones go (mtime: written, or
 * touched by a start that answered from it), never `keep`.
 */
function capEarlyIndexes(dir: string, keep: string): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => /^early-[0-9a-f]+\.json$/.test(f))
      .map((f) => join(dir, f))
    if (files.length <= MAX_EARLY_INDEXES) return
    const dated = files.map((path) => {
      try {
        return { path, at: statSync(path).mtimeMs }
      } catch {
        return { path, at: -1 }
      }
    })
    dated.sort((a, b) => b.at - a.at)
    for (const { path } of dated.slice(MAX_EARLY_INDEXES)) {
      if (path === keep) continue
      try {
        unlinkSync(path)
      } catch {
        // gone already (another start pruned it)
      }
    }
  } catch {
    // an unreadable directory: nothing to cap
  }
}

/**
 * Every file loading `loaded` read, stamped: the config file (and the default candidates before it,
 * which must stay absent; all of them when none was found) and each envFile (a left-out entry's too); the
 * plugin directories with their plugin files (`pluginStamps`); and with the Toolkit in use, its state
 * files (app/toolkit-files).
 */
function configFiles(loaded: LoadedConfig, env: Record<string, string | undefined>): FileStamp[] {
  const out: FileStamp[] = []
  const file = loaded.file
  if (!file || file.via === "default location") {
    for (const name of DEFAULT_NAMES) {
      const p = resolve(join(configHome(env), name))
      if (file && p === resolve(file.path)) break
      out.push(stampFile(p))
    }
  }
  if (file && file.via !== "embedded") out.push(stampFile(resolve(file.path)))
  const baseDir = file && file.via !== "embedded" ? dirname(resolve(file.path)) : process.cwd()
  const envFiles = new Set<string>()
  for (const spec of Object.values(loaded.config.servers)) {
    const envFile = (spec as { envFile?: unknown; command?: unknown }).envFile
    if (typeof envFile === "string" && typeof (spec as { command?: unknown }).command === "string") envFiles.add(envFilePath(envFile, baseDir))
  }
  // a left-out entry's envFile too: fixed, the entry joins the config (and the first list)
  for (const f of loaded.envFiles ?? []) envFiles.add(f)
  for (const f of envFiles) out.push(stampFile(f))
  out.push(...pluginStamps(loaded.config, env))
  // block mode: the pins withhold changed tools (`pinsState`); an approval or reset since is another answer
  if (loaded.config.proxy.pinTools === "block") out.push(stampFile(pinsPath(loaded.config, env)))
  // the Toolkit's enabled servers and their tools: a server enabled or disabled since is another answer
  if (loaded.config.toolkit.enabled !== "off") out.push(...toolkitStamps(env))
  return out
}
