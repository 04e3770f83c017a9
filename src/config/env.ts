/**
 * @module config/env
 * Environment variables: `MCPO_<SECTION>_<KEY>` for every scalar setting, derived from the schema
 * (e.g. `MCPO_LOG_LEVEL`, `MCPO_POOL_MAX_IN_FLIGHT`, `MCPO_CACHE_TTL_CATALOG`, `MCPO_HTTP_TOKEN`).
 * Lists are comma-separated (`MCPO_WARM=memory,everything`). `servers` is file-only. Any other
 * `MCPO_*` variable is a warning (a misspelled setting would otherwise be ignored without a word).
 */
import type { z } from "zod"
import { TEST_ENV_PREFIX } from "../core/index.ts"
import { ConfigSchema } from "./schema.ts"
import { suggestAll } from "./suggest.ts"
import { description, leafKind, objectShape, type LeafKind } from "./zod-walk.ts"

export interface EnvBinding {
  /** Config path, e.g. ["pool", "maxInFlight"]. */
  path: string[]
  env: string
  kind: LeafKind
  description?: string
}

const FILE_ONLY = new Set(["servers", "mcpServers", "inputs"])

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()
}

function walk(shape: Record<string, z.ZodType>, prefix: string[], out: EnvBinding[]): void {
  for (const [key, s] of Object.entries(shape)) {
    if (prefix.length === 0 && FILE_ONLY.has(key)) continue
    const path = [...prefix, key]
    const inner = objectShape(s)
    if (inner) {
      walk(inner, path, out)
      continue
    }
    const kind = leafKind(s)
    if (kind === "record" || kind === "other") continue
    const d = description(s)
    out.push({ path, env: `MCPO_${path.map(snake).join("_")}`, kind, ...(d ? { description: d } : {}) })
  }
}

let cached: EnvBinding[] | undefined
export function envBindings(): EnvBinding[] {
  if (!cached) {
    cached = []
    walk(objectShape(ConfigSchema)!, [], cached)
  }
  return cached
}

/** Convert an env string to the value the schema expects; invalid stays a string so zod reports it. */
function coerce(kind: LeafKind, raw: string): unknown {
  switch (kind) {
    case "number": {
      const n = Number(raw)
      return raw.trim() !== "" && Number.isFinite(n) ? n : raw
    }
    case "boolean":
      if (/^(1|true|yes|on)$/i.test(raw)) return true
      if (/^(0|false|no|off)$/i.test(raw)) return false
      return raw
    case "array":
      return jsonStrings(raw) ?? commaList(raw)
    case "duration":
      return /^\d+$/.test(raw.trim()) ? Number(raw) : raw
    default:
      return raw
  }
}

/**
 * `a,b` → ["a", "b"]; a comma inside `{…}` is part of its entry (`MCPO_TOOLKIT_TOOLS_DENY={delete,drop}_*`:
 * one tool glob with alternatives, config/tool-glob), not a separator.
 */
function commaList(raw: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i <= raw.length; i++) {
    const c = raw[i]
    if (c === "{") depth++
    else if (c === "}" && depth > 0) depth--
    else if ((c === "," && depth === 0) || c === undefined) {
      out.push(raw.slice(start, i).trim())
      start = i + 1
    }
  }
  return out.filter(Boolean)
}

/**
 * A list variable written as a JSON array of strings (`MCPO_WARM='["a","b"]'`, as a list is often
 * written) is read as its entries; anything else (`a,b`, `[::1]` — an IPv6 host) is a comma list.
 */
function jsonStrings(raw: string): string[] | undefined {
  const t = raw.trim()
  if (!t.startsWith("[") || !t.endsWith("]")) return undefined
  try {
    const v: unknown = JSON.parse(t)
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? v.map((x) => x.trim()).filter(Boolean) : undefined
  } catch {
    return undefined
  }
}

export interface EnvLayer {
  values: Record<string, unknown>
  /** config path (dot-joined) → env var name */
  sources: Map<string, string>
}

export function readEnv(env: Record<string, string | undefined>): EnvLayer {
  const values: Record<string, unknown> = {}
  const sources = new Map<string, string>()
  for (const b of envBindings()) {
    const raw = env[b.env]
    if (raw === undefined || raw === "") continue
    let node = values
    for (const k of b.path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>
    node[b.path[b.path.length - 1]!] = coerce(b.kind, raw)
    sources.set(b.path.join("."), `env ${b.env}`)
  }
  return { values, sources }
}

/**
 * `MCPO_` variables that are not settings but are read elsewhere: the config file (config/file.ts),
 * `${workspaceFolder}` (config/interpolate.ts), the nesting depth a parent orchestrator gives
 * its downstream servers (pool/child-env.ts DEPTH_VAR) and the mark it gives every child
 * (core/descendants.ts OWNER_VAR).
 */
export const OTHER_ENV_VARS: readonly string[] = ["MCPO_CONFIG", "MCPO_WORKSPACE", "MCPO_DEPTH", "MCPO_OWNER"]
/** Variables of the test suite (MCPO_TEST_BIN, MCPO_TEST_VERBOSE…, core/test-hooks) reach the binary in its tests: never reported. */
const TEST_PREFIX = TEST_ENV_PREFIX

/** Every `MCPO_` name this program reads. */
export function knownEnvNames(): string[] {
  return [...envBindings().map((b) => b.env), ...OTHER_ENV_VARS]
}

/**
 * One warning per `MCPO_*` variable that is set but read by nothing (a typo such as
 * POOL_MAXINFLIGHT for POOL_MAX_IN_FLIGHT), with the closest known name. Not an error: the value is just ignored.
 */
export function unknownEnvWarnings(env: Record<string, string | undefined>): string[] {
  const known = knownEnvNames()
  const knownSet = new Set(known)
  const out: string[] = []
  for (const name of Object.keys(env).sort()) {
    if (!name.toUpperCase().startsWith("MCPO_") || knownSet.has(name) || name.startsWith(TEST_PREFIX) || env[name] === undefined) continue
    // compared without case and underscores, the shared prefix aside: POOLMAX begins POOL_MAX_IN_FLIGHT
    const hints = suggestAll(name, known, { commonPrefix: "MCPO_", max: 2 })
    out.push(`env ${name}: unknown MCPO_ variable, ignored${hints.length ? `; did you mean ${hints.join(" or ")}?` : "; see docs/config.md for the MCPO_* variables"}`)
  }
  return out
}
