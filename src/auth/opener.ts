/**
 * @module auth/opener
 * Shows the authorization URL to the user: `$BROWSER` when set (the usual convention: a
 * colon-separated list of commands — semicolon-separated on Windows, where paths hold colons — `%s`
 * replaced by the URL, else the URL appended), else the platform opener (open / xdg-open /
 * rundll32), else nothing (the caller prints the URL).
 *
 * Defence in depth (the login checks the URL first, auth/url-guard): only an https URL, or http to a
 * loopback host, is ever opened — an opener hands `file:`, `smb:` or an app's scheme to whatever
 * handler the system has (CVE-2025-6514). The URL passed is its WHATWG serialisation (no spaces,
 * quotes or control characters) as ONE argv element, never through a shell. On Windows a `$BROWSER`
 * entry that cmd.exe would run (`cmd`, `start`, a .bat/.cmd script) is skipped: cmd.exe re-parses
 * its arguments, and the `&` of every authorization URL would end its command; rundll32
 * (url.dll,FileProtocolHandler) is started directly and only ever receives that https/http URL.
 */
import { spawn } from "node:child_process"
import { DownstreamError, SECURE_WEB_URL_RULE, secureWebUrl, shownUrl } from "../core/index.ts"

export type Opened = { via: string } | { via: undefined }

/** A `$BROWSER` program that Windows runs through cmd.exe. */
function viaCmd(program: string): boolean {
  const base = program.replace(/^.*[\\/]/, "").toLowerCase()
  return base === "cmd" || base === "cmd.exe" || base === "start" || base.endsWith(".bat") || base.endsWith(".cmd")
}

export function browserCommands(url: string, env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string[][] {
  const out: string[][] = []
  const browser = env.BROWSER?.trim()
  if (browser) {
    for (const entry of browser.split(platform === "win32" ? ";" : ":")) {
      const parts = entry.trim().split(/\s+/).filter(Boolean)
      if (!parts.length) continue
      if (platform === "win32" && viaCmd(parts[0]!)) continue
      out.push(parts.some((p) => p.includes("%s")) ? parts.map((p) => p.replaceAll("%s", url)) : [...parts, url])
    }
    return out
  }
  if (platform === "darwin") out.push(["open", url])
  else if (platform === "win32") out.push(["rundll32", "url.dll,FileProtocolHandler", url])
  else out.push(["xdg-open", url])
  return out
}

/**
 * Starts the first command that can be spawned (not waited for: a browser keeps running). Throws
 * OAUTH_INSECURE_URL, spawning nothing, for a URL that is not https (or http to a loopback host).
 */
export async function openUrl(url: string, env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): Promise<Opened> {
  const safe = secureWebUrl(url)
  if (!safe) {
    throw new DownstreamError("OAUTH_INSECURE_URL", `refusing to open ${shownUrl(url)}: it is not ${SECURE_WEB_URL_RULE}`, {
      remedy: "The sign-in URL came from the remote server's OAuth metadata; do not log in to a server that names such a URL.",
    })
  }
  for (const argv of browserCommands(safe.href, env, platform)) {
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: "ignore", detached: false, shell: false, env: env as NodeJS.ProcessEnv })
      child.once("error", () => resolve(false))
      child.once("spawn", () => {
        child.unref()
        resolve(true)
      })
    })
    if (ok) return { via: argv[0]! }
  }
  return { via: undefined }
}
