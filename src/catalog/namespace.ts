/**
 * @module catalog/namespace
 * Exposed names for aggregated tools and prompts: `server<sep>tool`, valid per `^[a-zA-Z0-9_-]{1,64}$`,
 * within a length budget, injective, deterministic; collisions (with each other, or with a reserved
 * name: the orchestrator's own tools) and over-budget names get a hash suffix.
 * A name over the budget is cut in the server part first (down to its first SERVER_KEEP characters),
 * so the tool part, which tells a server's tools apart, stays whole as long as it can.
 *
 * Letters written with marks keep their base letter (`ünïcode_tööl` → `unicode_tool`, `straße` →
 * `strasse`, fullwidth `ａ` → `a`: `fold`); a name with nothing readable left (`日本語`, `🔥`, `...`)
 * is `server<sep>tool_` + the hash of the pair, never a run of `_` that depends on its length and
 * on which other such names the server lists.
 */

export interface NameRequest {
  server: string
  /** The name as the downstream sent it (may contain `.` or other characters). */
  name: string
}

export interface NamedEntry extends NameRequest {
  exposed: string
  /** Why the exposed name is not the plain `server<sep>name`, if it is not. */
  adjusted?: "sanitized" | "truncated" | "collision" | "reserved"
}

export interface NamespaceOptions {
  separator: string
  /** Longest exposed name (≤ 64). */
  budget: number
  /** Single upstream: no server prefix. */
  passthrough: boolean
  /**
   * Names no item may take (the orchestrator's own tools, e.g. `call_tool`, which a server `call`
   * with a tool `tool` would claim under separator `_`): such an item gets the hash suffix, as in a
   * collision, with `adjusted: "reserved"`.
   */
  reserved?: ReadonlySet<string>
}

const INVALID = /[^A-Za-z0-9_-]/g
const MAX = 64
/** `_` + 6 hex digits of the hash. */
const SUFFIX = 7
/** Characters of a server name an over-budget name keeps at least (all of a shorter name), before the separator. */
export const SERVER_KEEP = 8

/** FNV-1a 32-bit, as 8 hex digits: cheap, stable across runs and platforms. */
export function shortHash(s: string, salt = 0): string {
  let h = 0x811c9dc5 ^ salt
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, "0")
}

/** Latin letters NFKD leaves whole, as the ASCII they are written with. */
const LATIN: Record<string, string> = { ß: "ss", ẞ: "SS", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ø: "o", Ø: "O", đ: "d", Đ: "D", ð: "d", Ð: "D", þ: "th", Þ: "Th", ł: "l", Ł: "L", ı: "i", ħ: "h", Ħ: "H", ŧ: "t", Ŧ: "T", ŋ: "n", Ŋ: "N" }
const MARK = /^\p{M}$/u
const ASCII = /^[\x20-\x7e]+$/

/**
 * `s` with each code point that has an ASCII reading replaced by it: NFKD without its combining
 * marks (`ü` → `u`, `ｆ` → `f`, `ﬁ` → `fi`), the few Latin letters NFKD keeps (`ß` → `ss`), and
 * marks standing alone (a name sent decomposed) dropped. Any other code point is left as it is
 * (sanitize makes it `_`, as before: a name such as `get_検索` keeps the name it had).
 */
export function fold(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s
  let out = ""
  for (const c of s) {
    if (c.charCodeAt(0) < 0x80) out += c
    else if (MARK.test(c)) continue
    else {
      const d = LATIN[c] ?? c.normalize("NFKD").replace(/\p{M}/gu, "")
      out += d !== "" && ASCII.test(d) ? d : c
    }
  }
  return out
}

function sanitize(s: string): string {
  return fold(s).replace(INVALID, "_")
}

/** A name with a letter or digit once folded (else it reads as nothing but `_`: the fallback). */
const READABLE = /[A-Za-z0-9]/
/** The tool part of a name with nothing readable, before its hash. */
const FALLBACK = "tool"

/** The budget `assignNames` works to: `opts.budget` within 8…64. */
export function nameBudget(budget: number): number {
  return Math.min(MAX, Math.max(8, budget))
}

/**
 * What every exposed name of `server`'s items begins with, up to `nameBudget − 7` characters
 * (not passthrough): `sanitize(server + separator)` for a server name of at most SERVER_KEEP
 * characters, else the server name's first SERVER_KEEP characters. A plain name is
 * `sanitize(server + separator + name)` (sanitizing works character by character); a cut or
 * colliding one keeps at least that much of it (`base`), cut at `nameBudget − 7`, before `_` and
 * its hash. So servers whose prefixes, cut there, are not prefixes of one another can never claim
 * the same name (proxy/surface names them apart).
 */
