/**
 * A config that lists mcp-orchestrator itself (a copy-paste of Cursor's mcp.json, say) must not
 * start copies of itself without end: the second nested orchestrator starts no downstreams.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, childrenOf, connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

function descendants(pid: number): number[] {
  const out: number[] = []
  for (const c of childrenOf(pid)) out.push(c, ...descendants(c))
  return out
}

describe("self-referencing config", () => {
  test("recursion stops two levels down; the outer orchestrator keeps serving", async () => {
    const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
    const cfg = join(env.HOME!, "mcp.json")
    writeFileSync(cfg, JSON.stringify({ mcpServers: { self: { command: BIN, args: ["serve", "--config", cfg] } }, warm: ["self"] }))
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("orchestrator_status")
      // level 1 exposes its own status tool through level 0; level 2 exposes no downstream tools
      expect(names).toContain("self__orchestrator_status")
      expect(names.some((n) => n.startsWith("self__self__self__"))).toBe(false)
      await Bun.sleep(1500)
      expect(descendants(c.pid!).length).toBeLessThanOrEqual(2)
    } finally {
      await c.close()
    }
  }, 30_000)
})
