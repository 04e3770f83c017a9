/**
 * @module app/toolkit-files
 * The Docker MCP Toolkit's state files, stamped: what `docker mcp server enable/disable`, `profile
 * server add/remove`, `tools enable`, `config write` or a catalog update change between two starts
 * (docs/toolkit.md §4.1: all under ~/.docker/mcp/; `registry.yaml`, `tools.yaml`, `config.yaml` and
 * `catalogs/*.yaml` in the legacy eras, the SQLite `mcp-toolkit.db` in the profiles era). The first
 * answer stored for a config (app/tool-snapshot) and the cached enabled servers (app/cached-toolkit)
 * are keyed by them: a Toolkit changed since is another first answer, never the old set of
 * `docker__` tools that Cursor would keep for its whole session.
 *
 * Stamped by identity, size and times (`metaStamp`), not contents: the database may be megabytes,
 * and the early face checks these stamps before the first answer. Any write moves mtime and ctime,
 * a replacement the inode. (A gateway run does not write the database: the CLI opens it without
 * WAL and its migrations find nothing to do, pkg/db/db.go; so an unchanged Toolkit stays unchanged.)
 *
 * Two more things decide what the same state files mean, and are stamped too: the Docker CLI's
 * `config.json` by contents (`features.profiles`, which `docker mcp feature enable|disable profiles`
 * writes and which switches a v0.28–v0.41 CLI between the legacy files and the profiles database;
 * the current context; extra plugin directories), and the `docker-mcp` plugin binary wherever the
 * docker CLI looks for it (an upgrade replaces it: another era or output format).
 */
import { readdirSync, statSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { readPlainText } from "../core/index.ts"
import { stampDir, stampFile, type FileStamp } from "./tool-snapshot.ts"

/** The files in ~/.docker/mcp/ whose change may change the enabled servers or their tools (docs/toolkit.md §4.1). */
const STATE_FILES = ["registry.yaml", "tools.yaml", "config.yaml", "catalog.json", "mcp-toolkit.db", "mcp-toolkit.db-wal"]

/** Where the Toolkit keeps its state: `$HOME/.docker/mcp` (pkg/user/home.go: the user's home when HOME is not set). */
export function toolkitStateDir(env: Record<string, string | undefined>): string {
  // as docker/toolkit-lock finds it for a docker child run with this environment
  return join(env.HOME || homedir(), ".docker", "mcp")
}

/**
 * A file's identity, size and times (`ino:size:mtimeMs:ctimeMs`), or absent; unreadable: a stamp
 * no check matches. src/early-face.ts `unchanged` compares the same text (it imports nothing of ours).
 */
export function metaStamp(path: string): FileStamp {
  try {
    const st = statSync(path)
    if (!st.isFile()) return { path, size: -1, hash: "" }
    return { path, meta: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? { path, absent: true } : { path, size: -1, hash: "" }
  }
}

/** The Docker CLI's configuration directory: `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: Record<string, string | undefined>): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker")
}

/** The system directories the docker CLI finds plugins in (cli-plugins/manager: after `cliPluginsExtraDirs` and the user's). */
function systemPluginDirs(env: Record<string, string | undefined>): string[] {
  if (process.platform === "win32") return [env.ProgramData, env.ProgramFiles].filter((d): d is string => !!d).map((d) => join(d, "Docker", "cli-plugins"))
  const dirs = ["/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins"]
  return process.platform === "darwin" ? [...dirs, "/Applications/Docker.app/Contents/Resources/cli-plugins"] : dirs
}

/** `cliPluginsExtraDirs` of the docker config (strings only; anything unreadable: none). */
function extraPluginDirs(configFile: string): string[] {
  try {
    const cfg: unknown = JSON.parse(readPlainText(configFile))
    const dirs = cfg !== null && typeof cfg === "object" ? (cfg as { cliPluginsExtraDirs?: unknown }).cliPluginsExtraDirs : undefined
    return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === "string" && d !== "").slice(0, 16) : []
  } catch {
    return []
  }
}

/**
 * What says which Toolkit CLI reads the state files, and how: the docker config by contents (the
 * profiles feature flag), and each place the `docker-mcp` plugin may be installed, by identity (an
 * upgrade, an install in another directory).
 */
export function toolkitCliStamps(env: Record<string, string | undefined>): FileStamp[] {
  const configFile = join(dockerConfigDir(env), "config.json")
  const exe = process.platform === "win32" ? "docker-mcp.exe" : "docker-mcp"
  const dirs = [...extraPluginDirs(configFile), join(dockerConfigDir(env), "cli-plugins"), ...systemPluginDirs(env)]
  return [stampFile(configFile), ...dirs.map((d) => metaStamp(join(d, exe)))]
}

/** The Toolkit's state files as they are now (the legacy catalogs directory: its entries and each file in it), and its CLI's (`toolkitCliStamps`). */
export function toolkitStamps(env: Record<string, string | undefined>): FileStamp[] {
  const dir = toolkitStateDir(env)
  const out = [...STATE_FILES.map((f) => metaStamp(join(dir, f))), ...toolkitCliStamps(env)]
  const catalogs = join(dir, "catalogs")
  const listed = stampDir(catalogs)
  out.push(listed)
  if ("listing" in listed) {
    try {
      for (const name of readdirSync(catalogs).sort()) out.push(metaStamp(join(catalogs, name)))
    } catch {
      // gone since: the listing says so next time
    }
  }
  return out
}

/** The stamps as one short text (a cache key's part). */
export function toolkitStampKey(env: Record<string, string | undefined>): string {
  return Bun.hash(JSON.stringify(toolkitStamps(env))).toString(16)
}
