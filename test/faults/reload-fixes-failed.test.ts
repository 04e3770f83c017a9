/**
 * Regression (QA): a server whose start failed (a typo in its command) and whose entry the user
 * then fixed was restarted lazily by the reload: it waited for a call of one of its tools, which
 * the client was never shown (Cursor lists once), so its tools never appeared and no list_changed
 * came. A reload that redefines a server whose start failed starts it at once: its tools are listed
 * and the client is told the list changed, without a tools/list or a call to set it off. The
 * compiled binary, the SDK Client, server-memory.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const config = (command: string, home: string) =>
  ["toolkit: { enabled: \"off\" }", "reload: { settle: 0 }", "servers:", `  memory: { command: ${JSON.stringify(command)}, args: [${JSON.stringify(MEMORY)}], env: { MEMORY_FILE_PATH: ${JSON.stringify(join(home, "m.json"))} } }`, ""].join("\n")

interface Row {
  name: string
  state: string
  tools: number
}

test("a failing server's entry fixed: it starts at once, its tools are listed and list_changed is sent", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, config("no-such-node-qa273", env.HOME!))
  const c = await connectBinary(["serve", "--config", cfg], env)
  let changed = 0
  c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++)
  const row = async () => ((await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[] }).servers.find((s) => s.name === "memory")!
  try {
    expect((await c.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("memory__"))).toEqual([])
    await waitFor("memory's start to fail", async () => ["failed", "backoff", "open-circuit"].includes((await row()).state) || undefined, 30_000)
    changed = 0
    writeFileSync(cfg, config("node", env.HOME!))
    await waitFor("the reload", () => c.stderr().includes('"changed":["memory (command)"]') || undefined, 30_000)
    // nothing lists or calls: the reload alone starts it, and the client hears of its tools
    await waitFor("memory up with its tools", async () => {
      const r = await row()
      return (r.state === "ready" && r.tools > 0) || undefined
    }, 30_000)
    await waitFor("list_changed", () => changed > 0 || undefined, 30_000)
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("memory__read_graph")
  } finally {
    await c.close()
  }
}, 120_000)
