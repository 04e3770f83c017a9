/**
 * @module app/status-remedies
 * Remedies for the orchestrator_status parts whose owners report a state without one: a plugin
 * file that does not load, or whose hooks were turned off. Every problem the status shows says
 * what to do.
 */
import type { PluginInfo } from "../plugin/index.ts"

/** A plugin row with what to do about its problem (a file that failed, hooks turned off), when it has one. */
export function withPluginRemedy(p: PluginInfo): PluginInfo & { remedy?: string } {
  if (p.state === "failed") {
    return { ...p, remedy: `Fix the file (\`mcp-orchestrator plugins check ${p.file}\` shows the problem with its line) and save it: it is loaded again at once; or move it out of the plugin directory.` }
  }
  if (p.hooksOff !== undefined && Object.keys(p.hooksOff).length > 0) {
    return { ...p, remedy: `Fix the hooks named (each reason gives the fault and its file:line; \`mcp-orchestrator plugins test ${p.file} --hook HOOK --input JSON\` runs one) and save the file: its hooks turn on again when it changes${p.hooksRetry !== undefined ? " (a hook the watchdog turned off is also tried again at its time in hooksRetry)" : ""}.` }
  }
  return p
}

