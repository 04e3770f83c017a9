/**
 * @module docker/remedy
 * The one piece of the Toolkit driver a serving session needs even with the Toolkit off: what to do
 * about a failing `docker mcp gateway run` (app/toolkit-gateway's remedy). A second entry of this
 * folder (scripts/check-layers PUBLIC_ENTRIES), so importing it does not evaluate the driver, its
 * parsers and `yaml` (21 modules) in every session.
 */
export { gatewayRemedy } from "./classify.ts"
