/**
 * Tool schemas as clients compile them: Ajv draft-07 (SDK v1, most editors) and 2020-12 (SDK v2),
 * each a fresh instance with strict off.
 */
import Ajv from "ajv"
import Ajv2020 from "ajv/dist/2020"

/** Why a schema does not compile in `engine` (a fresh instance, strict off), or undefined. */
export function compileError(engine: "draft-07" | "2020-12", schema: Record<string, unknown>): string | undefined {
  let s = structuredClone(schema)
  // a draft-07 engine meeting a schema that declares 2020-12 hands it to its 2020-12 engine (the v2 SDK does)
  if (engine === "draft-07" && typeof s.$schema === "string" && s.$schema.includes("2020-12")) {
    const { $schema: _, ...rest } = s
    s = rest
  }
  try {
    ;(engine === "draft-07" ? new Ajv({ strict: false, logger: false }) : new Ajv2020({ strict: false, logger: false })).compile(s)
    return undefined
  } catch (e) {
    return String(e)
  }
}
