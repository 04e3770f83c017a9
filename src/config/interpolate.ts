/**
 * @module config/interpolate
 * Cursor's mcp.json variables in server entries, resolved before validation (so a URL written as
 * `${env:BASE}/mcp` validates as the URL it becomes, and resolved secrets are registered for
 * redaction like any other): `${env:NAME}` and `${NAME}` (our environment), `${userHome}`,
 * `${workspaceFolder}` ($MCPO_WORKSPACE, else the directory the orchestrator started in),
 * `${workspaceFolderBasename}`, `${pathSeparator}` and `${/}`. `$${` is a literal `${`.
 * `${NAME:-default}` (and `${env:NAME:-default}`) is the default when NAME is unset or empty, as in
 * a shell and in Claude Code's .mcp.json (pasted as is, it was an unknown form).
 * Resolved in command, args, env, url and headers (as Cursor does) and in cwd and envFile.
 * A form we do not know is a config error naming the key: silently empty values make servers
 * fail far from the cause.
 */
import { basename, sep } from "node:path"
import { admitStrong, homeDir, isSecretName, looksLikeSecret } from "../core/index.ts"

export interface InterpolationContext {
  env: Record<string, string | undefined>
  /** `${workspaceFolder}` */
  workspace: string
}

export interface Interpolated {
  value: string
  /** Problems that make the value unusable (unknown form, unterminated `${`). */
  errors: string[]
  /**
   * Variables referenced but not set (they become empty, as in Cursor), as written between `${`
   * and `}`: `env:NAME` or `NAME`, so a message shows `${env:NAME}` where the config says so.
   */
  unset: string[]
  /**
   * Values put in for variables that hold a secret (a secret-looking name such as `API_KEY`, or a
   * credential-looking value): registered as secrets wherever they land (an argument, a URL path).
   */
  secrets: string[]
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The fixed variables, by name. */
function fixedVariables(ctx: InterpolationContext): Record<string, string> {
  return {
    userHome: homeDir(ctx.env),
    workspaceFolder: ctx.workspace,
    workspaceFolderBasename: basename(ctx.workspace),
    pathSeparator: sep,
    "/": sep,
  }
}

export const KNOWN_FORMS = "${env:NAME}, ${NAME}, ${NAME:-default}, ${userHome}, ${workspaceFolder}, ${workspaceFolderBasename}, ${pathSeparator}, ${/}"

/** `${workspaceFolder}`: $MCPO_WORKSPACE when set, else the process's working directory at start. */
export function workspaceFolder(env: Record<string, string | undefined>, cwd: string = process.cwd()): string {
  const w = env.MCPO_WORKSPACE
  return w && w.trim() ? w : cwd
}

/** `v`, registered as a secret when its name or its look says it is one. */
function admitted(name: string, v: string, out: Interpolated): string {
  if (isSecretName(name) ? admitStrong(v) : looksLikeSecret(v)) out.secrets.push(v)
  return v
}

/** The error for a `${…}` we do not resolve; VS Code's `${input:ID}` prompts get their own way out. */
function unknownForm(inner: string): string {
  const literal = "(write $${ for a literal ${)"
  if (inner.startsWith("input:"))
    return `"\${${inner}}" is a VS Code input (a value VS Code prompts for); the orchestrator cannot prompt: put the value in an environment variable (or an envFile) and write \${env:NAME} ${literal}`
  return `unknown variable "\${${inner}}"; known: ${KNOWN_FORMS} ${literal}`
}

export function interpolate(text: string, ctx: InterpolationContext): Interpolated {
  const out: Interpolated = { value: "", errors: [], unset: [], secrets: [] }
  if (!text.includes("${")) {
    out.value = text
    return out
  }
  const fixed = fixedVariables(ctx)
  let i = 0
  while (i < text.length) {
    const at = text.indexOf("$", i)
    if (at < 0) {
      out.value += text.slice(i)
      break
    }
    out.value += text.slice(i, at)
    if (text.startsWith("$${", at)) {
      out.value += "${"
      i = at + 3
      continue
    }
    if (text[at + 1] !== "{") {
      out.value += "$"
      i = at + 1
      continue
    }
    const end = text.indexOf("}", at + 2)
    if (end < 0) {
      out.errors.push(`unterminated "\${" (write $\${ for a literal \${)`)
      out.value += text.slice(at)
      break
    }
    const inner = text.slice(at + 2, end)
    i = end + 1
    if (Object.hasOwn(fixed, inner)) {
      out.value += fixed[inner]
      continue
    }
    const bare = inner.startsWith("env:") ? inner.slice(4) : inner
    const dash = bare.indexOf(":-")
    const name = dash < 0 ? bare : bare.slice(0, dash)
    if (!VAR_NAME.test(name)) {
      out.errors.push(unknownForm(inner))
      continue
    }
    const v = ctx.env[name]
    if (dash >= 0) {
      // the default stands in for an unset or empty variable (no warning: the user wrote one); under a
      // secret name it is a secret as the variable's value would be
      out.value += admitted(name, v || bare.slice(dash + 2), out)
      continue
    }
    if (v === undefined) out.unset.push(inner)
    else admitted(name, v, out)
    out.value += v ?? ""
  }
  return out
}
