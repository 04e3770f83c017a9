/**
 * Regression (QA 246): every plugin file found was evaluated in a sandbox of its own (~10 ms each
 * on a busy 2-core machine), though the sandboxes of only about 64 fit in a lane's memory:
 * `plugins.dirs` pointed at a directory of 10 000 `.js` files (a library, a build output) took
 * ~2 minutes to load (`plugins list`: 123 s; `serve` refused every tool call meanwhile, "has not
 * loaded yet") and logged an error line per file. At most 256 plugin files (composition order) are
 * loaded now; the files past them are refused unread, summed up in one warning; a policy among the
 * first ones applies, and the refused files (never loaded) are no policy: calls pass.
 * `doctor` says it once too. Real PluginHost and the compiled binary, real files (library-like
 * modules with no default export, and one policy).
 */
import { afterAll, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PluginHost } from "../../src/plugin/index.ts"
import { BIN, ensureBuilt } from "../helpers/binary.ts"
import { captureLog } from "../proxy/helpers.ts"

const dir = mkdtempSync(join(tmpdir(), "mcpo-file-cap-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test("past 256 plugin files, the rest are refused unread with one warning; a policy among the first applies, calls pass", async () => {
  // "a-policy.js" sorts first; 400 library files after it (no default export: each a load error)
  writeFileSync(join(dir, "a-policy.js"), `export default { name: "policy", route(call) { if (call.tool === "rm") return { deny: "no rm" } } }\n`)
  for (let i = 0; i < 400; i++) writeFileSync(join(dir, `lib${String(i).padStart(3, "0")}.js`), `export function f${i}(a) { return a + ${i} }\n`)
  const { log, records } = captureLog()
  await using host = await PluginHost.create({ dirs: [dir], log })
  const list = host.list()
  expect(list.length).toBe(401)
  const refused = list.filter((p) => p.lastError?.includes("at most 256 are loaded"))
  expect(refused.length).toBe(401 - 256)
  expect(refused[0]!.lastError).toContain("refused: not loaded, the plugin directories hold 401 plugin files and at most 256 are loaded (in composition order); point plugins.dirs at the directory of your plugins")
  // the first 256 were read (the library files fail for their missing default export)
  expect(list.filter((p) => p.lastError?.includes("no default export")).length).toBe(255)
  // one warning for the refused files, no error line each
  const warned = records.filter((r) => r.msg === "too many plugin files: the files past the first ones are not loaded")
  expect(warned.length).toBe(1)
  expect(warned[0]).toMatchObject({ files: 401, loaded: 256, notLoaded: 145 })
  const perFile = records.filter((r) => r.msg === "plugin failed to load" && String((r as { error?: unknown }).error).includes("at most 256"))
  expect(perFile).toEqual([])
  // the policy applies; the refused files are no policy
  expect(await host.route({ server: "fs", tool: "rm", args: {} })).toMatchObject({ deny: expect.stringContaining("no rm") })
  expect(await host.route({ server: "fs", tool: "cat", args: {} })).toEqual(expect.not.objectContaining({ deny: expect.anything() }))
  // a reload with nothing changed says nothing again
  await host.reload()
  expect(records.filter((r) => r.msg === "too many plugin files: the files past the first ones are not loaded").length).toBe(1)
}, 180_000)

test("doctor sums up the files past the cap in one warning, not a warning each", async () => {
  await ensureBuilt()
  const home = mkdtempSync(join(tmpdir(), "mcpo-file-cap-doctor-"))
  const plugins = join(home, "lib")
  mkdirSync(plugins)
  for (let i = 0; i < 300; i++) writeFileSync(join(plugins, `lib${String(i).padStart(3, "0")}.js`), `export function f${i}(a) { return a + ${i} }\n`)
  const cfg = join(home, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nplugins:\n  dirs: [${JSON.stringify(plugins)}]\n`)
  const p = Bun.spawn([BIN, "doctor", "--config", cfg], { cwd: home, env: { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: join(home, "config"), XDG_CACHE_HOME: join(home, "cache") }, stdout: "pipe", stderr: "pipe" })
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  const text = out + err
  expect(text).toContain(`plugins: 44 of 300 plugin files are not loaded: at most 256 are (the first not loaded: ${join(plugins, "lib256.js")})`)
  expect(text.split("\n").filter((l) => l.includes("does not load")).length).toBe(256)
  rmSync(home, { recursive: true, force: true })
}, 180_000)