export function namePrefix(server: string, separator: string): string {
  const s = sanitize(server)
  return s.length <= SERVER_KEEP ? s + sanitize(separator) : s.slice(0, SERVER_KEEP)
}

/**
 * The part of a cut or colliding name before its `_` + hash, at most `room` characters: the whole
 * `server<sep>tool` when it fits; else the server part is cut first, to no less than its first
 * SERVER_KEEP characters, so that as much of the tool part as possible stays; then the tool part.
 * (Below `room` = SERVER_KEEP + separator, nothing of the tool part fits: the prefix is cut.)
 */
function base(server: string, name: string, opts: NamespaceOptions, room: number): string {
  const tool = readable(name) ? sanitize(name) : FALLBACK
  if (opts.passthrough) return tool.slice(0, room)
  const s = sanitize(server)
  const sep = sanitize(opts.separator)
  if (s.length + sep.length + tool.length <= room) return s + sep + tool
  const keep = Math.min(s.length, Math.max(SERVER_KEEP, room - sep.length - tool.length))
  return (s.slice(0, keep) + sep + tool).slice(0, room)
}

/** `name` holds a letter or digit once folded, or needs no change (a tool named `_` is `s___`). */
function readable(name: string): boolean {
  return READABLE.test(sanitize(name)) || (name !== "" && !/[^A-Za-z0-9_-]/.test(name))
}

/** `stem` (at most `budget − 7` characters) + `_` + 6 hex digits of the pair's hash. */
function withSuffix(stem: string, key: string, budget: number, salt: number): string {
  const hash = shortHash(key, salt).slice(0, SUFFIX - 1)
  return `${stem.slice(0, Math.max(1, budget - SUFFIX))}_${hash}` // budget ≥ 8: at least one character stays
}

/**
 * Assign exposed names. Entries are processed in (server, name) order, so the first claimant of a
 * plain name keeps it and the result does not depend on the order lists arrived in — except that a
 * name needing no change (valid characters, within the budget) goes before every one that does: a
 * server listing `get_user` and `get.user` has `get_user` under its own name and `get.user` with a
 * hash, never the other way round (a model calling `s__get_user` reached `get.user`, and the name
 * of `get_user` changed the day the server added `get.user`). Returned entries are sorted by
 * exposed name.
 */
export function assignNames<R extends NameRequest>(requests: readonly R[], opts: NamespaceOptions): (R & NamedEntry)[] {
  const budget = nameBudget(opts.budget)
  const asIs = (r: NameRequest): number => {
    const raw = opts.passthrough ? r.name : `${r.server}${opts.separator}${r.name}`
    return raw.length > 0 && raw.length <= budget && sanitize(raw) === raw ? 0 : 1
  }
  const sorted = [...requests].sort((a, b) => asIs(a) - asIs(b) || cmp(a.server, b.server) || cmp(a.name, b.name))
  const reserved = opts.reserved
  const taken = new Set<string>(reserved)
  // other fields of a request (the item it names) ride along
  const out: (R & NamedEntry)[] = []
  for (const r of sorted) {
    const raw = opts.passthrough ? r.name : `${r.server}${opts.separator}${r.name}`
    const clean = sanitize(raw)
    let exposed = clean
    let adjusted: NamedEntry["adjusted"] = clean !== raw ? "sanitized" : undefined
    const key = `${r.server}\u0000${r.name}`
    if (!readable(r.name)) {
      exposed = withSuffix(base(r.server, r.name, opts, budget - SUFFIX), key, budget, 0)
      adjusted = "sanitized"
    } else if (exposed.length > budget) {
      exposed = withSuffix(base(r.server, r.name, opts, budget - SUFFIX), key, budget, 0)
      adjusted = "truncated"
    }
    if (taken.has(exposed)) {
      const stem = base(r.server, r.name, opts, budget - SUFFIX)
      let salt = 0
      const own = reserved?.has(exposed) === true
      while (taken.has(exposed)) exposed = withSuffix(stem, key, budget, ++salt)
      adjusted = own ? "reserved" : "collision"
    }
    taken.add(exposed)
    out.push(adjusted ? { ...r, exposed, adjusted } : { ...r, exposed })
  }
  return out.sort((a, b) => cmp(a.exposed, b.exposed))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
