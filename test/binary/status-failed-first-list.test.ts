/**
 * orchestrator_status of a server that failed before this connection's first tools/list: its row
 * shows the error once (`lastError`), and `notInFirstList` refers to it instead of quoting it a
 * second time (a new user's unreachable remote server read as one 600-character row saying the same
 * failure twice). The compiled binary with the SDK Client, a server that exits at start (a missing
 * token) next to server-everything.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const BUN = process.execPath
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const REFUSE = join(ROOT, "test", "faults", "servers", "refusing-start-server.ts")

beforeAll(ensureBuilt, 120_000)

type Row = { name: string; lastError?: string; notInFirstList?: string }

test("a failure before the first tools/list is shown once: notInFirstList refers to the last error", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, ["toolkit:", '  enabled: "off"', "servers:", "  everything:", `    command: ${BUN}`, `    args: ["${EVERYTHING}", "stdio"]`, "  broken:", `    command: ${BUN}`, `    args: ["${REFUSE}"]`, ""].join("\n"))
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("everything__echo")
    const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: { servers: Row[] } }
    const row = status.structuredContent.servers.find((r) => r.name === "broken")!
    expect(row.lastError).toBeString()
    expect(row.notInFirstList).toContain("(it had failed with the last error shown)")
    expect(row.notInFirstList).not.toContain(row.lastError!.slice(0, 40))
  } finally {
    await c.close()
  }
}, 60_000)
