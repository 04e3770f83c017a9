/**
 * One edit, one tools list_changed: an edit that adds a server and puts it in the client's toolset
 * changes the client's surface at once (the toolset) and again when the new server's tools are
 * listed. A client told once and not yet listing again is not told a second time (it would list
 * twice and get the same answer); the list it asks for is complete. Through the binary (`serve
 * --toolset`), a real SDK client and the npm reference servers.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const NM = join(ROOT, "node_modules", "@modelcontextprotocol")
const EVERYTHING = join(NM, "server-everything", "dist", "index.js")
const MEMORY = join(NM, "server-memory", "dist", "index.js")
const node = JSON.stringify(process.execPath)
const open: Connected[] = []
beforeAll(ensureBuilt, 120_000)
afterAll(async () => {
  for (const c of open) await c.close()
})

test("a server added to the client's toolset in one edit: one list_changed, then the complete list", async () => {
  const e = sandboxEnv()
  const cfg = join(e.HOME!, "config.yaml")
  const memory = `  memory:\n    command: ${node}\n    args: [${JSON.stringify(MEMORY)}]\n    env: { MEMORY_FILE_PATH: ${JSON.stringify(join(e.HOME!, "m.json"))} }\n`
  const everything = `  everything:\n    command: ${node}\n    args: [${JSON.stringify(EVERYTHING)}, stdio]\n`
  const head = (servers: string) => `toolkit: { enabled: "off" }\nlog: { level: debug }\ntoolsets: { a: { servers: [${servers}] } }\nservers:\n`
  writeFileSync(cfg, head("memory") + memory)
  const c = await connectBinary(["serve", "--config", cfg, "--toolset", "a"], e)
  open.push(c)
  let notices = 0
  c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notices++)
  expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("everything__"))).toBe(false)

  const rebuilt = (): number => (c.stderr().match(/"msg":"tools list answer rebuilt"/g) ?? []).length
  const before = rebuilt()
  writeFileSync(cfg, head("memory, everything") + memory + everything)
  await waitFor("the reload", () => c.stderr().includes(`"msg":"config reloaded"`), 20_000)
  await waitFor("the first list_changed", () => notices > 0, 20_000)
  // the client's answer is rebuilt for each change (its toolset, then everything's tools), each
  // compared with what it was given before any notice goes out. Now and then the two come as one
  // (one rebuild, one notice either way): not waited for past 10 s, the count below holds then too.
  await waitFor("the list answer rebuilt for both changes", () => rebuilt() >= before + 2, 10_000).catch(() => {})
  // written after any notice of those changes (one stdout): it is counted by then
  const names = (await c.client.listTools()).tools.map((t) => t.name)
  expect(notices).toBe(1)
  expect(names).toContain("everything__echo")
  expect(names).toContain("memory__read_graph")
}, 60_000)
