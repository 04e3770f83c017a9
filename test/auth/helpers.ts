/**
 * Shared pieces of the auth tests: a sandbox whose config has one remote server behind the real
 * authorization server, the scripted $BROWSER, running CLI commands of the binary, the worlds and
 * serving binaries a test file starts (stopped after its tests), and calls through a client.
 */
import { afterAll, beforeAll, expect } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { startWorld, type OAuthWorld } from "./fixtures/oauth-world.ts"

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
  const env = sandboxEnv({ BROWSER: `${process.execPath} ${BROWSER_SCRIPT}` })
  // in the sandbox's own home (it was a second temporary directory of its own)
  const browserLog = (env.BROWSER_LOG = join(env.HOME!, "browser.log"))
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

/** `auth login remote` through the scripted browser, expected to succeed (the token file then holds a login). */
export async function logIn(sb: Sandbox): Promise<void> {
  expect((await cli(sb, ["auth", "login", "remote", "--timeout", "60s"])).code).toBe(0)
}

export function storedTokens(sb: Sandbox): { access_token: string; refresh_token?: string } {
  return JSON.parse(readFileSync(sb.tokenFile, "utf8")).tokens
}

export function textOf(v: unknown): string {
  return JSON.stringify(v)
}

/** Calls the tool `name` through `c`: whether it answered, and its text (or the error's). */
export async function call(c: Connected, name: string, timeout?: number): Promise<{ ok: boolean; text: string }> {
  try {
    const r = await c.client.callTool({ name, arguments: {} }, undefined, timeout !== undefined ? { timeout } : undefined)
    return { ok: !r.isError, text: textOf(r) }
  } catch (e) {
    return { ok: false, text: `${(e as Error).message} ${textOf((e as { data?: unknown }).data)}` }
  }
}

/** Calls the protected server's `remote__whoami` through `c` (see `call`). */
export function whoami(c: Connected, timeout?: number): Promise<{ ok: boolean; text: string }> {
  return call(c, "remote__whoami", timeout)
}

/**
 * `whoami` until the protected server answers: after a refresh that could not reach the
 * authorization server, the login's token endpoint is not asked again for a few seconds
 * (auth/refresh-hold `UNREACHABLE_HOLD_MS`), calls meanwhile failing at once saying so.
 */
export async function whoamiOnceBack(c: Connected, tries = 60): Promise<{ ok: boolean; text: string }> {
  let r = await whoami(c, 120_000)
  for (let i = 1; i < tries && !r.text.includes("hello from the protected server") && r.text.includes("not asked again before"); i++) {
    await Bun.sleep(500)
    r = await whoami(c, 120_000)
  }
  return r
}

/** The state `orchestrator_status` gives the server `remote`. */
export async function remoteState(c: Connected): Promise<string | undefined> {
  const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
  return (r.structuredContent as { servers: Array<{ name: string; state: string }> }).servers.find((s) => s.name === "remote")?.state
}

export interface Started {
  /** A real authorization server with its protected MCP server (oidc-provider), stopped after the file's tests. */
  world(opts?: Parameters<typeof startWorld>[0]): Promise<OAuthWorld>
  /** The binary serving `sb`'s config (`serve --config …` plus `args`) to an SDK client, closed after the file's tests. */
  serve(sb: Sandbox, opts?: { capabilities?: ClientCapabilities; args?: string[] }): Promise<Connected>
  /** Has a world started elsewhere stopped with the others. */
  own(w: OAuthWorld): OAuthWorld
}

/**
 * What one auth test file starts and must stop: registers its beforeAll (the binary built) and
 * afterAll (every client closed, then every world stopped, also after a failed test).
 */
export function started(): Started {
  const worlds: OAuthWorld[] = []
  const clients: Connected[] = []
  beforeAll(ensureBuilt, 120_000)
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {})
    for (const w of worlds) await w.stop()
  })
  const own = (w: OAuthWorld) => {
    worlds.push(w)
    return w
  }
  return {
    own,
    world: async (opts) => own(await startWorld(opts)),
    serve: async (sb, opts = {}) => {
      const c = await connectBinary(["serve", "--config", sb.configPath, ...(opts.args ?? [])], sb.env, opts.capabilities)
      clients.push(c)
      return c
    },
  }
}

/**
 * Logs in, calls, has the protected server refuse the access token (one refresh on its 401), calls
 * twice again: the grants are one code exchange and one refresh. The round most provider-layout
 * tests make (test/auth/provider-discovery, test/auth/issuer-slash).
 */
export async function refreshRoundTrip(s: Started, opts: Parameters<typeof startWorld>[0]): Promise<{ w: OAuthWorld; sb: Sandbox; stderr: string }> {
  const w = await s.world(opts)
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const c = await s.serve(sb)
  expect((await whoami(c)).text).toContain("hello from the protected server")
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  expect((await whoami(c)).text).toContain("hello from the protected server")
  expect((await whoami(c)).text).toContain("hello from the protected server")
  expect(w.tokenRequests.map((r) => r.grant)).toEqual(["authorization_code", "refresh_token"])
  return { w, sb, stderr: c.stderr() }
}
