/**
 * @module config/proto-keys
 * A key named `__proto__` in a user-keyed map of the config (`servers`, `mcpServers`, `toolsets`,
 * a server's `env`, `headers`, `toolTimeouts`) is kept by our YAML and JSON readers as an own key,
 * but zod's records skip it and a plain object assignment would take it for the prototype: the
 * entry would vanish without a word. Each one is reported here as an invalid key, with the rule of
 * that map's key schema when it has one (server and toolset names start with a letter or digit).
 * Keys such as `constructor` or `toString` are ordinary names and are kept.
 */
import type { z } from "zod"
import { ConfigSchema } from "./schema.ts"
import { defOf, unwrap } from "./zod-walk.ts"

export const PROTO_KEY = "__proto__"

/** Said when the map's own key rule accepts `__proto__` (env, headers): it still cannot be kept. */
const PROTO_RULE = "JavaScript reads this name as an object's prototype, so the entry would be lost; rename it"

type Def = ReturnType<typeof defOf> & { keyType?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[]; element?: z.ZodType }

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/**
 * zod `invalid_key` issues (config/issues formats them like any other) for every own `__proto__`
 * key of a record in `input` (the merged config, before validation).
 */
export function protoKeyIssues(input: unknown, schema: z.ZodType = ConfigSchema): z.core.$ZodIssue[] {
  const out = new Map<string, z.core.$ZodIssue>()
  walk(schema, input, [], out)
  return [...out.values()]
}

function walk(schema: z.ZodType, value: unknown, path: PropertyKey[], out: Map<string, z.core.$ZodIssue>): void {
  const s = unwrap(schema)
  const d = defOf(s) as Def
  switch (d.type) {
    case "object": {
      if (!isPlainObject(value)) return
      for (const [k, sub] of Object.entries(d.shape ?? {})) if (Object.hasOwn(value, k)) walk(sub, value[k], [...path, k], out)
      return
    }
    case "union":
      for (const o of d.options ?? []) walk(o, value, path, out)
      return
    case "array":
      if (Array.isArray(value) && d.element) value.forEach((v, i) => walk(d.element!, v, [...path, i], out))
      return
    case "record": {
      if (!isPlainObject(value)) return
      if (Object.hasOwn(value, PROTO_KEY)) {
        const at = [...path, PROTO_KEY]
        const rule = d.keyType?.safeParse(PROTO_KEY)
        const message = rule && !rule.success ? (rule.error.issues[0]?.message ?? PROTO_RULE) : PROTO_RULE
        out.set(at.map(String).join("\u0000"), {
          code: "invalid_key",
          origin: "record",
          path: at,
          input: PROTO_KEY,
          message,
          issues: [{ code: "custom", path: [], message, input: PROTO_KEY }],
        } as z.core.$ZodIssue)
      }
      if (d.valueType) for (const k of Object.keys(value)) if (k !== PROTO_KEY) walk(d.valueType, value[k], [...path, k], out)
      return
    }
    default:
      return
  }
}
