/**
 * @module docker/era
 * Which `docker mcp` we talk to: version parsing, the per-version capabilities (output shapes,
 * command names) and era detection (`version` + `profile list` probe), cached by the driver.
 */
import type { Era } from "./types.ts"

export interface SemVer {
  major: number
  minor: number
  patch: number
}

/** Everything the builders and parsers need to know about the CLI on this machine. */
export interface EraInfo {
  era: Era
  generation: "A" | "B" | "C"
  /** As printed, e.g. `v0.41.0`; `unknown` when `version` printed nothing usable. */
  version: string
  semver: SemVer | null
  /** Command for OCI catalogs in the profiles era: `catalog-next` (v0.28–v0.37) or `catalog`. */
  ociCatalogCommand: "catalog" | "catalog-next"
  /** How the era (and, without a version, the commands) were decided: what `doctor` and toolkit_status say. */
  basis: string
}

const VERSION_RE = /v?(\d+)\.(\d+)\.(\d+)/
/** A `v`-prefixed version token: what the Toolkit prints, preferred over other numbers on its line. */
const V_VERSION_RE = /(?<![\w.])v(\d+)\.(\d+)\.(\d+)/

/**
 * The version in `text`: its first `vX.Y.Z` token, else its first `X.Y.Z` (`0.43.3`, `go1.24.1`
 * never wins over a `v` one). `0.0.0` (`v0.0.0-dev`, `0.0.0+abc`: a build from source without a
 * tag) is a placeholder, no version: read as one it would be the oldest CLI (era A, mcp-go tools),
 * when such a build is the newest code.
 */
export function parseVersion(text: string): SemVer | null {
  const m = V_VERSION_RE.exec(text) ?? VERSION_RE.exec(text)
  if (!m) return null
  const v = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) }
  return v.major === 0 && v.minor === 0 && v.patch === 0 ? null : v
}

export function compareVersion(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/** `atLeast(v, 0, 38)`; an unknown version counts as the newest (the CLI only moves forward). */
export function atLeast(v: SemVer | null, minor: number, major = 0, patch = 0): boolean {
  if (!v) return true
  return compareVersion(v, { major, minor, patch }) >= 0
}

export const PROFILES_MIN_MINOR = 28
export const PROFILES_ALWAYS_MINOR = 42

/** What the version alone says; `undefined` when only the profile probe can tell (v0.28–v0.41). */
export function eraFromVersion(v: SemVer | null): Era | undefined {
  if (v === null) return undefined
  if (!atLeast(v, PROFILES_MIN_MINOR)) return "legacy"
  if (atLeast(v, PROFILES_ALWAYS_MINOR)) return "profiles"
  return undefined
}

export function makeEraInfo(version: string, era: Era, basis?: string): EraInfo {
  const semver = parseVersion(version)
  const generation = era === "legacy" ? "A" : atLeast(semver, PROFILES_ALWAYS_MINOR) ? "C" : "B"
  const printed = semver ? `v${semver.major}.${semver.minor}.${semver.patch}` : "unknown"
  return {
    era,
    generation,
    version: printed,
    semver,
    ociCatalogCommand: atLeast(semver, 38) ? "catalog" : "catalog-next",
    basis: basis ?? (semver ? `version ${printed}` : "no readable version"),
  }
}

/**
 * A profiles-era CLI without a readable version (a build from source, a fork): where its OCI
 * catalogs are, from what `docker mcp catalog ls --format json` did. A list: `catalog` is the OCI
 * command (as from v0.38; generation C-like); the legacy catalogs map (`{"catalogs": {…}}`, as
 * v0.28–v0.37 print with profiles on) or `catalog` unknown: `catalog-next` (generation B).
 */
export function withCatalogCommand(info: EraInfo, command: "catalog" | "catalog-next", why: string): EraInfo {
  return { ...info, ociCatalogCommand: command, generation: command === "catalog" ? "C" : "B", basis: `${info.basis}; ${why}` }
}

/** `server ls --json` prints objects from v0.27, names before. */
export function serverLsHasObjects(info: EraInfo): boolean {
  return atLeast(info.semver, 27)
}

/** Typed (`catalogDocument`) catalog output from v0.38, raw YAML-as-JSON before. */
export function catalogIsTyped(info: EraInfo): boolean {
  return atLeast(info.semver, 38)
}

/** `tools ls` uses the go-sdk tool shape from v0.14, mcp-go before. */
export function toolsAreGoSdk(info: EraInfo): boolean {
  return atLeast(info.semver, 14)
}

/** `catalog-next server inspect` exists from v0.36.0 (docker/mcp-gateway #339); without a version it is tried (the driver falls back to the catalog). */
export function hasCatalogServerInspect(info: EraInfo): boolean {
  return atLeast(info.semver, 36)
}
