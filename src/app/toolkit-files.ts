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
import { readdirSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { cliFileStamps, metaStamp } from "../docker/cli-stamp.ts"
import { stampDir, type FileStamp } from "./tool-snapshot.ts"


/** The files in ~/.docker/mcp/ whose change may change the enabled servers or their tools (docs/toolkit.md §4.1). */
const STATE_FILES = ["registry.yaml", "tools.yaml", "config.yaml", "catalog.json", "mcp-toolkit.db", "mcp-toolkit.db-wal"]

/** Where the Toolkit keeps its state: `$HOME/.docker/mcp` (pkg/user/home.go: the user's home when HOME is not set). */
export function toolkitStateDir(env: Record<string, string | undefined>): string {
  // as docker/toolkit-lock finds it for a docker child run with this environment
  return join(env.HOME || homedir(), ".docker", "mcp")
}

/**
 * What says which Toolkit CLI reads the state files, and how: the docker config by contents (the
 * profiles feature flag), and each place the `docker-mcp` plugin may be installed, by identity (an
 * upgrade, an install in another directory). The same stamp as the failed-version hold-off's
 * (docker/cli-stamp: one list of the directories docker searches). `metaStamp` writes the text
 * src/early-face.ts `unchanged` compares (it imports nothing of ours).
 */
export function toolkitCliStamps(env: Record<string, string | undefined>): FileStamp[] {
  return cliFileStamps(env)
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
