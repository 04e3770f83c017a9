/**
 * @module proxy/name-guess
 * The exposed tool names an unknown name most likely stands for: the same name in other case
 * (`EV__ECHO`), or a server's own tool name without its prefix (`echo` for `ev__echo`), the
 * mistakes a model makes most; failing those, the same words in another spelling: another
 * separator (`github_list_issues`, `github.list_issues`, `github/list_issues`), camelCase or
 * kebab-case (`listIssues`, `list-issues`), or a client's own prefix before the exposed name
 * (`mcp__github__list_issues`); failing those, a typo: the names (exposed, or a server's own) a
 * letter or two away (`ev__echoo`, `memory__read_grap`, `fs__raed_file`), the closest only. Before
 * the typos: the same words in another order (`github__issues_list`), a server's own name under a
 * wrong or shortened prefix (`fs__read_text_file`), and a server named with one of its names a
 * word or two longer or shorter (`kubernetes__kubectl_get_pods`, `filesystem__read`), and a name
 * with letters written as `_` (the previous release's fold of accented names: `s___n_code_t__l`
 * for `s__unicode_tool`). Shared
 * by unknown-tool errors (proxy), describe_tools and run_code.
 */
import { typoDistance } from "../core/index.ts"

/** A name's words, lowercase, one space apart ("getHTTPStatus_v2" → "get http status v2"). */
function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(" ")
}

/**
 * The names of `exposed` that `name` may stand for, in order, at most `limit + 1` (one more than
 * `limit` says there are too many to name them all). `own`: a tool's name on its server.
 */
export function guessToolNames(name: string, exposed: Iterable<string>, own: (exposed: string) => string | undefined, limit = 3): string[] {
  const lower = name.toLowerCase()
  const all = [...exposed]
  const out: string[] = []
  for (const e of all) {
    if (e.toLowerCase() !== lower && own(e) !== name) continue
    out.push(e)
    if (out.length > limit) return out
  }
  if (out.length) return out
  const w = words(name)
  if (!w) return out
  for (const e of all) {
    const we = words(e)
    const wo = words(own(e) ?? "")
    if (w !== we && w !== wo && !w.endsWith(` ${we}`)) continue
    out.push(e)
    if (out.length > limit) return out
  }
  if (out.length) return out
  // the same words in another order (`github__issues_list`), or a server's own name under another
  // server's prefix or an abbreviation of it (`fs__read_text_file`)
  // (not under another server's own prefix: `memory__search` is no `elasticsearch__search`)
  const key = sorted(w)
  const prefixOf = (e: string, wo: string): string => (wo ? words(e).slice(0, -wo.length - 1) : "")
  const servers = new Set(all.map((e) => prefixOf(e, words(own(e) ?? ""))).filter(Boolean))
  for (const e of all) {
    const o = own(e)
    const wo = o === undefined ? "" : words(o)
    const under = wo ? w.slice(0, -wo.length - 1) : ""
    const moved = wo !== "" && w.endsWith(` ${wo}`) && (!servers.has(under) || under === prefixOf(e, wo))
    if (key !== sorted(words(e)) && !(wo && key === sorted(wo)) && !moved) continue
    out.push(e)
    if (out.length > limit) return out
  }
  if (out.length) return out
  // a server named and a name of its with a word more or less (`kubernetes__kubectl_get_pods`,
  // `filesystem__read`): the tools the fewest words away
  const given = new Set(w.split(" "))
  let fewest = Infinity
  for (const e of all) {
    const o = own(e)
    if (o === undefined) continue
    const wo = new Set(words(o).split(" ").filter(Boolean))
    const server = words(e).split(" ").slice(0, -wo.size || undefined)
    if (!server.length || !wo.size || !server.every((x) => given.has(x))) continue
    const rest = [...given].filter((x) => !server.includes(x))
    if (!rest.length) continue
    const away = rest.every((x) => wo.has(x)) ? wo.size - rest.length : [...wo].every((x) => rest.includes(x)) ? rest.length - wo.size : Infinity
    if (away > fewest || away === Infinity || away > MAX_WORDS_AWAY) continue
    if (away < fewest) {
      fewest = away
      out.length = 0
    }
    out.push(e)
  }
  if (out.length) return out.length > limit ? out.slice(0, limit + 1) : out
  // a name from before a fold (`s___n_code_t__l`, the previous release's name of `s__unicode_tool`):
  // each non-alphanumeric character of it may stand for any one letter
  for (const e of all) {
    if (!wildcardMatch(name, e)) continue
    out.push(e)
    if (out.length > limit) return out
  }
  if (out.length) return out
  // a typo: at most one edit per TYPO_CHARS characters of the name, two at most; the closest only
  const most = Math.min(2, Math.floor(lower.length / TYPO_CHARS))
  if (most === 0 || lower.length > MAX_TYPO_NAME) return out
  let best = most + 1
  for (const e of all) {
    const o = own(e)
    const cap = Math.min(best, most)
    const d = Math.min(typoDistance(lower, e.toLowerCase(), cap), o === undefined ? Infinity : typoDistance(lower, o.toLowerCase(), cap))
    if (d > most || d > best) continue
    if (d < best) {
      best = d
      out.length = 0
    }
    out.push(e)
  }
  return out.length > limit ? out.slice(0, limit + 1) : out
}

/**
 * Whether `given` is `exposed` with some of its characters written as other non-alphanumerics
 * (`_`, `-`, `.`): as long, the same letters and digits (any case) where `given` has them, and at
 * least one character other than those (else it is a rename of a separator, found above).
 */
function wildcardMatch(given: string, exposed: string): boolean {
  if (given.length !== exposed.length || given === exposed) return false
  let stood = 0
  for (let i = 0; i < given.length; i++) {
    const g = given[i]!
    const e = exposed[i]!
    if (!/[\p{L}\p{N}]/u.test(g)) {
      if (/[\p{L}\p{N}]/u.test(e)) stood++
      continue
    }
    if (g.toLowerCase() !== e.toLowerCase()) return false
  }
  return stood > 0
}

/** A name's words in alphabetical order (the same words in any order meet). */
function sorted(w: string): string {
  return w.split(" ").sort().join(" ")
}

/** A name with more words than this more or less than a tool's is not taken for it. */
const MAX_WORDS_AWAY = 2

/** A name this long has room for one typo; twice as long, for two. */
const TYPO_CHARS = 5
/** Longer names (past the longest proxy.nameBudget) are not compared letter by letter: names are client input, the cost is length squared. */
const MAX_TYPO_NAME = 128
