/**
 * @module cli/commands/cache
 * `mcp-orchestrator cache stats [--json]` and `cache clear [--kind K]`: what the on-disk cache
 * holds and how to empty it. Live hit/miss counters are in `orchestrator_status` and `doctor`.
 */
import type { Command } from "commander"
import { CACHE_KINDS, clearCacheDir, resolveCacheDir, scanCacheDir, type DiskUsage } from "../../cache/index.ts"
import { errorMessage, redactString } from "../../core/index.ts"
import { loadFromFlags, withConfigOptions, type ConfigFlags } from "../flags.ts"
import { noteLeftOut } from "../left-out.ts"

type Opts = ConfigFlags & { json?: boolean; kind?: string }

export function register(program: Command): void {
  const cache = program.command("cache").description("inspect or clear the on-disk cache (catalog, servers, tool lists…)")
  withConfigOptions(cache.command("stats").description("entries, bytes and quarantined files per kind").option("--json", "as JSON")).action(
    async (o: Opts) => {
      const { dir, from } = cacheDir(o)
      const usage = await scanCacheDir(dir).catch((e: unknown) => unusable(dir, from, "read", e))
      if (usage) process.stdout.write(o.json ? JSON.stringify(usage) + "\n" : formatUsage(usage))
    },
  )
  withConfigOptions(
    cache
      .command("clear")
      .description("delete cached entries (all, or one kind) and quarantined files; with all or tools, the stored first answers too")
      .option("--kind <kind>", `only this kind: ${CACHE_KINDS.join(", ")}`)
      .option("--json", "as JSON"),
  ).action(async (o: Opts) => {
    if (o.kind !== undefined && !(CACHE_KINDS as readonly string[]).includes(o.kind)) {
      process.stderr.write(`mcp-orchestrator: unknown cache kind "${o.kind}"; expected one of ${CACHE_KINDS.join(", ")}\n`)
      process.exitCode = 2
      return
    }
    const { dir, from } = cacheDir(o)
    const removed = await clearCacheDir(dir, o.kind).catch((e: unknown) => unusable(dir, from, "clear", e))
    if (removed === undefined) return
    const { entries, firstAnswers } = removed
    const answers = firstAnswers > 0 ? ` and ${firstAnswers} stored first answer${firstAnswers === 1 ? "" : "s"}` : ""
    process.stdout.write(
      o.json
        ? JSON.stringify({ dir, removed: entries, firstAnswers, kind: o.kind ?? null }) + "\n"
        : `removed ${entries} ${o.kind ?? ""}${o.kind ? " " : ""}entries${answers} from ${dir}\n`,
    )
  })
}

/** The cache directory, and where it was set (the default when nowhere). */
function cacheDir(o: Opts): { dir: string; from: string } {
  const loaded = loadFromFlags(o)
  // (on stderr: stdout is the stats, or the JSON)
  noteLeftOut("cache", loaded.invalidServers, "serve neither starts it nor caches its tools")
  const source = loaded.sources.get("cache.dir")
  return { dir: resolveCacheDir(loaded.config.cache.dir), from: source ? `cache.dir, ${source}` : "the default ($XDG_CACHE_HOME/mcp-orchestrator or ~/.cache/mcp-orchestrator)" }
}

/** A cache directory that cannot be read or cleared: said with the path, where it was set and what to do (exit 1). */
function unusable(dir: string, from: string, what: "read" | "clear", e: unknown): undefined {
  const code = (e as { code?: unknown }).code
  const why =
    code === "ENOTDIR" ? "a file stands where the directory (or its entries/ folder) should be" : code === "EACCES" || code === "EPERM" ? "permission denied" : errorMessage(e)
  process.stderr.write(
    redactString(`mcp-orchestrator: cannot ${what} the cache directory ${dir} (set by ${from}): ${why}\nRemedy: remove or rename what is in the way, or point cache.dir (MCPO_CACHE_DIR, --cache-dir) to a directory you can write; serve keeps working from memory meanwhile (\`mcp-orchestrator doctor\` checks it)\n`),
  )
  process.exitCode = 1
  return undefined
}

function size(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

export function formatUsage(u: DiskUsage): string {
  if (!u.exists) return `cache dir: ${u.dir} (empty: not created yet)\n`
  const lines = [
    `cache dir: ${u.dir}`,
    `entries: ${u.entries} (${size(u.bytes)})  invalid: ${u.invalid}  quarantined files: ${u.corrupt}  temp files: ${u.temps}${u.newer ? `  of a newer mcp-orchestrator: ${u.newer} (left as they are)` : ""}`,
  ]
  const kinds = Object.entries(u.byKind).sort(([a], [b]) => a.localeCompare(b))
  if (kinds.length) {
    lines.push("", `${"kind".padEnd(10)} ${"entries".padStart(8)} ${"bytes".padStart(10)}`)
    for (const [k, v] of kinds) lines.push(`${k.padEnd(10)} ${String(v.entries).padStart(8)} ${size(v.bytes).padStart(10)}`)
  }
  if (u.oldestStoredAt !== undefined && u.newestStoredAt !== undefined) {
    lines.push("", `oldest: ${new Date(u.oldestStoredAt).toISOString()}  newest: ${new Date(u.newestStoredAt).toISOString()}`)
  }
  return lines.join("\n") + "\n"
}
