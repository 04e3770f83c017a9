/**
 * @module cli/doctor-plugins
 * `doctor`'s look at the plugins, as `serve` would load them at start: each file that fails to load
 * (with its error), and whether loading them all took longer than `plugins.loadBudget` (then, at
 * start, tool calls are refused until the files past the budget have loaded: docs/plugins.md).
 */
import type { LoadedConfig } from "../config/index.ts"
import { createLogHub, createLogger } from "../core/index.ts"
import type { Check } from "./doctor-run.ts"

export async function checkPlugins(loaded: LoadedConfig): Promise<Check[]> {
  const p = loaded.config.plugins
  if (!p.enabled) return []
  const { PluginHost, resolvePluginDirs, visiblePath, visibleText, isOverCap, MAX_PLUGIN_FILES } = await import("../plugin/index.ts")
  const started = performance.now()
  // guest console output and load errors are reported below, not logged
  await using host = await PluginHost.create({ dirs: resolvePluginDirs(p.dirs), limits: p, log: createLogger(createLogHub("error", () => {}), "plugins"), builtinPrompts: false })
  const ms = Math.round(performance.now() - started)
  const list = host.list()
  if (list.length === 0) return []
  const out: Check[] = []
  // the files past the cap (plugin/file-cap) are one check, not a warning each (10 000 lines)
  const overCap = list.filter((x) => x.state === "failed" && isOverCap(x.lastError))
  if (overCap.length > 0) {
    out.push({ name: "plugins", status: "warn", detail: `${overCap.length} of ${list.length} plugin files are not loaded: at most ${MAX_PLUGIN_FILES} are (the first not loaded: ${visiblePath(overCap[0]!.file)})`, remedy: "point plugins.dirs at the directory of your plugins, not a library or build directory, or move files out" })
  }
  for (const f of list.filter((x) => x.state === "failed" && !isOverCap(x.lastError))) {
    // a file's name and its error are shown escaped: a plugin file named with ESC sequences or a newline must not drive the terminal
    const file = visiblePath(f.file)
    out.push({ name: "plugins", status: "warn", detail: `${file} does not load: ${visibleText(f.lastError ?? "unknown error")}`, remedy: `fix the file (\`mcp-orchestrator plugins check ${file}\`) or remove it` })
  }
  const took = `${list.length} plugin file${list.length === 1 ? "" : "s"} loaded or failed in ${(ms / 1000).toFixed(1)} s`
  if (ms > p.loadBudget) {
    out.push({
      name: "plugins",
      status: "warn",
      detail: `${took}, more than plugins.loadBudget (${(p.loadBudget / 1000).toFixed(1)} s): at start, the files not loaded within it load in the background and tool calls are refused until they have`,
      remedy: "fix or remove the slow or failing files above, or raise plugins.loadBudget",
    })
  } else out.push({ name: "plugins", status: "ok", detail: `${took} (${list.filter((x) => x.state !== "failed").length} active; plugins.loadBudget ${(p.loadBudget / 1000).toFixed(1)} s)` })
  return out
}
