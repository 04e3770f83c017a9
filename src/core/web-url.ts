/**
 * @module core/web-url
 * The rule for a URL that came from a remote party (OAuth metadata, a redirect, a downstream's
 * URL-mode elicitation) before it is fetched, followed, shown as a link or opened: `https:`, or
 * `http:` only to a loopback host (127.0.0.0/8, ::1, localhost). Anything else — `file:`, `smb:`,
 * an app's own scheme (`vscode:`), `javascript:`, plain http to another machine — is refused: an
 * opener hands such URLs to whatever handler the system has for them (the CVE-2025-6514 pattern),
 * and plain http would carry codes and tokens in clear.
 */
import { cutText } from "./cut-text.ts"

/** One line for messages: what a secure web URL is. */
export const SECURE_WEB_URL_RULE = "https (or http to a loopback host: 127.0.0.0/8, ::1, localhost)"

/** 127.0.0.0/8, ::1 or localhost (a WHATWG URL hostname: IPv4 already normalised, IPv6 in brackets). */
export function isLoopbackHostname(hostname: string): boolean {
  // the fully qualified spelling too (`localhost.`: a browser keeps the dot in Host and Origin)
  const h = hostname.toLowerCase()
  return h === "localhost" || h === "localhost." || h === "[::1]" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/** The parsed URL when `u` is https, or http to a loopback host; else undefined. */
export function secureWebUrl(u: unknown): URL | undefined {
  if (typeof u !== "string" && !(u instanceof URL)) return undefined
  let p: URL
  try {
    p = new URL(String(u))
  } catch {
    return undefined
  }
  if (p.protocol === "https:" && p.hostname !== "") return p
  if (p.protocol === "http:" && isLoopbackHostname(p.hostname)) return p
  return undefined
}

export function isSecureWebUrl(u: unknown): boolean {
  return secureWebUrl(u) !== undefined
}

/**
 * A remote-supplied value for a message: quoted, control characters escaped, at most 200 characters
 * (never cut inside a configured secret: a server's metadata may quote one, core/cut-text).
 */
export function shownUrl(u: unknown): string {
  const s = String(u)
  return JSON.stringify(s.length > 200 ? `${cutText(s, 200)}…` : s)
}
