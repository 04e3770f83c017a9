/**
 * @module app/confirm
 * Consent for mutations the model asks for (enable/disable a server, set config): when the client
 * supports elicitation, the user is asked with the exact action; otherwise the action proceeds
 * (the client's own tool-call approval is then the consent) and the decision is logged.
 */
import type { McpFace } from "../mcp/index.ts"
import { errorMessage, type Logger } from "../core/index.ts"

export function confirmViaElicitation(getServer: () => McpFace["server"] | undefined, log: Logger) {
  return async ({ tool, summary }: { tool: string; summary: string }): Promise<boolean> => {
    const server = getServer()
    if (!server?.supportsFormElicitation()) {
      log.info("mutation allowed without elicitation (client lacks it)", { tool, summary })
      return true
    }
    try {
      const r = await server.elicitInput({ message: `Allow this change? ${summary}`, requestedSchema: { type: "object", properties: {} } })
      log.info("mutation consent", { tool, summary, action: r.action })
      return r.action === "accept"
    } catch (e) {
      log.warn("elicitation failed; change not made", { tool, error: errorMessage(e) })
      return false
    }
  }
}
