/**
 * @module catalog/arg-keys
 * Argument names every model API takes. Anthropic's API refuses the whole request when one tool's
 * top-level `input_schema.properties` key does not match `^[a-zA-Z0-9_.-]{1,64}$` ("Property keys
 * should match pattern …"): one server generated from OpenAPI (`StartTime<`, `DateCreated>`,
 * `user name`, `検索`) and every tool of every server is gone for a Claude-backed client, at every
 * turn. Such a key is exposed under a valid name (letters folded as tool names are, other
 * characters `_`, at most 64 characters; a key with no Latin letter or digit (`検索`) named after its
schema's `title` or the first words of its `description`, else `arg_<n>` by position; a hash suffix
on a clash: the same names in every run), its
 * `required` entry with it; a call's arguments are given back their server's names before the call
 * is forwarded (`downstreamArgs`). Valid keys, and schemas with only valid keys, are left as they are
 * (the same object). Nested properties are not renamed (the APIs read only the top level's keys).
 */
import { isRecord as isObj } from "../core/index.ts"
import { fold, shortHash } from "./namespace.ts"
import { setOwn } from "./schema-normalize.ts"

type Obj = Record<string, unknown>

const VALID = /^[a-zA-Z0-9_.-]{1,64}$/
const INVALID = /[^a-zA-Z0-9_.-]/g
const MAX = 64

/** Per top-level property key a model API refuses, the key it is exposed as (in the keys' order); undefined when there is none. */
export function argKeys(inputSchema: unknown): Map<string, string> | undefined {
  const props = isObj(inputSchema) ? inputSchema.properties : undefined
  if (!isObj(props)) return undefined
  const keys = Object.keys(props)
  if (keys.every((k) => VALID.test(k))) return undefined
  const taken = new Set(keys.filter((k) => VALID.test(k)))
  const out = new Map<string, string>()
  keys.forEach((k, i) => {
    if (VALID.test(k)) return
    const base = validForm(k) ?? describedName(props[k]) ?? `arg_${i + 1}`
    let name = base
    for (let salt = 0; taken.has(name); salt++) name = `${base.slice(0, MAX - 9)}_${shortHash(k, salt)}`
    taken.add(name)
    out.set(k, name)
  })
  return out
}

/** `s` folded as tool names are, other characters `_`, at most 64; undefined when no letter or digit is left. */
function validForm(s: string): string | undefined {
  const folded = fold(s).replace(INVALID, "_").slice(0, MAX)
  return /[A-Za-z0-9]/.test(folded) ? folded : undefined
}

/**
 * A name for a key with no letter or digit in Latin script (`検索`, `🔍`): its schema's `title`, else
 * the first words of its `description` (`Search query` → `search_query`), in the same form; the
 * model then reads what the argument is for, not a hash.
 */
function describedName(schema: unknown): string | undefined {
  if (!isObj(schema)) return undefined
  const title = typeof schema.title === "string" ? validForm(words(schema.title, 6)) : undefined
  if (title !== undefined) return title
  return typeof schema.description === "string" ? validForm(words(schema.description, 3)) : undefined
}

/** The first `n` ASCII words of `s` (after folding), lower-case, joined by `_`. */
function words(s: string, n: number): string {
  return (fold(s).match(/[A-Za-z0-9]+/g) ?? []).slice(0, n).join("_").toLowerCase()
}

/** `tool` with its refused argument names replaced (the same object when it has none). */
export function modelArgTool<T extends object>(tool: T): T {
  const schema = (tool as { inputSchema?: unknown }).inputSchema
  const keys = argKeys(schema)
  if (keys === undefined) return tool
  const s = schema as Obj
  const props: Obj = {}
  for (const [k, v] of Object.entries(s.properties as Obj)) setOwn(props, keys.get(k) ?? k, v)
  const out: Obj = { ...s, properties: props }
  if (Array.isArray(s.required)) out.required = s.required.map((n) => (typeof n === "string" ? (keys.get(n) ?? n) : n))
  return { ...tool, inputSchema: out }
}

/** Per tool list (a server's, as checked), per tool with renamed arguments: exposed name → the server's. */
const reverse = new WeakMap<readonly unknown[], Map<string, Map<string, string>>>()

/** `args` with each argument named as exposed given back its server's name (the same object when none is). */
export function downstreamArgs(tools: readonly { name: string; inputSchema?: unknown }[] | undefined, tool: string, args: Record<string, unknown>): Record<string, unknown> {
  if (tools === undefined) return args
  let byTool = reverse.get(tools)
  if (byTool === undefined) {
    byTool = new Map()
    for (const t of tools) {
      const keys = argKeys(t?.inputSchema)
      if (keys !== undefined) byTool.set(t.name, new Map([...keys].map(([own, shown]) => [shown, own])))
    }
    reverse.set(tools, byTool)
  }
  const back = byTool.get(tool)
  if (back === undefined || !Object.keys(args).some((k) => back.has(k))) return args
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(args)) setOwn(out, back.get(k) ?? k, v)
  return out
}
