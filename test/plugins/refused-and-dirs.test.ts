/**
 * @module test/plugins/refused-and-dirs
 * Regressions (QA 6b #10, #11): route rules that fail OPEN when the plugin files or directories
 * move under the host.
 * - A policy file that is still there but refused (a symlink out of its directory or leading
 *   nowhere, a file over 1 MiB, a FIFO, a directory, a file that is not UTF-8) was dropped as if
 *   removed: every call passed. (A file saved as Latin-1 loaded with its bad bytes as U+FFFD, so
 *   its rules compared with other text than the author wrote; now it is refused, naming the byte.)
 *   It is now a load failure like a syntax error: calls are refused naming the file and why, until
 *   the file loads again or is really removed.
 * - A plugin directory removed or renamed and created again was never watched again (the watch was
 *   on the old inode): the re-created policy never loaded. The watch now follows the path; while
 *   the directory is gone its plugins keep their last state (the rules keep applying), with a
 *   warning; a directory that comes back is scanned again.
 * Real plugin files, real filesystem operations, real watchers; the in-process PluginHost.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createLogHub, createLogger, silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { waitFor } from "../helpers/wait.ts"

let root: string
let dir: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mcpo-pldir-"))
  dir = join(root, "plugins")
  mkdirSync(dir)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const policy = (msg: string, name = "policy"): string => `export default { name: ${JSON.stringify(name)}, route(c) { if (c.tool === "secret") return { deny: ${JSON.stringify(msg)} } } }`
const call = (tool: string) => ({ server: "s", tool, args: {} })
const denial = async (host: PluginHost, tool: string): Promise<string | undefined> => {
  const d = await host.route(call(tool))
  return d && "deny" in d ? d.deny : undefined
}
/** For polling while a reload may land: a call that a hot reload fails in flight (QA 6b #5) counts as "not yet". */
const denialNow = (host: PluginHost, tool: string): Promise<string | undefined> => denial(host, tool).catch((e: unknown) => `in flight: ${(e as Error).message}`)

