/**
 * @module auth/opener
 * Shows the authorization URL to the user: `$BROWSER` when set (the usual convention: a
 * colon-separated list of commands, `%s` replaced by the URL, else the URL appended), else the
 * platform opener (open / xdg-open / rundll32), else nothing (the caller prints the URL). Always
 * an argv array, never a shell.
 */
import { spawn } from "node:child_process"

export type Opened = { via: string } | { via: undefined }

export function browserCommands(url: string, env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string[][] {
  const out: string[][] = []
  const browser = env.BROWSER?.trim()
  if (browser) {
    for (const entry of browser.split(":")) {
      const parts = entry.trim().split(/\s+/).filter(Boolean)
      if (!parts.length) continue
      out.push(parts.some((p) => p.includes("%s")) ? parts.map((p) => p.replaceAll("%s", url)) : [...parts, url])
    }
    return out
  }
  if (platform === "darwin") out.push(["open", url])
  else if (platform === "win32") out.push(["rundll32", "url.dll,FileProtocolHandler", url])
  else out.push(["xdg-open", url])
  return out
}

/** Starts the first command that can be spawned (not waited for: a browser keeps running). */
export async function openUrl(url: string, env: Record<string, string | undefined> = process.env): Promise<Opened> {
  for (const argv of browserCommands(url, env)) {
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: "ignore", detached: false, env: env as NodeJS.ProcessEnv })
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
