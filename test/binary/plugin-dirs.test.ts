/**
 * Through the compiled binary (QA 6b #10, #11): a deny policy in a plugin directory that is renamed
 * away and created again keeps refusing meanwhile and loads again from the new directory (before,
 * the watch died with the old directory and every call passed until a restart, SIGHUP included);
 * SIGHUP re-scans the plugin directories (an edit no watch sees: a file reached through a symlink
 * into a subdirectory); a policy file replaced by a symlink out of its directory fails closed.
 * Real pieces: the fault-server process, plugin files, a config file.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")
const policy = (msg: string): string => `export default { name: "deny", route(c) { if (String(c.args.m ?? "").startsWith("secret")) return { deny: ${JSON.stringify(msg)} } } }`

const env = sandboxEnv()
const dir = join(env.HOME!, "policy", "plugins")
const cfg = join(env.HOME!, "config.json")
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "deny.js"), policy("v1"))
  writeFileSync(cfg, JSON.stringify({ servers: { h: { command: process.execPath, args: [FAULT] } }, toolkit: { enabled: "off" }, cache: { enabled: false }, plugins: { dirs: [dir] } }))
  c = await connectBinary(["serve", "--config", cfg], env)
  await listUntil(c.client, "h__echo")
}, 60_000)

afterAll(async () => {
  await c?.close()
})

/** The text of a call of h__echo with `m` (an error's text starts with "error: "). */
async function echo(m: string): Promise<string> {
  const r = await c.client.callTool({ name: "h__echo", arguments: { m } })
  return `${r.isError ? "error: " : ""}${text(r)}`
}

test("plugin directory renamed away and created again: refused meanwhile (warned), the new policy loads; SIGHUP re-scans; a symlink out fails closed", async () => {
  expect(await echo("secret-op")).toContain("v1 [plugin deny]")
  expect(await echo("open")).not.toStartWith("error: ")

  renameSync(dir, `${dir}-old`)
  await waitFor("the warning that the plugin directory is gone", () => c.stderr().includes("plugin directory is gone"))
  expect(await echo("secret-op")).toContain("v1 [plugin deny]")

  mkdirSync(dir)
  mkdirSync(join(dir, "rules"))
  writeFileSync(join(dir, "rules", "deny.mjs"), policy("v2"))
  symlinkSync(join(dir, "rules", "deny.mjs"), join(dir, "deny.js"))
  await waitFor("the re-created policy", async () => (await echo("secret-op")).includes("v2 [plugin deny]"))

  // an edit in the subdirectory: no plugin-directory watch sees it; SIGHUP re-scans
  writeFileSync(join(dir, "rules", "deny.mjs"), policy("v3"))
  process.kill(c.pid!, "SIGHUP")
  await waitFor("SIGHUP to re-scan the plugin directory", async () => (await echo("secret-op")).includes("v3 [plugin deny]"))

  // replaced by a symlink out of the directory: a load failure, every call refused naming why
  rmSync(join(dir, "deny.js"))
  writeFileSync(join(env.HOME!, "outside.js"), policy("outside"))
  symlinkSync(join(env.HOME!, "outside.js"), join(dir, "deny.js"))
  await waitFor("the refused file to fail closed", async () => (await echo("open")).includes("symlink points outside the plugin directory"))
  expect(await echo("secret-op")).toContain("cannot run (its file does not load")
}, 60_000)
