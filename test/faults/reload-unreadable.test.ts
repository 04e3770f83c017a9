/**
 * A config file that cannot be read, or read as a config, while the orchestrator runs (through the
 * compiled binary, SDK v1 Client): a directory where the file was, a dangling symlink, bytes that
 * are not UTF-8 (a save cut mid-character), YAML cut mid-edit. Each keeps the
 * last good config running and says what is wrong (file, error) in orchestrator_status; each
 * distinct problem is one error line, however often the file is saved broken the same way. Before,
 * a dangling symlink after a directory went unseen (both counted as "missing": status kept saying
 * EISDIR), and bytes that are not UTF-8 were read as U+FFFD, the parse error blaming an unrelated
 * YAML construct. Once fixed, one
 * line says the file is good again, and the new config runs.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")
const HEAD = 'toolkit: { enabled: "off" }\nplugins: { enabled: false }\nservers:\n'

type Reload = { last?: string; lastAt?: string; errors?: string[] }
async function config(c: Connected): Promise<{ servers: string[]; reload?: Reload }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  return ((r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { servers: string[]; reload?: Reload } }).config
}

describe("a config file that turns unreadable while running", () => {
  test("each problem is said once and in status, the running config stays; fixed, one line says so and it applies", async () => {
    const dir = tempDir("mcpo-reload-unreadable-")
    const file = join(dir, "config.yaml")
    const entry = (name: string): string => `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, `${name}.log`)])} }\n`
    writeFileSync(file, HEAD + entry("a"))
    const c = await connectBinary(["serve", "--config", file], sandboxEnv())
    const refused = async (pattern: RegExp): Promise<Reload> =>
      waitFor(`the reload refused with ${pattern}`, async () => {
        const r = (await config(c)).reload
        return r?.last === "rejected" && r.errors?.some((e) => pattern.test(e)) ? r : undefined
      })
    const errorLines = (pattern: RegExp): number => c.stderr().split("\n").filter((l) => l.includes('"level":"error"') && pattern.test(l)).length
    try {
      await waitFor("the config file watched", async () => (await config(c)).reload !== undefined)
      expect((await c.client.callTool({ name: "a__echo", arguments: { tag: "before" } })).content).toEqual([{ type: "text", text: "before" }])

      unlinkSync(file)
      mkdirSync(file)
      expect((await refused(/config\.yaml.*EISDIR/)).errors).toHaveLength(1)

      rmSync(file, { recursive: true })
      symlinkSync(join(dir, "nowhere.yaml"), file)
      await refused(/ENOENT: a symlink to .*nowhere\.yaml, which does not exist/)

      unlinkSync(file)
      // a save cut mid-character and mid-entry: the parse error names the bad byte first
      const bad = (tail: string): Buffer => Buffer.concat([Buffer.from(HEAD + entry("a") + "  caf"), Buffer.from([0xc3]), Buffer.from(`: { command: [${tail}`)])
      writeFileSync(file, bad(""))
      const first = await refused(/config\.yaml.*not valid UTF-8 at line 5/)
      // saved broken the same way again (other text, the same problem): status follows, no new error line
      writeFileSync(file, bad(" "))
      await waitFor("the second broken save read", async () => ((await config(c)).reload?.lastAt ?? "") > first.lastAt!)

      writeFileSync(file, HEAD + "  a: { command: [")
      await refused(/config\.yaml:4: not valid YAML/)
      // the running config is the last good one: its server still answers
      expect((await c.client.callTool({ name: "a__echo", arguments: { tag: "kept" } })).content).toEqual([{ type: "text", text: "kept" }])
      expect((await config(c)).servers).toEqual(["a"])

      writeFileSync(file, HEAD + entry("a") + entry("b"))
      await waitFor("the fixed file applied", async () => {
        const s = await config(c)
        return s.reload?.last === "applied" && s.reload.errors === undefined && s.servers.sort().join() === "a,b"
      })
      // stderr is read as it comes: the line of the fix is the last one of these; those before it are in
      await waitFor("the line saying the file is good again", () => c.stderr().includes('"fixed":"the config file reads and is valid again'))
      expect(errorLines(/not valid UTF-8/)).toBe(1)
      expect(errorLines(/EISDIR/)).toBe(1)
      expect((await c.client.callTool({ name: "b__echo", arguments: { tag: "after" } })).content).toEqual([{ type: "text", text: "after" }])
    } finally {
      await c.close()
    }
  }, 60_000)
})
