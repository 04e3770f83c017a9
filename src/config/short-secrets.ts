/**
 * @module config/short-secrets
 * A secret too short to redact safely, said at config load (qa277). A value under a secret name of
 * fewer than 4 characters or a number of up to 5 digits (`DB_PIN=1234`, `"Authorization": "Bearer ab1"`)
 * is not registered with the redaction (core/secrets `tooShortToMask`): masked, every `1234` of
 * every answer, tool list and log line would be blanked. So it reaches answers and logs as any
 * word does; before, nothing said so and the user took it for redacted.
 */
import { isRecord, isSecretName, tooShortToMask } from "../core/index.ts"

/** Warnings for the secret-named env and header values of one resolved server entry that are too short to mask. */
export function shortSecretWarnings(entry: Record<string, unknown>, at: readonly string[], sourceOf: (path: readonly PropertyKey[]) => string): string[] {
  const out: string[] = []
  for (const field of ["env", "headers"] as const) {
    const map = entry[field]
    if (!isRecord(map)) continue
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== "string" || !isSecretName(k)) continue
      const value = field === "headers" ? v.replace(/^(?:Bearer|Basic|Token)\s+/i, "") : v
      if (!tooShortToMask(value)) continue
      const path = [...at, field, k]
      const what = /^\d+$/.test(value.trim()) ? `a number of ${value.trim().length} digits` : `${value.trim().length} characters`
      out.push(
        `${path.join(".")} (${sourceOf(path)}): its value (${what}) is too short to redact safely, so it is NOT masked in answers, tool lists and logs (masking it would blank every such word or number); use a secret of at least 4 characters, not a number of up to 5 digits, if the server allows it`,
      )
    }
  }
  return out
}
