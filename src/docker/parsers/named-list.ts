/**
 * @module docker/parsers/named-list
 * The one normaliser of "list of named things" shapes a newer or wrapped CLI may print for any list
 * command (servers, profile servers, catalog servers, secrets, profiles, catalogs, tools): an array
 * of entries, names only (`["github","slack"]`, or one name per line), a map keyed by name
 * (`{"servers":{"github":{…}}}`) or a list under one key (`wrappedList`). Every list command's
 * reading goes through it after its documented shapes failed, so a shape read for one is read for all.
 */
import { isRecord, wrappedList } from "./common.ts"

/** A name as a list prints it alone: a server, secret (`github.token`), profile id or catalog ref (`mcp/docker-mcp-catalog:latest`). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}$/
/** Words a CLI prints alone on a line that are no name: a failure or a YAML scalar. */
const NOT_A_NAME = /^(?:error|errors|fail\w*|warn\w*|usage|panic\w*|fatal|null|nil|true|false|none|yes|no|ok)$/i

function isName(s: unknown): s is string {
  return typeof s === "string" && NAME.test(s) && !NOT_A_NAME.test(s)
}

/**
 * Plain text that is one name per line (and nothing else: no spaces, no table, no sentence), as
 * those names; undefined for any other text. Blank lines are ignored.
 */
export function nameLines(text: string): string[] | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  if (lines.length === 0 || lines.length > 100_000 || !lines.every(isName)) return undefined
  return lines
}

export interface NamedListOptions {
  /** The field an entry is named by: `name`, a profile's `id`. */
  key?: string
  /**
   * Whether a bare name is an entry (default true). Not where the name alone would make a wrong
   * entry: a tool without its input schema, a profile without its servers (an empty one).
   */
  names?: boolean
}

/**
 * `value` as a list of entries, each an object with its name under `key` (`name`; a profile's is
 * `id`): names become `{[key]: name}`, a name-keyed map's entries get their key as name. `{why}`:
 * an object that holds several lists (not guessed); undefined: no list at all.
 */
export function namedList(value: unknown, o: NamedListOptions = {}): { list: unknown[] } | { why: string } | undefined {
  const key = o.key ?? "name"
  const w = Array.isArray(value) ? { list: value } : wrappedList(value)
  if (!w || "why" in w) return w
  return {
    list: w.list.map((e) => {
      if (o.names !== false && isName(e)) return { [key]: e }
      // a map keyed by name gave its entries `name`: a profile's is its `id`
      if (key !== "name" && isRecord(e) && e[key] === undefined && typeof e.name === "string") return { ...e, [key]: e.name }
      return e
    }),
  }
}
