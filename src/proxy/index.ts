/**
 * @module proxy
 * The tool-call pipeline and the `Upstream` contract consumed by mcp/ and http/.
 */
export * from "./types.ts"
