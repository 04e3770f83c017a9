/**
 * @module docker/cli-stamp
 * Which Toolkit CLI would answer, by its files alone: the `docker` executable and each `docker-mcp`
 * plugin docker may run (identity, size, times), and the docker config (`features.profiles`,
 * `cliPluginsExtraDirs`). A few stat calls, no process: cheap enough to ask on every call while a
 * failed `docker mcp version` is held off (docker/exec), so an upgrade in place (Docker Desktop
 * replacing the plugin) is noticed at once, not after the hold-off.
 */
import { statSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { readPlainText } from "../core/index.ts"
import { pluginDirs } from "./plugin-health.ts"

function statText(path: string): string {
  try {
    const st = statSync(path)
    return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "?"
  }
}

function fileText(path: string): string {
  try {
    return readPlainText(path)
  } catch {
    return ""
  }
}

/** The stamp of the CLI `docker` (a resolved path) runs for `docker mcp` under `env`. */
export function cliFilesStamp(docker: string, env: Record<string, string | undefined>): string {
  const exe = process.platform === "win32" ? "docker-mcp.exe" : "docker-mcp"
  const config = join(env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker"), "config.json")
  const parts = [statText(docker), fileText(config), ...pluginDirs(env).map((d) => statText(join(d, exe)))]
  return Bun.hash(parts.join("\n")).toString(16)
}
