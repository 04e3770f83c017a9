/**
 * @module plugin/check-cache
 * What a plugin file's load proves once and needs not prove again while the file is unchanged:
 * its source passed the compile estimate (sandbox/compile-budget: 0.05–1 s per MB on the worker)
 * and, for TypeScript, the JavaScript its types strip to with the map of its lines (~0.1 s per MB).
 * Kept per file CONTENT in `<cache dir>/plugin-checks`, so a start with unchanged plugins pays for
 * neither (20 files of 0.78 MB cost 1–2.6 s of worker time at every start).
 *
 * An entry only ever lets the file it was made for skip the estimate: its name is a hash of the
 * content's sha256, the binary (version, Bun revision, the executable's size and time), the
 * estimate's limit and the kind (js/ts), and its body repeats each of them, checked on read, with
 * the sha256 of the stripped JavaScript it holds. A half-written, corrupt or foreign entry (made for
 * other content, another binary or limit, another user's, or writable by others) is ignored and
 * removed: the file is checked as if there were none. Entries are written atomically (core
 * writeFileAtomic, mode 0600) and the oldest beyond MAX_ENTRIES are removed.
 *
 * The early face stamps the same files (app/tool-snapshot stampFile: Bun.hash, for the snapshot
 * key) before the host reads them here: two reads and two hashes per file at a start, about 2 ms per
 * MB. Not shared on purpose: the sha256 here must be of the bytes this load runs (readPluginFile's
 * guarded read, seconds later), and a hash carried over by file identity (inode, size, times) can be
 * of other content written within one timestamp tick — a JavaScript file would then skip the
 * estimate for code never checked. Handing the early face's bytes over instead would run bytes read
 * without readPluginFile's guards (FIFO, size bound, inside its directory).
 */
import { createHash } from "node:crypto"
import { constants as fsc, statSync } from "node:fs"
import { open, readdir, rm, stat, utimes } from "node:fs/promises"
import { join } from "node:path"
import { z } from "zod"
import { VERSION, errorMessage, sweepAtomicTemps, writeFileAtomic, type Logger } from "../core/index.ts"
import { isTypeScript, MAX_COMPILE_WORK } from "../sandbox/index.ts"
import { MAX_PLUGIN_BYTES } from "./limits.ts"

/** Sub-directory of the cache dir holding the entries. */
export const CHECKS_DIR = "plugin-checks"
/** Entries kept (the least recently used beyond it are removed when one is written). */
export const MAX_ENTRIES = 256
/** Largest entry read: the stripped code (JSON-escaped) and its line map of a file at MAX_PLUGIN_BYTES. */
const MAX_ENTRY_BYTES = 8 * MAX_PLUGIN_BYTES
const FORMAT = 1

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/)
const EntrySchema = z.object({
  format: z.literal(FORMAT),
  content: HEX64,
  build: z.string(),
  maxWork: z.number(),
  kind: z.enum(["js", "ts"]),
  /** sha256 of the JavaScript that passed the estimate (for js: the content's). */
  js: HEX64,
  /** TypeScript only: the stripped JavaScript and each of its lines' source line. */
  code: z.string().optional(),
  lines: z.array(z.number().int().positive()).optional(),
  /** The export had a route hook and nothing else: a hint (the load evaluates it on the route lane first). */
  routeOnly: z.boolean().optional(),
})
type Entry = z.infer<typeof EntrySchema>

/** What a valid entry gives back: the JavaScript to run (it passed the estimate) and its line map. */
export interface CheckedSource {
  code: string
  lines: readonly number[]
  /** Its export had only a route hook when it was checked (a hint, see plugin.ts). */
  routeOnly?: boolean
}

const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex")

let buildId: string | undefined
/** The binary the verdicts were made by: a new build (or another Bun) checks every file again. */
function build(): string {
  if (buildId === undefined) {
    let exe = ""
    try {
      const st = statSync(process.execPath)
      exe = `${st.size}:${Math.trunc(st.mtimeMs)}`
    } catch {
      exe = "?"
    }
    buildId = `${VERSION}|${Bun.revision}|${exe}`
  }
  return buildId
}

export class PluginCheckCache {
  private readonly dir: string

  constructor(
    cacheDir: string,
    private readonly log: Logger,
  ) {
    this.dir = join(cacheDir, CHECKS_DIR)
  }

