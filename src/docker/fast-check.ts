/**
 * @module docker/fast-check
 * Hand-written checks of a normalized value against its kind's zod schema (types.ts), for the kinds
 * that can be large (a catalog of ~18 000 servers took ~0.2 s in `CatalogSchema.safeParse` alone).
 * A check answers true only when the value certainly conforms, with no key the schema would drop;
 * false means "let zod decide", so a value that does not conform still fails with zod's message.
 */
import { isRecord } from "../core/index.ts"
import { runSteps } from "./parsers/kind.ts"
import type { ParseKind } from "./types.ts"

const optString = (v: unknown): boolean => v === undefined || typeof v === "string"
const optBool = (v: unknown): boolean => v === undefined || typeof v === "boolean"
const name = (v: unknown): boolean => typeof v === "string" && v.length > 0
const stringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string")

/** Every key of `o` is one of `keys`. */
function only(o: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false
  return true
}

const POLICY_KEYS = new Set(["allowed", "reason", "error"])
const policy = (v: unknown): boolean => v === undefined || (isRecord(v) && typeof v.allowed === "boolean" && optString(v.reason) && optString(v.error) && only(v, POLICY_KEYS))

const TOOL_KEYS = new Set(["name", "title", "description", "inputSchema", "outputSchema", "annotations", "enabled", "policy"])
function tool(t: unknown): boolean {
  return (
    isRecord(t) &&
    name(t.name) &&
    optString(t.title) &&
    optString(t.description) &&
    isRecord(t.inputSchema) &&
    (t.outputSchema === undefined || isRecord(t.outputSchema)) &&
    (t.annotations === undefined || isRecord(t.annotations)) &&
    optBool(t.enabled) &&
    policy(t.policy) &&
    only(t, TOOL_KEYS)
  )
}

const REMOTE_KEYS = new Set(["url", "transportType", "headers"])
const SECRET_KEYS = new Set(["name", "env"])
const SERVER_KEYS = new Set(["name", "type", "title", "description", "image", "icon", "readme", "remote", "longLived", "prefix", "secrets", "config", "tools", "tags", "category", "policy"])
const STRINGS = ["type", "title", "description", "image", "icon", "readme", "prefix", "category"] as const

/** One CatalogServerSchema value. */
function server(s: unknown): boolean {
  if (!isRecord(s) || !name(s.name) || !only(s, SERVER_KEYS)) return false
  for (const k of STRINGS) if (!optString(s[k])) return false
  const r = s.remote
  if (r !== undefined && !(isRecord(r) && optString(r.url) && optString(r.transportType) && (r.headers === undefined || (isRecord(r.headers) && Object.values(r.headers).every((h) => typeof h === "string"))) && only(r, REMOTE_KEYS))) return false
  if (!optBool(s.longLived) || !policy(s.policy)) return false
  if (s.secrets !== undefined && !(Array.isArray(s.secrets) && s.secrets.every((x) => isRecord(x) && typeof x.name === "string" && optString(x.env) && only(x, SECRET_KEYS)))) return false
  if (s.config !== undefined && !(Array.isArray(s.config) && s.config.every(isRecord))) return false
  if (s.tools !== undefined && !(Array.isArray(s.tools) && s.tools.every(tool))) return false
  return s.tags === undefined || stringList(s.tags)
}

const CATALOG_KEYS = new Set(["name", "title", "ref", "digest", "servers", "policy"])

/** Servers checked between two yields. */
const STEP = 1000

/** CatalogSchema, in steps (see KindParser.steps). */
function* catalogSteps(v: unknown): Generator<void, boolean> {
  if (!(isRecord(v) && optString(v.name) && optString(v.title) && optString(v.ref) && optString(v.digest) && policy(v.policy) && Array.isArray(v.servers) && only(v, CATALOG_KEYS))) return false
  const servers = v.servers as unknown[]
  for (let i = 0; i < servers.length; i++) {
    if (!server(servers[i])) return false
    if ((i + 1) % STEP === 0) yield
  }
  return true
}

/** CatalogSchema. */
export function catalogConforms(v: unknown): boolean {
  return runSteps(catalogSteps(v))
}

/** Kinds with a hand-written check, in steps (the others are small: zod alone). */
export const FAST_CHECKS: Partial<Record<ParseKind, (v: unknown) => Generator<void, boolean>>> = { catalog: catalogSteps }
