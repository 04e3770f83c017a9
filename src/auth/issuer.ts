/**
 * @module auth/issuer
 * A stored login is only ever used with the authorization server that issued it.
 *
 * The SDK binds tokens and clients to an issuer by an `issuer` stamp (SEP-2352), but a credential
 * without one (a record stored by an older version of ours) is adopted by whichever authorization
 * server the resource's metadata names now: the old refresh token went to the new (possibly
 * hostile) token endpoint. And while serving, a stored discovery was used even after the server
 * had moved to another authorization server: the refresh went to the old one, the server refused
 * its token, and the error said nothing of why.
 *
 * So the issuer of a record is read from its stamp, else from its stored discovery (else from its
 * client's stamp); when it differs from the issuer the auth flow is about to use, or a record with
 * tokens has none, nothing of the record is sent: the flow stops with a NEEDS_AUTH naming the change.
 *
 * A configured client (`auth.clientId`, its `clientSecret`) is bound the same way: the record keeps
 * the issuer its last login used it with, and it is not presented to another one (`auth login`
 * too): a login after the move registered a client at the new authorization server and then sent
 * the configured secret to its token endpoint with the code.
 */
import type { OAuthDiscoveryState } from "@modelcontextprotocol/client"
import { configFlag, DownstreamError, loginCommand } from "../core/index.ts"
import { needsAuthError } from "./needs-auth.ts"
import type { OAuthRecord } from "./store.ts"

/** The authorization server a discovery names (its metadata's `issuer`, else the URL it was found at). */
export function issuerOfDiscovery(state: OAuthDiscoveryState | undefined): string | undefined {
  const fromMetadata = state?.authorizationServerMetadata?.issuer
  return typeof fromMetadata === "string" && fromMetadata ? fromMetadata : state?.authorizationServerUrl || undefined
}

/** The authorization server that issued the record's login, as far as the record says (undefined: it does not). */
export function issuerOfRecord(rec: OAuthRecord | undefined): string | undefined {
  const stamped = (rec?.tokens as { issuer?: unknown } | undefined)?.issuer
  if (typeof stamped === "string" && stamped) return stamped
  if (rec?.issuer) return rec.issuer
  const discovered = issuerOfDiscovery(rec?.discovery)
  if (discovered) return discovered
  const client = (rec?.client as { issuer?: unknown } | undefined)?.issuer
  return typeof client === "string" && client ? client : undefined
}

/** Same authorization server? (one trailing `/` apart is the same, as the SDK's SEP-2352 comparison) */
export function sameIssuer(a: string, b: string): boolean {
  const trim = (s: string): string => (s.endsWith("/") ? s.slice(0, -1) : s)
  return trim(a) === trim(b)
}

/**
 * undefined when the record's login may be used with `issuer` (no tokens to protect, or the same
 * authorization server); else the NEEDS_AUTH that says why not.
 */
export function issuerMismatch(server: string, rec: OAuthRecord | undefined, issuer: string): DownstreamError | undefined {
  if (!rec?.tokens) return undefined
  const own = issuerOfRecord(rec)
  if (own !== undefined && sameIssuer(own, issuer)) return undefined
  const why =
    own === undefined
      ? `the authorization server of its stored login could not be confirmed (the login was stored without it, by an older version) and the server's metadata names ${issuer} now; the stored tokens were not sent there`
      : `its authorization server changed from ${own} to ${issuer} (the server's metadata names the new one); the stored login was issued by ${own} and its tokens were not sent to ${issuer}`
  return needsAuthError(server, `${why}. Logging in again signs in at ${issuer}`)
}

/**
 * undefined when the configured client (`auth.clientId`) may be presented to `issuer`: it is not the
 * client of the record's last login, or that login used it with the same authorization server. Else
 * the error naming both and what to do: a client registered at one authorization server means
 * nothing to another, and its secret is not sent there.
 */
export function configuredClientMismatch(server: string, rec: OAuthRecord | undefined, clientId: string | undefined, issuer: string): DownstreamError | undefined {
  if (clientId === undefined || rec?.client?.client_id !== clientId) return undefined
  const stamped = (rec.client as { issuer?: unknown }).issuer
  const own = typeof stamped === "string" && stamped ? stamped : issuerOfRecord(rec)
  if (own === undefined || sameIssuer(own, issuer)) return undefined
  return new DownstreamError(
    "NEEDS_AUTH",
    `server ${server} needs authorization: its authorization server changed from ${own} to ${issuer} (the server's metadata names the new one), and the configured client servers.${server}.auth.clientId "${clientId}" was registered at ${own}: neither it nor its secret was sent to ${issuer}`,
    {
      remedy: `Register a client at ${issuer} (check first that it is expected: the server's operator moved its login) and set servers.${server}.auth.clientId (and clientSecret) to it, or remove auth.clientId if ${issuer} registers clients itself; then run \`${loginCommand(server)}\`. If "${clientId}" is valid at ${issuer} too, run \`mcp-orchestrator auth logout ${server}${configFlag()}\` first (it forgets the old binding).`,
      details: { server, login: loginCommand(server), from: own, to: issuer },
    },
  )
}
