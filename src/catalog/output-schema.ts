/**
 * @module catalog/output-schema
 * The SDK `Client` compiles every tool's `outputSchema` with Ajv inside `listTools()`, and one
 * schema Ajv cannot compile (an unknown `type`, an unresolvable `$ref`…) makes the whole call
 * throw: the client sees no tools. So each `outputSchema` is compiled the same way here first
 * (the v2 SDK's own `AjvJsonSchemaValidator`, JSON Schema 2020-12: schema-normalize.ts has removed
 * any other `$schema` by then), and a tool whose schema fails keeps working without
 * it (structured output is then simply not validated by the client). Ajv is loaded only when a
 * list has an `outputSchema`, and verdicts are remembered by a keyed 64-bit hash of the schema's
 * text: not the text, which for 2 000 remembered schemas of up to 512 KiB each would be up to 1 GiB
 * kept for the run (a server that keeps relisting new schemas fills it).
 */
import { errorMessage } from "../core/index.ts"
import { hasPatterns } from "./output-patterns.ts"

type Obj = Record<string, unknown>
interface Compiler {
  getValidator(schema: Obj): unknown
}

const verdicts = new Map<bigint, string | undefined>()
const MAX_VERDICTS = 2000
/** Drawn per process: a server cannot craft a schema whose hash passes for one that compiled. */
const VERDICT_KEY = crypto.getRandomValues(new BigUint64Array(1))[0]!

/** What the verdict cache holds as keys (for tests and diagnostics). */
export function verdictKeys(): unknown[] {
  return [...verdicts.keys()]
}

/** Per schema, undefined when it compiles, else Ajv's error. */
export async function compileErrors(schemas: readonly Obj[]): Promise<(string | undefined)[]> {
  let compiler: Compiler | undefined
  const out: (string | undefined)[] = []
  for (const s of schemas) {
    let key: bigint
    try {
      key = BigInt(Bun.hash.wyhash(JSON.stringify(s), VERDICT_KEY))
    } catch (e) {
      // not serialisable (nothing JSON.parse makes): no client could compile it either
      out.push(errorMessage(e))
      continue
    }
    if (verdicts.has(key)) {
      out.push(verdicts.get(key))
      continue
    }
    // A fresh instance per batch: Ajv keeps every schema it compiled, and lists are re-read for hours.
    compiler ??= new (await import("@modelcontextprotocol/client/validators/ajv")).AjvJsonSchemaValidator()
    let verdict: string | undefined
    try {
      compiler.getValidator(s)
    } catch (e) {
      verdict = errorMessage(e)
    }
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear()
    verdicts.set(key, verdict)
    out.push(verdict)
  }
  return out
}

/** Why a value does not match a schema: the first mismatch (its path under `structuredContent`), or undefined when it matches. */
export type OutputValidator = (value: unknown) => string | undefined

interface AjvEngine {
  compile(schema: Obj): ((data: unknown) => boolean) & { errors?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[] | null }
}

/**
 * A compiler of tool output schemas for one tool list: the engine the v2 SDK client validates
 * `structuredContent` with (Ajv, JSON Schema 2020-12, formats checked), one instance per list, so its
 * compiled schemas go when the list is replaced. Loads Ajv on first use.
 */
export async function outputValidators(): Promise<(schema: Obj) => OutputValidator> {
  const provider = new (await import("@modelcontextprotocol/client/validators/ajv")).AjvJsonSchemaValidator()
  // the provider's 2020-12 engine (what it picks for a schema without `$schema`, which normalisation
  // leaves none other than 2020-12): read for the first error's path; its own wording lists them all
  const engine = (provider as unknown as { ajv?: AjvEngine }).ajv
  return (schema) => {
    // A downstream's regular expression would run here, in the process every session shares: one
    // catastrophic pattern (`(a+)+$`) and a matching value would stall them all. A listing removes
    // them from output schemas (output-patterns.ts), so the client checks no more than we do; one
    // that reaches here anyway is not checked by us. (A `$dynamicRef` resolves within the schema,
    // which has none left: checked, where the clients threw on any mismatch of such a schema.)
    if (hasPatterns(schema)) return notChecked
    if (engine === undefined || typeof engine.compile !== "function") {
      const v = provider.getValidator(schema) as (data: unknown) => { valid: boolean; errorMessage?: string }
      return (value) => {
        const r = v(value)
        return r.valid ? undefined : (r.errorMessage ?? "it does not match").replace(/^data/, "structuredContent")
      }
    }
    const v = engine.compile(schema)
    return (value) => {
      if (v(value)) return undefined
      const e = v.errors?.[0]
      if (e === undefined) return "it does not match"
      const extra = typeof e.params?.additionalProperty === "string" ? ` (${JSON.stringify(e.params.additionalProperty)})` : ""
      return `structuredContent${e.instancePath ?? ""} ${e.message ?? "does not match"}${extra}`
    }
  }
}

const notChecked: OutputValidator = () => undefined
