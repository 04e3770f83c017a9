/**
 * @module docker/toolkit-lock
 * A cross-process exclusive section around a read-modify-write of the Toolkit's own state that the
 * CLI does not make atomic: the legacy era's config is read with `docker mcp config read` and the
 * whole file written back with `docker mcp config write` (docs/toolkit.md §2.2). Two orchestrators
 * (two editor windows) setting config at about the same time would each write back the file as they
 * read it, and one change would be lost while both were told "Set".
 *
 * `<dir>/.mcp-orchestrator-config.lock`, created exclusively next to the file it guards
 * (`~/.docker/mcp/`), holds the holder's pid; it is removed when the section ends. A lock left by a
 * holder that is gone (its pid does not exist) or older than `staleMs` is taken over (core/file-lock). Best effort:
 * a lock that cannot be had within `waitMs` (or cannot be created at all) lets the section run
 * unlocked, as before, with a warning, rather than stall the change.
 */
import { homedir } from "node:os"
import { join } from "node:path"
import { withFileLockAsync, type Logger } from "../core/index.ts"

/** Where the legacy config lock lives for a docker child run with `env` (its HOME's `.docker/mcp`). */
export function legacyConfigLockPath(env: Record<string, string | undefined>): string {
  return join(env.HOME || homedir(), ".docker", "mcp", ".mcp-orchestrator-config.lock")
}

/** Docker's catalog as the legacy CLI reads it (pkg/catalog readFileOrURL: `~/.docker/mcp/catalogs/docker-mcp.yaml`). */
export function legacyCatalogPath(env: Record<string, string | undefined>): string {
  return join(env.HOME || homedir(), ".docker", "mcp", "catalogs", "docker-mcp.yaml")
}

export interface ToolkitLockOptions {
  /** How long to wait for another holder before running unlocked. */
  waitMs: number
  /** A lock older than this is left over (its holder stuck or killed). */
  staleMs: number
  log?: Logger
  signal?: AbortSignal
}

/** Runs `fn` holding the lock file at `path` (see the module; core/file-lock); returns its result. */
export function withToolkitLock<T>(path: string, fn: () => Promise<T>, o: ToolkitLockOptions): Promise<T> {
  return withFileLockAsync(path, fn, {
    waitMs: o.waitMs,
    staleMs: o.staleMs,
    ...(o.signal ? { signal: o.signal } : {}),
    onTimeout: () => o.log?.warn("another mcp-orchestrator is still changing the Toolkit config; going ahead without waiting longer", { lock: path, waitedMs: o.waitMs }),
    onUnavailable: () => o.log?.debug("cannot create the Toolkit config lock; changing the config unlocked", { lock: path }),
  })
}
