/**
 * @module docker/cli-stamp
 * Which Toolkit CLI would answer, by its files alone: the docker config (`features.profiles`,
 * `cliPluginsExtraDirs`, the context) by contents, and each `docker-mcp` plugin docker may run, in
 * the directories docker searches (`pluginDirs`, which docker/plugin-health looks through too: every `cliPluginsExtraDirs`
 * entry, as docker/cli's getPluginDirs, no cap) by identity, size and times. A few stat calls, no
 * process. One stamp for both users: the failed-`docker mcp version` hold-off (docker/exec: asked on
 * every call, so an upgrade in place is noticed at once) and the Toolkit cache key
 * (app/toolkit-files `toolkitCliStamps`). A second entry of this folder (scripts/check-layers
 * PUBLIC_ENTRIES) that imports nothing of it: a serving session stamps the Toolkit before its first
 * answer without evaluating the driver, its parsers and `yaml`. They once listed the plugin directories apart, and the
 * cache key missed a plugin past the 16th extra directory: an upgrade there kept the old answers.
 */
import { statSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { readPlainFile, readPlainText } from "../core/plain-file.ts"

/**
 * A file stamped: by contents (`size`, `hash`), by identity, size and times (`meta`), or absent;
 * `size: -1` (no regular file, unreadable) matches no later check. The shape app/tool-snapshot
 * stores and src/early-face.ts `unchanged` checks.
 */
export type CliFileStamp = { path: string; size: number; hash: string } | { path: string; absent: true } | { path: string; meta: string }

/** A file's identity, size and times (`ino:size:mtimeMs:ctimeMs`), or absent; no regular file or unreadable: a stamp no check matches. */
export function metaStamp(path: string): CliFileStamp {
  try {
    const st = statSync(path)
    if (!st.isFile()) return { path, size: -1, hash: "" }
    return { path, meta: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? { path, absent: true } : { path, size: -1, hash: "" }
  }
}

/** A file by contents (Bun.hash, hex), as app/tool-snapshot `stampFile`; only a regular file is read (a FIFO would block). */
function contentStamp(path: string): CliFileStamp {
  try {
    if (!statSync(path).isFile()) return { path, size: -1, hash: "" }
    const data = readPlainFile(path)
    return { path, size: data.byteLength, hash: Bun.hash(data).toString(16) }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? { path, absent: true } : { path, size: -1, hash: "" }
  }
}

/** The Docker CLI's configuration directory: `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: Record<string, string | undefined>): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker")
}

/**
 * The directories docker looks in for `docker-mcp`, in its order (docker/cli cli-plugins/manager
 * getPluginDirs): every `cliPluginsExtraDirs` entry (docker caps none), the config's `cli-plugins`,
 * the system directories. docker/cli-stamp stamps the plugin in each.
 */
export function pluginDirs(env: Record<string, string | undefined>, platform: string = process.platform): string[] {
  const config = dockerConfigDir(env)
  const dirs: string[] = []
  try {
    const extra = (JSON.parse(readPlainText(join(config, "config.json"))) as { cliPluginsExtraDirs?: unknown }).cliPluginsExtraDirs
    if (Array.isArray(extra)) dirs.push(...extra.filter((d): d is string => typeof d === "string"))
  } catch {
    // no config.json, or not JSON: docker itself goes on without extra dirs
  }
  dirs.push(join(config, "cli-plugins"))
  if (platform === "win32") dirs.push(join(env.ProgramData ?? "C:\\ProgramData", "Docker", "cli-plugins"), join(env.ProgramFiles ?? "C:\\Program Files", "Docker", "cli-plugins"))
  else {
    dirs.push("/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins")
    if (platform === "darwin") dirs.push("/Applications/Docker.app/Contents/Resources/cli-plugins")
  }
  return dirs
}

/** The docker config, by contents, then each place docker looks for `docker-mcp`, in docker's order. */
export function cliFileStamps(env: Record<string, string | undefined>): CliFileStamp[] {
  const exe = process.platform === "win32" ? "docker-mcp.exe" : "docker-mcp"
  return [contentStamp(join(dockerConfigDir(env), "config.json")), ...pluginDirs(env).map((d) => metaStamp(join(d, exe)))]
}

/** The stamp of the CLI `docker` (a resolved path) runs for `docker mcp` under `env`: the executable and `cliFileStamps`, as one short text. */
export function cliFilesStamp(docker: string, env: Record<string, string | undefined>): string {
  return Bun.hash(JSON.stringify([metaStamp(docker), ...cliFileStamps(env)])).toString(16)
}