test("a policy file that is there but refused (symlink out, dangling symlink, > 1 MiB, FIFO, directory, not UTF-8) fails closed, naming why; only removing it unloads", async () => {
  const file = join(dir, "policy.js")
  writeFileSync(file, policy("no secrets"))
  writeFileSync(join(root, "outside.js"), policy("outside rules"))
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  expect(await denial(host, "secret")).toBe("no secrets [plugin policy]")
  expect(await denial(host, "open")).toBeUndefined()

  const swaps: Array<[string, () => void, RegExp]> = [
    ["symlink outside", () => symlinkSync(join(root, "outside.js"), file), /symlink points outside the plugin directory/],
    ["dangling symlink", () => symlinkSync(join(dir, "nowhere.js"), file), /symlink leads nowhere/],
    ["1.5 MiB file", () => writeFileSync(file, policy("big") + "\n//" + "x".repeat(1536 * 1024)), /file is \d+ bytes \(limit 1048576\)/],
    ["FIFO", () => expect(Bun.spawnSync(["mkfifo", file]).exitCode).toBe(0), /not a regular file \(a FIFO\)/],
    ["directory", () => mkdirSync(file), /not a regular file \(a directory\)/],
    // decoded leniently, "café" became "caf\uFFFD" and a rule comparing with it never matched
    ["saved as Latin-1", () => writeFileSync(file, Buffer.from(policy("no secrets") + '\n// café', "latin1")), /not UTF-8 text \(byte 0xE9 at line 2, column 7\); save the file as UTF-8/],
  ]
  for (const [what, swap, why] of swaps) {
    rmSync(file, { recursive: true, force: true })
    swap()
    await host.reload()
    for (const tool of ["secret", "open"]) {
      const d = await denial(host, tool)
      expect({ what, d }).toEqual({ what, d: expect.stringMatching(/cannot run \(its file does not load: /) })
      expect(d).toMatch(why)
    }
    const info = host.list().find((p) => p.file === file)
    expect({ what, state: info?.state }).toEqual({ what, state: "failed" })
    expect(info?.lastError).toMatch(why)
    // fixed: the rules run again
    rmSync(file, { recursive: true, force: true })
    writeFileSync(file, policy("no secrets"))
    await host.reload()
    expect({ what, d: await denial(host, "secret") }).toEqual({ what, d: "no secrets [plugin policy]" })
    expect(await denial(host, "open")).toBeUndefined()
  }

  // a file that is really gone takes its rules with it (documented)
  unlinkSync(file)
  await host.reload()
  expect(host.hasRoute).toBe(false)
  expect(await denial(host, "secret")).toBeUndefined()
})

test("a UTF-8 file with a byte order mark loads, and its text compares as written", async () => {
  writeFileSync(join(dir, "bom.js"), "\uFEFF" + `export default { name: "bom", route(c) { if (c.args.city === "café") return { deny: "not to café" } } }`)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  expect(host.list().map((p) => p.state)).toEqual(["active"])
  expect(await host.route({ server: "s", tool: "t", args: { city: "café" } })).toEqual({ deny: "not to café [plugin bom]" })
})

test("a new file that is refused is listed as failed (not skipped), and is no policy", async () => {
  symlinkSync(join(tmpdir(), "x.js"), join(dir, "evil.js"))
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  expect(host.list().map((p) => [p.file, p.state])).toEqual([[join(dir, "evil.js"), "failed"]])
  expect(await denial(host, "secret")).toBeUndefined()
})

for (const how of ["rm -rf", "mv away"] as const) {
  test(`plugin directory removed (${how}) and created again: the rules keep applying meanwhile (warned), the new files load, later edits too`, async () => {
    const lines: string[] = []
    const hub = createLogHub("info", (l) => void lines.push(l))
    writeFileSync(join(dir, "deny.js"), policy("v1"))
    await using host = await PluginHost.create({ dirs: [dir], log: createLogger(hub, "plugins"), watch: true })
    expect(await denial(host, "secret")).toBe("v1 [plugin policy]")

    if (how === "rm -rf") rmSync(dir, { recursive: true, force: true })
    else renameSync(dir, join(root, "plugins-old"))
    await waitFor("a warning that the plugin directory is gone", () => lines.some((l) => l.includes("plugin directory is gone") && l.includes(dir)))
    // held in its last state: the policy keeps refusing, status still lists it
    expect(await denial(host, "secret")).toBe("v1 [plugin policy]")
    expect(host.list().map((p) => [p.name, p.state])).toEqual([["policy", "active"]])

    mkdirSync(dir)
    writeFileSync(join(dir, "deny.js"), policy("v2"))
    await waitFor("the re-created policy to load", async () => (await denialNow(host, "secret")) === "v2 [plugin policy]")

    // the directory is watched again: another file, then an edit
    writeFileSync(join(dir, "deny2.js"), `export default { name: "second", route(c) { if (c.tool === "other") return { deny: "no other" } } }`)
    await waitFor("a second plugin in the re-created directory", async () => (await denialNow(host, "other")) === "no other [plugin second]")
    if (how === "mv away") {
      // the moved-away copy is not the plugin directory any more
      writeFileSync(join(root, "plugins-old", "deny.js"), policy("old copy"))
    }
    writeFileSync(join(dir, "deny.js"), policy("v3"))
    await waitFor("an edit in the re-created directory", async () => (await denialNow(host, "secret")) === "v3 [plugin policy]")
    expect(lines.some((l) => l.includes("plugin directory is back"))).toBe(true)
  })
}

test("a plugin directory missing at start is loaded when it appears; one re-created empty unloads what it held", async () => {
  rmSync(dir, { recursive: true })
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, watch: true })
  expect(host.hasRoute).toBe(false)
  mkdirSync(dir)
  writeFileSync(join(dir, "deny.js"), policy("late"))
  await waitFor("the plugin directory made after start to load", async () => (await denialNow(host, "secret")) === "late [plugin policy]")
  rmSync(dir, { recursive: true })
  mkdirSync(dir)
  await waitFor("the re-created empty directory to unload the policy", () => !host.hasRoute)
})
