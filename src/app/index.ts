/**
 * @module app
 * Composition root and run modes. The only layer that wires everything together.
 * `serve` loads the orchestrator itself (dynamically, after the first answer), so this surface
 * re-exports only types from it: importing app/ must stay cheap for the CLI's cold start.
 */
export type { Orchestrator } from "./orchestrator.ts"
export { logConfigProblems, serve, type HeldSignals, type ServeOptions } from "./serve.ts"
export type { EarlyIndex, EarlyKey, EarlyListing, EarlyStamp, FileStamp } from "./tool-snapshot.ts"
/** Builds the orchestrator (loaded on demand: keeps it off the cold-start path). */
export async function loadOrchestrator(): Promise<typeof import("./orchestrator.ts")> {
  return import("./orchestrator.ts")
}
/** The `demo` command's MCP client run (loaded on demand). */
export async function loadDemo(): Promise<typeof import("./demo.ts")> {
  return import("./demo.ts")
}

/** Cursor mcp.json setup (loaded on demand). */
export async function loadCursorSetup(): Promise<typeof import("./cursor-setup.ts")> {
  return import("./cursor-setup.ts")
}
/** `doctor` storing the tool lists it got where serve keeps them (loaded on demand). */
export async function loadListedStore(): Promise<typeof import("./listed-store.ts")> {
  return import("./listed-store.ts")
}
export type { Listed } from "./listed-store.ts"
/** The Toolkit gateway's launch settings (doctor starts the gateway as serve does; loaded on demand). */
export async function loadToolkitGateway(): Promise<typeof import("./toolkit-gateway.ts")> {
  return import("./toolkit-gateway.ts")
}
