/**
 * @module auth/store
 * One OAuth record per downstream server: `<state dir>/oauth/<server>.json`, mode 0600 in a 0700
 * directory, written atomically (temp file + rename) so a reader (the running `serve`, while
 * `auth login` writes) never sees half a file. The record is bound to the server's URL and its
 * RFC 8707 resource: a record made for another URL is never used (tokens are not sent elsewhere).
 * Token and secret values are registered with the secrets registry whenever they are read or
 * written, so no exit can print them.
 */
import { createHash } from "node:crypto"
import { chmodSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import type { OAuthClientInformationMixed, OAuthDiscoveryState, OAuthTokens } from "@modelcontextprotocol/client"
import { z } from "zod"
import { CONFIG_SERVER_NAME_RE, readPlainText, secrets, writeFileAtomic } from "../core/index.ts"

export interface OAuthRecord {
  v: 1
  server: string
  /** The MCP endpoint the record was made for. */
  url: string
  /** The RFC 8707 resource indicator the tokens are bound to (from protected-resource metadata). */
  resource?: string
  /** Authorization server (as discovered). */
  issuer?: string
  client?: OAuthClientInformationMixed
  tokens?: OAuthTokens
  /** Access-token expiry, ms since the epoch (from expires_in when the tokens were saved). */
  expiresAt?: number
  /** When the tokens were last saved (ISO). */
  savedAt?: string
  redirectUri?: string
  discovery?: OAuthDiscoveryState
  /**
   * The server refused (401) the access token a refresh had just obtained (auth/provider
   * `refusedFresh`): a fingerprint of that token (never the token) and when. Holds only while the
   * stored access token is that one: new tokens (`auth login`, a refresh elsewhere) end it.
   */
  refusedAfterRefresh?: { token: string; at: string }
}

/** A short fingerprint of a token (SHA-256, 16 hex digits): which token a verdict was about, without the token. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16)
}

/** Does the record's verdict "refused right after its refresh" hold for its stored access token? */
export function refusedAfterRefresh(rec: OAuthRecord | undefined): boolean {
  const access = rec?.tokens?.access_token
  return typeof access === "string" && rec?.refusedAfterRefresh?.token === tokenFingerprint(access)
}

/** The most a login record is read: a few KiB (tokens, retired ones, the client); a larger file is damaged, not read whole. */
export const MAX_RECORD_BYTES = 1 << 20

const RecordSchema = z.looseObject({ v: z.literal(1), server: z.string(), url: z.string() })

/** Same endpoint? (URL normalised: case of scheme/host, default port, trailing slash kept as given.) */
export function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href
  } catch {
    return a === b
  }
}

export class TokenStore {
  readonly dir: string

  constructor(stateDir: string) {
    this.dir = join(stateDir, "oauth")
  }

  pathOf(server: string): string {
    // config server names are already restricted; checked again because this becomes a file name
    if (!CONFIG_SERVER_NAME_RE.test(server)) throw new Error(`invalid server name for the token store: ${JSON.stringify(server)}`)
    return join(this.dir, `${server}.json`)
  }

  /** The lock file a refresh of `server`'s tokens (and `auth logout`) is made under (auth/refresh-lock). */
  lockPathOf(server: string): string {
    return join(this.dir, `${server}.refresh.lock`)
  }

  /** The record of `server`, or undefined (none, unreadable, or made for another URL when `url` is given). */
  read(server: string, url?: string): OAuthRecord | undefined {
    let text: string
    try {
      text = readPlainText(this.pathOf(server), MAX_RECORD_BYTES)
    } catch {
      return undefined
    }
    let rec: OAuthRecord
    try {
      const parsed = RecordSchema.safeParse(JSON.parse(text))
      if (!parsed.success || parsed.data.server !== server) return undefined
      rec = parsed.data as unknown as OAuthRecord
    } catch {
      return undefined
    }
    registerRecord(rec)
    this.tighten(server)
    if (url !== undefined && !sameUrl(rec.url, url)) return undefined
    return rec
  }

