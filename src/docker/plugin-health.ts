/**
 * @module docker/plugin-health
 * A `docker-mcp` CLI plugin that is there but does not run. The docker CLI reports a plugin whose
 * metadata call fails (exec format error, permission denied, a crash) as if it were missing
 * (`unknown command: docker mcp`; docker/cli cli-plugins/manager: `plugin.Err` → not found), so
 * "not installed" is checked: the plugin directories docker searches are looked through, and a
 * `docker-mcp` found there is run as docker runs it first (`docker-cli-plugin-metadata`, argv only)
 * to say what really happens. One wording for the driver, `doctor` and `orchestrator_status`.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { ToolkitError, cutText, errorMessage, lookupTable } from "../core/index.ts"
import { pluginDirs } from "./cli-stamp.ts"
import { BROKEN_PLUGIN_REMEDY, crashReason, maskToolkitText } from "./classify.ts"
import { createSpawnRunner } from "./runner.ts"

const SPAWN_ERRORS: Record<string, string> = lookupTable({
  ENOEXEC: "exec format error: it is no program this machine runs (built for another architecture or OS, or damaged)",
  EACCES: "permission denied: it is not executable",
  ENOENT: "no such file: a broken link, or its interpreter is missing",
})

/** How long the plugin's metadata call may take. */
const METADATA_WAIT_MS = 5_000

/**
 * Why the `docker-mcp` docker would run does not run (the first found, as docker takes it), or
 * undefined when none is there or it answers its metadata call: then it is really not installed
 * (or docker refuses it for a reason this cannot see).
 */
export async function brokenPlugin(env: Record<string, string | undefined>): Promise<{ path: string; reason: string } | undefined> {
  const exe = process.platform === "win32" ? "docker-mcp.exe" : "docker-mcp"
  const path = pluginDirs(env).map((d) => join(d, exe)).find((p) => existsSync(p))
  if (!path) return undefined
  let reason: string
  try {
    const r = await createSpawnRunner({ docker: path, env, timeoutMs: METADATA_WAIT_MS })({ args: ["docker-cli-plugin-metadata"] })
    if (r.timedOut) reason = `its metadata call did not answer within ${METADATA_WAIT_MS / 1000} s`
    // masked before any cut: a token shape cut short (`ghp_A1b2…`) is no longer known as one
    else if (r.exitCode !== 0) reason = `it exits ${r.exitCode}${r.signal ? ` (${r.signal})` : ""}: ${crashReason(maskToolkitText(r.stderr)) || "no error output"}`
    else if (!/"SchemaVersion"\s*:/.test(r.stdout)) reason = `its metadata is not the plugin JSON docker expects: ${JSON.stringify(cutText(maskToolkitText(r.stdout.trim()), 120))}`
    else return undefined
  } catch (e) {
    // the spawn itself failed: EACCES (not executable), ENOEXEC (exec format error: another architecture)
    const msg = errorMessage(e)
    const errno = /\b(ENOEXEC|EACCES|ENOENT)\b/.exec(msg)?.[1]
    reason = errno ? `${SPAWN_ERRORS[errno]} (${errno})` : msg
  }
  return { path, reason: cutText(maskToolkitText(reason), 400) }
}

/** `TOOLKIT_BROKEN` for a plugin that is there and does not run. */
export function brokenPluginError(path: string, reason: string, details: Record<string, unknown> = {}): ToolkitError {
  return new ToolkitError("TOOLKIT_BROKEN", `The Docker MCP Toolkit CLI plugin is installed at ${path} but does not run: ${reason}`, { remedy: BROKEN_PLUGIN_REMEDY, details: { ...details, plugin: path } })
}

/**
 * `err` when it is no TOOLKIT_NOT_INSTALLED, or the plugin is really missing; a TOOLKIT_BROKEN
 * naming the plugin and what it does when it is there but broken.
 */
export async function explainNotInstalled(err: ToolkitError, env: Record<string, string | undefined>): Promise<ToolkitError> {
  if (err.code !== "TOOLKIT_NOT_INSTALLED") return err
  const broken = await brokenPlugin(env).catch(() => undefined)
  return broken ? brokenPluginError(broken.path, broken.reason, err.details) : err
}
