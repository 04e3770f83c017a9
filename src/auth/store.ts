/**
 * @module auth/store
 * One OAuth record per downstream server: `<state dir>/oauth/<server>.json`, mode 0600 in a 0700
 * directory, written atomically (temp file + rename) so a reader (the running `serve`, while
 * `auth login` writes) never sees half a file. The record is bound to the server's URL and its
 * RFC 8707 resource: a record made for another URL is never used (tokens are not sent elsewhere).
 * Token and secret values are registered with the secrets registry whenever they are read or
 * written, so no exit can print them.
 */
import { readFileSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import type { OAuthClientInformationMixed, OAuthDiscoveryState, OAuthTokens } from "@modelcontextprotocol/client"
import { z } from "zod"
import { CONFIG_SERVER_NAME_RE, registerSecret, secrets, writeFileAtomic } from "../core/index.ts"

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
}

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

  /** The record of `server`, or undefined (none, unreadable, or made for another URL when `url` is given). */
  read(server: string, url?: string): OAuthRecord | undefined {
    let text: string
    try {
      text = readFileSync(this.pathOf(server), "utf8")
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
    if (url !== undefined && !sameUrl(rec.url, url)) return undefined
    return rec
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
 * Tokens, client secret and a dynamic registration's `registration_access_token` (RFC 7592: it
 * manages the client) of a record join the redaction set (group `oauth:<server>`).
 */
export function registerRecord(rec: OAuthRecord): void {
  const group = `oauth:${rec.server}`
  registerSecret(rec.tokens?.access_token, group)
  registerSecret(rec.tokens?.refresh_token, group)
  registerSecret(rec.tokens?.id_token, group)
  registerSecret(rec.client?.client_secret, group)
  const manage = (rec.client as Record<string, unknown> | undefined)?.registration_access_token
  if (typeof manage === "string") registerSecret(manage, group)
}
