/**
 * @module app/spec-key
 * Key of a server's persisted tool list: its name plus a short hash of its definition, so a changed
 * command, URL or environment never serves the previous server's tools from the cache; for a stdio
 * server without a `cwd`, the working directory it runs in too (ours: one list per project). With
 * `proxy.pinTools: block`, the tools the pins withhold (changed definitions waiting for `pins
 * approve`) are part of it: a list stored without a tool that has been approved (or reset) since is
 * not the list a start must answer with.
 */
import type { ToolPins } from "../catalog/index.ts"
import type { Proxy } from "../proxy/index.ts"

export function specKey(server: string, proxy: Proxy | undefined, withheld?: unknown): string {
  const def = proxy?.pool.get?.(server)?.def
  if (!def) return server
  // the Toolkit gateway: its enabled servers too (a profiles-era launch names only the profile)
  const listKey = (def as { listKey?: unknown }).listKey
  return definitionKey(server, listKey === undefined ? def.spec : { spec: def.spec, listKey }, withheld)
}

/** The key of a server defined by `spec` (as configured: serve's pool holds the same object), `doctor` storing what it listed included. */
export function definitionKey(server: string, spec: unknown, withheld?: unknown): string {
  // tools the pins withhold (proxy.pinTools: block) when the list was stored: an approval since is another list
  const listed = withheld === undefined ? spec : [spec, withheld]
  // a stdio server without a cwd of its own runs in ours, and what it lists may depend on it (a git
  // or filesystem server, npx preferring a project's node_modules): two windows in two projects
  // sharing the cache kept one list under one key, and a start in the other project served it
  // (its lazy server never asked: that project's tools never came). As the stored first answer's key
  const h = new Bun.CryptoHasher("sha256").update(JSON.stringify(runsInOurCwd(spec) ? [listed, { cwd: process.cwd() }] : listed)).digest("hex").slice(0, 12)
  return `${server}@${h}`
}

/** A stdio server's definition without a `cwd`: started in the orchestrator's working directory. */
function runsInOurCwd(spec: unknown): boolean {
  if (typeof spec !== "object" || spec === null || !("command" in spec)) return false
  const cwd = (spec as { cwd?: unknown }).cwd
  return cwd === undefined || cwd === null || cwd === ""
}

/** block mode: `server`'s tools withheld now (a change waiting for approval), or undefined when none is (the plain definition key). */
export function withheldTools(pins: ToolPins, server: string): unknown {
  if (pins.mode !== "block") return undefined
  const held = pins
    .list()
    .filter((p) => p.server === server && p.pending !== undefined)
    .map((p) => [p.tool, p.hash, p.pending])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
  return held.length ? held : undefined
}
