/**
 * @module config/argv-secrets
 * A secret handed to a stdio server on its command line (`--api-key X`, a token-shaped argument, a
 * `${env:…}` secret written into `args`, a URL's password) is readable by every local user while the
 * server runs (`ps`, /proc/<pid>/cmdline); its environment is not. Found by the registered secret
 * values (core/secrets: the config's are registered when it is loaded), so every shape the registry
 * knows is covered by one check; the warning names where, never the value.
 */
import { secrets } from "../core/index.ts"
import type { Config } from "./schema.ts"

/** Where a command line holds a registered secret (`command`, `args[3] after --api-key`), never the value. */
export function argvSecrets(command: string, args: readonly string[] | undefined): string[] {
  const where: string[] = []
  if (secrets.test(command)) where.push("command")
  const list = args ?? []
  list.forEach((a, i) => {
    if (!secrets.test(a)) return
    const prev = i > 0 ? list[i - 1]! : undefined
    const flag = prev !== undefined && /^--?[A-Za-z][\w.-]*$/.test(prev) ? ` after ${prev}` : ""
    where.push(`args[${i}]${flag}`)
  })
  return where
}

/** One warning per enabled stdio server (under `servers` or `mcpServers`) given a secret on its command line. */
export function argvSecretWarnings(config: Config, sourceOf: (path: readonly PropertyKey[]) => string): string[] {
  const out: string[] = []
  for (const key of ["servers", "mcpServers"] as const) {
    for (const [name, spec] of Object.entries(config[key] ?? {})) {
      if (spec.disabled || !("command" in spec)) continue
      const where = argvSecrets(spec.command, spec.args)
      if (where.length === 0) continue
      out.push(
        `${key}.${name} (${sourceOf([key, name])}): a secret is given on its command line (${where.join(", ")}), which every local user can read while it runs (ps, /proc/<pid>/cmdline); pass it through ${key}.${name}.env or an envFile instead, under the variable the server reads (its environment is readable only by you)`,
      )
    }
  }
  return out
}
