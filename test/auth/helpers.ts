/**
 * Shared pieces of the auth tests: a sandbox whose config has one remote server behind the real
 * authorization server, the scripted $BROWSER, and running CLI commands of the binary.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

export const BROWSER_SCRIPT = join(import.meta.dir, "fixtures", "browser.ts")

export interface Sandbox {
  env: Record<string, string>
  configPath: string
  browserLog: string
  tokenFile: string
  /** Visited URLs of the scripted browser. */
  visited(): string[]
}

export function sandbox(servers: Record<string, unknown>, extra: Record<string, unknown> = {}): Sandbox {
  const browserLog = join(sandboxEnv().HOME!, "browser.log")
  const env = sandboxEnv({ BROWSER: `${process.execPath} ${BROWSER_SCRIPT}`, BROWSER_LOG: browserLog })
  const configPath = join(env.HOME!, "config.json")
  mkdirSync(env.HOME!, { recursive: true })
  writeFileSync(configPath, JSON.stringify({ toolkit: { enabled: "off" }, log: { level: "debug" }, servers, ...extra }, null, 2))
  return {
    env,
    configPath,
    browserLog,
    tokenFile: join(env.HOME!, ".local", "state", "mcp-orchestrator", "oauth", "remote.json"),
    visited: () => {
      try {
        return readFileSync(browserLog, "utf8").split("\n").filter(Boolean)
      } catch {
        return []
      }
    },
  }
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export async function cli(sb: Sandbox, args: string[]): Promise<CliResult> {
  await ensureBuilt()
  const p = Bun.spawn([BIN, ...args, "--config", sb.configPath], { env: sb.env, cwd: sb.env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, stdout, stderr }
}

export function storedTokens(sb: Sandbox): { access_token: string; refresh_token?: string } {
  return JSON.parse(readFileSync(sb.tokenFile, "utf8")).tokens
}

export function textOf(v: unknown): string {
  return JSON.stringify(v)
}

/** Calls the protected server's `remote__whoami` through `c`: whether it answered, and its text (or the error's). */
export async function whoami(c: Connected, timeout?: number): Promise<{ ok: boolean; text: string }> {
  try {
    const r = await c.client.callTool({ name: "remote__whoami", arguments: {} }, undefined, timeout !== undefined ? { timeout } : undefined)
    return { ok: !r.isError, text: textOf(r) }
  } catch (e) {
    return { ok: false, text: `${(e as Error).message} ${textOf((e as { data?: unknown }).data)}` }
  }
}
