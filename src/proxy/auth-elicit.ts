/**
 * @module proxy/auth-elicit
 * Login through the client: when a tool of a server in state needs-auth is called and the client
 * supports URL-mode elicitation (MCP 2025-11-25), the authorization URL is offered to the user as
 * an elicitation instead of an error. The orchestrator runs the same login as `auth login` (its
 * own loopback listener receives the redirect and stores the tokens), tells the client the
 * elicitation is complete, and the call continues. One login per server at a time; a decline,
 * a dismissed link, an elicitation the client failed, a cancelled call or a timeout leaves the
 * NEEDS_AUTH error (its remedy: `auth login`) as the answer, and the log says which it was.
 */
import { randomUUID } from "node:crypto"
import type { TokenStore } from "../auth/index.ts"
import type { RemoteServerSpec, ServerSpec } from "../config/index.ts"
import { errorMessage, type Logger } from "../core/index.ts"
import type { CallContext } from "./types.ts"

const URL_ELICITATION_SINCE = "2025-11-25"
/** How long the user has to finish signing in. */
const LOGIN_TIMEOUT_MS = 5 * 60_000

export function canElicitUrl(ctx: CallContext): boolean {
  const caps = ctx.client?.capabilities()
  const version = ctx.client?.protocolVersion()
  return caps?.elicitation?.url !== undefined && version !== undefined && version >= URL_ELICITATION_SINCE
}

/** Why a sign-in offered through the client did not go on, by the action it answered. */
function notAccepted(action: unknown): string {
  if (action === "decline") return "the user declined the sign-in"
  if (action === "cancel") return "the user dismissed the sign-in link without deciding"
  return `the client answered the sign-in link with ${action === undefined ? "no action" : `the unknown action ${JSON.stringify(action)}`}`
}

export class ElicitedLogins {
  private readonly running = new Map<string, Promise<boolean>>()

  constructor(
    private readonly log: Logger,
    /** Default: auth's token store (auth is imported at the first login: OAuth stays off the stdio path). */
    private readonly store?: () => TokenStore,
  ) {}

  /** Resolves true once the user signed in (never rejects). */
  run(server: string, spec: ServerSpec, ctx: CallContext): Promise<boolean> {
    if (!("url" in spec)) return Promise.resolve(false)
    let p = this.running.get(server)
    if (!p) {
      p = this.login(server, spec, ctx).finally(() => this.running.delete(server))
      this.running.set(server, p)
    }
    return p
  }

  private async login(server: string, spec: RemoteServerSpec, ctx: CallContext): Promise<boolean> {
    const elicitationId = randomUUID()
    const client = ctx.client
    const ask = ctx.request ?? ((m: string, p: Record<string, unknown> | undefined, o: { signal?: AbortSignal; timeoutMs: number }) => client!.request(m, p, o))
    try {
      const auth = await import("../auth/index.ts")
      await auth.login({
        server,
        url: spec.url,
        settings: auth.authSettings(spec.auth),
        store: (this.store ?? auth.defaultTokenStore)(),
        timeoutMs: LOGIN_TIMEOUT_MS,
        signal: ctx.signal,
        present: async (url) => {
          let r: { action?: unknown } | undefined
          try {
            r = (await ask(
              "elicitation/create",
              { mode: "url", elicitationId, url: url.href, message: `Sign in to ${server} so its tools can be used. mcp-orchestrator keeps the tokens; they are not shared with this conversation.` },
              { signal: ctx.signal, timeoutMs: LOGIN_TIMEOUT_MS },
            )) as { action?: unknown } | undefined
          } catch (e) {
            // the user never saw the link: not a refusal
            throw new Error(`could not offer the sign-in link: ${errorMessage(e)}`)
          }
          if (r?.action !== "accept") throw new Error(notAccepted(r?.action))
        },
      })
      client?.notify("notifications/elicitation/complete", { elicitationId }).catch(() => {})
      this.log.info("signed in through the client", { server })
      return true
    } catch (e) {
      this.log.info("sign-in through the client did not complete", { server, error: errorMessage(e) })
      return false
    }
  }
}
