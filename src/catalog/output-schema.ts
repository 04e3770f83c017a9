/**
 * @module catalog/output-schema
 * The SDK `Client` compiles every tool's `outputSchema` with Ajv inside `listTools()`, and one
 * schema Ajv cannot compile (an unknown `type`, an unresolvable `$ref`…) makes the whole call
 * throw: the client sees no tools. So each `outputSchema` is compiled the same way here first
 * (the v2 SDK's own `AjvJsonSchemaValidator`, JSON Schema 2020-12: schema-normalize.ts has removed
 * any other `$schema` by then), and a tool whose schema fails keeps working without
 * it (structured output is then simply not validated by the client). Ajv is loaded only when a
 * list has an `outputSchema`, and verdicts are remembered by schema text.
 */
import { errorMessage } from "../core/index.ts"

type Obj = Record<string, unknown>
interface Compiler {
  getValidator(schema: Obj): unknown
}

const verdicts = new Map<string, string | undefined>()
const MAX_VERDICTS = 2000

/** Per schema, undefined when it compiles, else Ajv's error. */
export async function compileErrors(schemas: readonly Obj[]): Promise<(string | undefined)[]> {
  let compiler: Compiler | undefined
  const out: (string | undefined)[] = []
  for (const s of schemas) {
    let key: string
    try {
      key = JSON.stringify(s)
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
