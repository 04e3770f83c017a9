/**
 * `serve` of the compiled binary with one plugin file (in its own plugins directory) in front of
 * server-everything (warm), driven by the SDK's real Client: what the plugin tests that route
 * `everything__echo` through a hostile hook share.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ROOT, sandboxEnv, type Connected } from "./binary.ts"

export interface PluginServe {
  c: Connected
  /** The plugin file's path (as errors name it). */
  file: string
}

/**
 * `source` written as `fileName`; `plugins`: YAML lines under `plugins:` (indented by the caller's
 * two spaces, e.g. "  routeDeadline: 5000"); `serverEnv`: server-everything's env (values quoted).
 */
export async function servePlugin(fileName: string, source: string, opts: { plugins?: string; serverEnv?: Record<string, string> } = {}): Promise<PluginServe> {
  const env = sandboxEnv()
  const dir = join(env.HOME!, "plugins")
  mkdirSync(dir)
  const file = join(dir, fileName)
  writeFileSync(file, source)
  const everything = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
  const cfg = join(env.HOME!, "config.yaml")
  const plugins = opts.plugins ? `plugins:\n${opts.plugins}\n` : ""
  const serverEnv = opts.serverEnv ? `    env:\n${Object.entries(opts.serverEnv).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`).join("")}` : ""
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\n${plugins}servers:\n  everything:\n    command: ${process.execPath}\n    args: ["${everything}", "stdio"]\n${serverEnv}warm: [everything]\n`)
  return { c: await connectBinary(["serve", "--config", cfg, "--plugins", dir], env), file }
}