  /** A record file other local users could read or write (copied, restored from a backup) is set back to 0600. */
  private tighten(server: string): void {
    if (process.platform === "win32") return
    const path = this.pathOf(server)
    try {
      const st = statSync(path)
      if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(path, 0o600)
    } catch {
      // gone meanwhile, or not ours: read as it is
    }
  }

  /**
   * Why the record file of `server` is there but cannot be used, naming the file (never its
   * content: a damaged file's text may be a token); undefined when it is absent or usable. A file
   * that is unreadable (another owner: a login run with sudo; mode 000), damaged (cut short, edited)
   * or not a record of this server read as "not logged in" with nothing said, `auth logout` said
   * "nothing to do" and left it there.
   */
  problemOf(server: string): string | undefined {
    const path = this.pathOf(server)
    let text: string
    try {
      if (!statSync(path).isFile()) return `the token file ${path} is not a file`
      text = readPlainText(path, MAX_RECORD_BYTES)
    } catch (e) {
      const code = (e as { code?: unknown }).code
      if (code === "ENOENT") return undefined
      if (code === "EFBIG") return `the token file ${path} is damaged (larger than ${MAX_RECORD_BYTES} bytes, the most a login record is read)`
      return `the token file ${path} cannot be read (${typeof code === "string" ? code : "error"}: check its owner and mode, 0600 for you)`
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return `the token file ${path} is damaged (not valid JSON)`
    }
    // a later version's record (its format changed): not damaged, only not readable by this version
    const v = (parsed as { v?: unknown } | null)?.v
    if (typeof v === "number" && Number.isInteger(v) && v > 1 && (parsed as { server?: unknown }).server === server) {
      return `the token file ${path} was written by a newer version of mcp-orchestrator (login record version ${v}), which this version cannot read: update mcp-orchestrator (or use the version that logged in)`
    }
    const rec = RecordSchema.safeParse(parsed)
    if (!rec.success) return `the token file ${path} is damaged (not a login record of this program)`
    if (rec.data.server !== server) return `the token file ${path} holds the login of another server (copied from another file?)`
    return undefined
  }

  /** Modification time of the record file (0 when absent): lets a long-running reader re-read only on change. */
  mtimeOf(server: string): number {
    try {
      return statSync(this.pathOf(server)).mtimeMs
    } catch {
      return 0
    }
  }

  write(rec: OAuthRecord): void {
    registerRecord(rec)
    const path = this.pathOf(rec.server)
    writeFileAtomic(path, JSON.stringify(rec, null, 2) + "\n")
  }

  /** Read-modify-write of one record (created for `url` when absent or made for another URL). */
  update(server: string, url: string, change: (rec: OAuthRecord) => void): OAuthRecord {
    const rec = this.read(server, url) ?? { v: 1, server, url }
    change(rec)
    this.write(rec)
    return rec
  }

  /** Is what stands at the server's token path a file (absent: false)? */
  isFile(server: string): boolean {
    try {
      return statSync(this.pathOf(server)).isFile()
    } catch {
      return false
    }
  }

  delete(server: string): boolean {
    const path = this.pathOf(server)
    try {
      statSync(path)
    } catch {
      return false
    }
    rmSync(path, { force: true })
    secrets.delete(`oauth:${server}`)
    return true
  }
}

/**
 * Retired values of a server's record kept in its redaction group: a refresh replaces up to three
 * (access, refresh and id token), so the last two refreshes' tokens stay masked — one sent just
 * before a refresh may still be quoted back by the server or its error — and no older ones.
 */
export const RETIRED_TOKENS_KEPT = 6

/**
 * Tokens, client secret and a dynamic registration's `registration_access_token` (RFC 7592: it
 * manages the client) of a record are the redaction group `oauth:<server>`, with the values the
 * last refreshes retired (`RETIRED_TOKENS_KEPT`): every token a long run refreshed stayed in it.
 */
export function registerRecord(rec: OAuthRecord): void {
  const manage = (rec.client as Record<string, unknown> | undefined)?.registration_access_token
  const values = [rec.tokens?.access_token, rec.tokens?.refresh_token, rec.tokens?.id_token, rec.client?.client_secret, typeof manage === "string" ? manage : undefined]
  secrets.rotate(`oauth:${rec.server}`, values, RETIRED_TOKENS_KEPT)
}
