/**
 * @module config/short-secrets
 * A secret too short to redact safely, said at config load (qa277). A value under a secret name of
 * fewer than 4 characters or a number of up to 5 digits (`DB_PIN=1234`, `"Authorization": "Bearer ab1"`)
 * is not registered with the redaction (core/secrets `tooShortToMask`): masked, every `1234` of
 * every answer, tool list and log line would be blanked. So it reaches answers and logs as any
 * word does; before, nothing said so and the user took it for redacted.
 *
 * Every place the registry takes a value by its name is read (qa310): env and header values (a URL
 * or `Bearer` credential inside one too), `args` (`--api-key ab1`, `--token=xy9`), a whole command
 * line in `command`, the `url` (`https://u:pw1@…`, `?api_key=k12`) and `auth.clientSecret`. The
 * registry's own collectors say what they turned away (`shortNamedSecrets`), so the warning and the
 * redaction cannot disagree; before, only env and header values directly under a secret name were.
 */
import { collectArgSecrets, describeShort, collectEnvSecrets, collectHeaderSecrets, collectUrlSecrets, isRecord, serverSecrets, shortNamedSecrets } from "../core/index.ts"

/** The too-short values of one entry's fields, each with the config path it was read from. */
function shortsOf(entry: Record<string, unknown>, at: readonly string[]): { path: string[]; values: string[]; direct: boolean }[] {
  const out: { path: string[]; values: string[]; direct: boolean }[] = []
  const add = (path: string[], values: string[], direct = false): void => void (values.length && out.push({ path, values, direct }))
  for (const field of ["env", "headers"] as const) {
    const map = entry[field]
    if (!isRecord(map)) continue
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== "string") continue
      const one = { [k]: v }
      const values = shortNamedSecrets(() => (field === "env" ? collectEnvSecrets(one, []) : collectHeaderSecrets(one, [])))
      const direct = values.length === 1 && values[0] === v.trim().replace(/^(?:Bearer|Basic|Token)\s+/i, "")
      add([...at, field, k], values, direct)
    }
  }
  if (Array.isArray(entry.args)) add([...at, "args"], shortNamedSecrets(() => collectArgSecrets(entry.args as string[], [])))
  if (typeof entry.command === "string") add([...at, "command"], shortNamedSecrets(() => collectArgSecrets(entry.command as string, [])))
  if (typeof entry.url === "string") add([...at, "url"], shortNamedSecrets(() => collectUrlSecrets(entry.url as string, [])))
  if (isRecord(entry.auth)) {
    const auth = entry.auth
    for (const k of ["clientSecret", "CLIENT_SECRET"])
      if (typeof auth[k] === "string") add([...at, "auth", k], shortNamedSecrets(() => serverSecrets({ auth: { [k]: auth[k] } } as Parameters<typeof serverSecrets>[0])), true)
  }
  return out
}

/** Warnings for the secret values of one resolved server entry that are too short to mask. */
export function shortSecretWarnings(entry: Record<string, unknown>, at: readonly string[], sourceOf: (path: readonly PropertyKey[]) => string): string[] {
  return shortsOf(entry, at).map(({ path, values, direct }) => {
    const d = describeShort(values)
    const what = direct ? `its value (${d}) is` : values.length === 1 ? `a secret in it (${d}) is` : `${values.length} secrets in it (${d}) are`
    return `${path.join(".")} (${sourceOf(path)}): ${what} too short to redact safely, so it is NOT masked in answers, tool lists and logs (masking it would blank every such word or number); use a secret of at least 4 characters, not a number of up to 5 digits, if the server allows it`
  })
}
