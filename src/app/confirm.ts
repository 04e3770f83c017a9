/**
 * @module app/confirm
 * Consent for mutations the model asks for (enable/disable a server, set config): when the client
 * supports elicitation, the user is asked with the exact action; otherwise the action proceeds
 * (the client's own tool-call approval is then the consent) and the decision is logged.
 * The three ways of not getting a yes stay apart (manage/toolkit `notConfirmed` words them for the
 * model): the user declined, the user dismissed the question (cancel), or the question could not be
 * asked at all (the client's elicitation failed: its handler threw, it does not implement it, the
 * request timed out). None of them changes anything.
 */
import type { Consent } from "../manage/index.ts"
import type { McpFace } from "../mcp/index.ts"
import { errorMessage, type Logger } from "../core/index.ts"

export function confirmViaElicitation(getServer: () => McpFace["server"] | undefined, log: Logger) {
  return async ({ tool, summary }: { tool: string; summary: string }): Promise<Consent> => {
    const server = getServer()
    if (!server?.supportsFormElicitation()) {
      log.info("mutation allowed without elicitation (client lacks it)", { tool, summary })
      return "accept"
    }
    let action: unknown
    try {
      action = (await server.elicitInput({ message: `Allow this change? ${summary}`, requestedSchema: { type: "object", properties: {} } })).action
    } catch (e) {
      const error = errorMessage(e)
      log.warn("could not ask the user to confirm; change not made", { tool, summary, error })
      return { failed: error }
    }
    if (action === "accept" || action === "decline" || action === "cancel") {
      log.info("mutation consent", { tool, summary, action })
      return action
    }
    log.warn("the client answered the confirmation with an unknown action; change not made", { tool, summary, action })
    return { failed: `the client answered with the unknown action ${JSON.stringify(action)}` }
  }
}