  /** The checked JavaScript of `source` (named `filename`), or undefined when no valid entry holds it. */
  async get(source: string, filename: string): Promise<CheckedSource | undefined> {
    const want = this.binding(source, filename)
    const path = this.pathOf(want)
    const text = await this.readOwn(path)
    if (text === undefined) return undefined
    const why = this.invalid(text, want, source)
    if (typeof why === "string") {
      this.log.debug("plugin check cache entry ignored", { file: filename, why })
      await rm(path, { force: true }).catch(() => {})
      return undefined
    }
    // the least recently used go first (see prune)
    const now = new Date()
    void utimes(path, now, now).catch(() => {})
    return why
  }

  /** Keep the verdict that `checked` (the JavaScript of `source`) passed the estimate. Never throws. */
  put(source: string, filename: string, checked: CheckedSource): void {
    const b = this.binding(source, filename)
    const entry = { ...b, js: b.kind === "ts" ? sha256(checked.code) : b.content, routeOnly: checked.routeOnly === true, ...(b.kind === "ts" ? { code: checked.code, lines: checked.lines } : {}) }
    try {
      writeFileAtomic(this.pathOf(b), JSON.stringify(entry), { sync: false })
    } catch (e) {
      this.log.debug("plugin check cache not written", { file: filename, error: errorMessage(e) })
      return
    }
    void this.prune()
  }

  // --- internals ---

  private binding(source: string, filename: string): Omit<Entry, "js" | "code" | "lines"> {
    return { format: FORMAT, content: sha256(source), build: build(), maxWork: MAX_COMPILE_WORK, kind: isTypeScript(filename) ? "ts" : "js" }
  }

  private pathOf(b: Omit<Entry, "js" | "code" | "lines">): string {
    return join(this.dir, `${sha256(`${b.format}\u0000${b.content}\u0000${b.build}\u0000${b.maxWork}\u0000${b.kind}`)}.json`)
  }

  /** The entry's text, when it is a regular file (not a link) of this user's that nobody else may write, within the size bound. */
  private async readOwn(path: string): Promise<string | undefined> {
    let fh: Awaited<ReturnType<typeof open>> | undefined
    try {
      // never blocks (a FIFO put in its place) nor follows a symlink out of the directory
      fh = await open(path, fsc.O_RDONLY | fsc.O_NONBLOCK | fsc.O_NOCTTY | fsc.O_NOFOLLOW)
      const st = await fh.stat()
      const uid = process.getuid?.()
      if (!st.isFile() || st.size > MAX_ENTRY_BYTES || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
        this.log.debug("plugin check cache entry ignored", { entry: path, why: "not a private regular file of this user's within the size bound" })
        return undefined
      }
      return await fh.readFile("utf8")
    } catch {
      return undefined
    } finally {
      await fh?.close().catch(() => {})
    }
  }

  /** Why the entry is not for this source (a string), or what it holds. */
  private invalid(text: string, want: Omit<Entry, "js" | "code" | "lines">, source: string): string | CheckedSource {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return "not JSON (half-written or corrupt)"
    }
    const r = EntrySchema.safeParse(raw)
    if (!r.success) return "not an entry of this format"
    const e = r.data
    for (const k of ["content", "build", "maxWork", "kind"] as const) if (e[k] !== want[k]) return `made for another ${k}`
    const routeOnly = e.routeOnly === true
    if (e.kind === "js") return e.js === e.content ? { code: source, lines: [], routeOnly } : "its JavaScript is not the file's"
    if (e.code === undefined || e.lines === undefined) return "no JavaScript in it"
    if (sha256(e.code) !== e.js) return "its JavaScript does not match its hash (corrupt)"
    return { code: e.code, lines: e.lines, routeOnly }
  }

  /** Remove the least recently used entries beyond MAX_ENTRIES, and temp files killed writers left. */
  private async prune(): Promise<void> {
    try {
      sweepAtomicTemps(this.dir, (target) => target.endsWith(".json"))
      const names = (await readdir(this.dir)).filter((n) => n.endsWith(".json"))
      if (names.length <= MAX_ENTRIES) return
      const aged = await Promise.all(names.map(async (n) => ({ n, t: await stat(join(this.dir, n)).then((s) => s.mtimeMs, () => 0) })))
      aged.sort((a, b) => a.t - b.t)
      for (const { n } of aged.slice(0, aged.length - MAX_ENTRIES)) await rm(join(this.dir, n), { force: true })
    } catch {
      // best effort: a directory another process prunes too
    }
  }
}
