/**
 * A token file that is there but cannot be used — damaged (cut short, edited: its text may hold a
 * token), not a file — is named with what is wrong: in the NEEDS_AUTH error of a call, in
 * `auth status`, and `auth logout` deletes it. It read as "not logged in (no tokens stored)" with
 * nothing said, and logout answered "nothing to do", leaving it there. Never the file's text. A
 * token file other users could read is set back to 0600. Through the compiled binary, against the
 * real authorization server, with a real npm MCP server alongside (not affected).
 */
import { expect, test } from "bun:test"
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import type { OAuthWorld } from "./fixtures/oauth-world.ts"
import { call, cli, logIn, sandbox, started, storedTokens } from "./helpers.ts"

const MEMORY = resolve(import.meta.dir, "../../node_modules/@modelcontextprotocol/server-memory/dist/index.js")
const { world, serve } = started()
let w: OAuthWorld | undefined

test("a damaged token file: the call, auth status and logout name the file and never its text; the other server works; a login replaces it", async () => {
  w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl }, mem: { command: process.execPath, args: [MEMORY] } })
  await logIn(sb)
  const t = storedTokens(sb)
  // cut short in the middle of the refresh token
  const text = readFileSync(sb.tokenFile, "utf8")
  writeFileSync(sb.tokenFile, text.slice(0, text.indexOf(t.refresh_token!) + 8), { mode: 0o600 })

  const c = await serve(sb)
  const r = await call(c, "remote__whoami")
  expect(r.ok).toBe(false)
  expect(r.text).toContain("NEEDS_AUTH")
  expect(r.text).toContain(`the token file ${sb.tokenFile} is damaged`)
  expect(r.text).toContain("mcp-orchestrator auth login remote")
  expect((await call(c, "mem__read_graph")).ok).toBe(true)

  const status = await cli(sb, ["auth", "status"])
  expect(status.stdout).toContain(`remote: not logged in (the token file ${sb.tokenFile} is damaged (not valid JSON))`)
  const logout = await cli(sb, ["auth", "logout", "remote"])
  expect(logout.code).toBe(0)
  expect(logout.stdout).toContain(`the token file ${sb.tokenFile} is damaged (not valid JSON); deleted`)
  expect(() => statSync(sb.tokenFile)).toThrow()
  for (const out of [r.text, c.stderr(), status.stdout, status.stderr, logout.stdout, logout.stderr]) {
    expect(out).not.toContain(t.access_token)
    expect(out).not.toContain(t.refresh_token!.slice(0, 8))
  }

  // a login replaces it, picked up by the running orchestrator
  await logIn(sb)
  expect((await call(c, "remote__whoami")).text).toContain("hello from the protected server")
}, 90_000)

test("a token file that is not a file is named in auth status; one other users can read is set back to 0600", async () => {
  w ??= await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  mkdirSync(sb.tokenFile, { recursive: true })
  expect((await cli(sb, ["auth", "status"])).stdout).toContain(`remote: not logged in (the token file ${sb.tokenFile} is not a file)`)
  // logout names it and leaves it (with what it holds) for the user to remove; before, rmSync threw
  writeFileSync(join(sb.tokenFile, "kept.txt"), "mine")
  const logout = await cli(sb, ["auth", "logout", "remote"])
  expect(logout.code).toBe(0)
  expect(logout.stdout).toContain(`remote: the token file ${sb.tokenFile} is not a file; not deleted: remove it by hand`)
  expect(readFileSync(join(sb.tokenFile, "kept.txt"), "utf8")).toBe("mine")
  rmSync(sb.tokenFile, { recursive: true })

  await logIn(sb)
  chmodSync(sb.tokenFile, 0o644)
  const status = await cli(sb, ["auth", "status"])
  expect(status.stdout).toContain("remote: logged in")
  expect(statSync(sb.tokenFile).mode & 0o777).toBe(0o600)
}, 90_000)

test("a token file a newer version wrote (record version 2) is named as such, not as damaged; unknown fields of version 1 are kept and used", async () => {
  w ??= await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const t = storedTokens(sb)
  const rec = JSON.parse(readFileSync(sb.tokenFile, "utf8"))
  // a field this version does not know: the login works, and a refresh keeps the field
  writeFileSync(sb.tokenFile, JSON.stringify({ ...rec, later: { kept: true } }), { mode: 0o600 })
  const c = await serve(sb)
  expect((await call(c, "remote__whoami")).text).toContain("hello from the protected server")
  expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
  expect((await call(c, "remote__whoami")).text).toContain("hello from the protected server")
  expect(JSON.parse(readFileSync(sb.tokenFile, "utf8")).later).toEqual({ kept: true })

  writeFileSync(sb.tokenFile, JSON.stringify({ ...JSON.parse(readFileSync(sb.tokenFile, "utf8")), v: 2 }), { mode: 0o600 })
  const newer = `the token file ${sb.tokenFile} was written by a newer version of mcp-orchestrator (login record version 2)`
  const r = await call(c, "remote__whoami")
  expect(r.ok).toBe(false)
  expect(r.text).toContain("NEEDS_AUTH")
  expect(r.text).toContain(newer)
  expect(r.text).not.toContain("damaged")
  const status = await cli(sb, ["auth", "status"])
  expect(status.stdout).toContain(newer)
  for (const out of [r.text, c.stderr(), status.stdout, status.stderr]) {
    expect(out).not.toContain(t.access_token)
    expect(out).not.toContain(t.refresh_token!)
  }
}, 90_000)
