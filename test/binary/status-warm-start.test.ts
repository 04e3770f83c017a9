/**
 * orchestrator_status on a warm start tells of the tools the first answer held: that answer comes
 * from the persisted one (app/tool-snapshot) without the stored lists being read, and the rows said
 * `tools: 0` (no `toolsNotListed` either) for servers whose tools it listed, until something else
 * read the store. Now the status waits for the stored lists. And on a first start ever, a status
 * asked while the first list still waits names the servers as not listed yet. The compiled binary
 * with the SDK Client and the npm reference servers; nothing is timed.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
const FILESYSTEM = join(ROOT, "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

type Row = { name: string; state: string; tools: number; toolsNotListed?: string }

describe("orchestrator_status on a warm start", () => {
  test("its rows count the tools of the first answer (from the persisted one), not 0", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    const servers = ["servers:", "  mem:", `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(MEMORY)}]`, "  fs:", `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(FILESYSTEM)}, ${JSON.stringify(env.HOME!)}]`]
    writeFileSync(cfg, ['toolkit:', '  enabled: "off"', ...servers, ""].join("\n"))

    // a first start ever: its status, asked before any list, names both as not listed yet
    const first = await connectBinary(["serve", "--config", cfg], env)
    try {
      const early = (await first.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[] }
      for (const name of ["mem", "fs"]) expect(early.servers.find((s) => s.name === name)!.toolsNotListed).toContain("not known yet")
      expect(await listUntil(first.client, "mem__create_entities")).toContain("fs__read_text_file")
    } finally {
      await first.close()
    }

    // the next start answers from the persisted answer; its status counts what that answer held
    const second = await connectBinary(["serve", "--config", cfg], env)
    try {
      const listed = (await second.client.listTools()).tools.map((t) => t.name)
      const per = (p: string) => listed.filter((n) => n.startsWith(p)).length
      expect(per("mem__")).toBeGreaterThan(0)
      expect(per("fs__")).toBeGreaterThan(0)
      const rows = ((await second.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[] }).servers
      expect(rows.find((s) => s.name === "mem")).toMatchObject({ tools: per("mem__") })
      expect(rows.find((s) => s.name === "fs")).toMatchObject({ tools: per("fs__") })
      for (const r of rows) expect(r.toolsNotListed).toBeUndefined()
    } finally {
      await second.close()
    }
  }, 90_000)
})
