/**
 * @module config/zod-walk
 * Small, read-only introspection of our zod config schemas: unwrap wrappers, list object keys,
 * tell a leaf's kind. Used for env-var mapping, "did you mean" and generated docs.
 */
import type { z } from "zod"

type AnyZod = z.ZodType
// zod 4 keeps its definition under `_zod.def`; we only read `type`, `innerType`, `shape`, `in`.
type Def = { type: string; innerType?: AnyZod; shape?: Record<string, AnyZod>; in?: AnyZod; out?: AnyZod; element?: AnyZod; options?: AnyZod[] }

export function defOf(s: AnyZod): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def
}

/** Strip optional/default/prefault/nullable wrappers. */
export function unwrap(s: AnyZod): AnyZod {
  let cur = s
  for (;;) {
    const d = defOf(cur)
    if ((d.type === "optional" || d.type === "default" || d.type === "prefault" || d.type === "nullable") && d.innerType) cur = d.innerType
    else return cur
  }
}

export function objectShape(s: AnyZod): Record<string, AnyZod> | undefined {
  const d = defOf(unwrap(s))
  return d.type === "object" ? (d.shape as Record<string, AnyZod>) : undefined
}

export type LeafKind = "string" | "number" | "boolean" | "array" | "enum" | "duration" | "record" | "other"

export function leafKind(s: AnyZod): LeafKind {
  const d = defOf(unwrap(s))
  switch (d.type) {
    case "string":
      return "string"
    case "number":
    case "int":
      return "number"
    case "boolean":
      return "boolean"
    case "array":
      return "array"
    case "enum":
      return "enum"
    case "pipe":
      // a preprocess that reads other spellings (`type: streamableHttp`) into an enum is that enum
      return d.out && defOf(unwrap(d.out)).type === "enum" ? "enum" : "duration"
    case "record":
      return "record"
    default:
      return "other"
  }
}

export function description(s: AnyZod): string | undefined {
  let cur: AnyZod | undefined = s
  while (cur) {
    const meta = (cur as unknown as { meta?: () => { description?: string } | undefined }).meta?.()
    if (meta?.description) return meta.description
    const d = defOf(cur)
    cur = d.innerType
  }
  return undefined
}
