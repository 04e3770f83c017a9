/** @module core/version The binary's name and version, from package.json at build time. */
import pkg from "../../package.json" with { type: "json" }

export const NAME = "mcp-orchestrator"
export const VERSION: string = pkg.version
