/**
 * Regression (QA): a legacy downstream was told of no sampling/elicitation/roots support when the
 * only client connected at its start spoke 2026-07-28; server-everything then left out its sampling
 * and elicitation tools, and that shorter list was stored and answered to Cursor-style clients of
 * later runs (37 tools instead of 40, no list_changed). The capabilities a downstream is told no
 * longer depend on which kind of client started it: the list is the same whoever came first.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/client"
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { EVERYTHING } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

const CONDITIONAL = ["ev__trigger-sampling-request", "ev__trigger-elicitation-request"]

describe("a downstream's tool list does not depend on the first client's era", () => {
  test("a 2026-07-28 client first (cold cache): the sampling and elicitation tools are listed, to it and to a legacy client of the next run", async () => {
    const env = sandboxEnv()
    const cfg = join(tempDir("mcpo-first-client-"), "c.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { ev: { command: "node", args: [EVERYTHING, "stdio"] } } }))
    const modern = new Client({ name: "v2-first", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    await modern.connect(new StdioClientTransport({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore", cwd: env.HOME }))
    let first: string[]
    try {
      first = (await modern.listTools()).tools.map((t) => t.name)
    } finally {
      await modern.close()
    }
    expect(first).toContain("ev__echo")
    for (const name of CONDITIONAL) expect(first).toContain(name)
    // the next run answers from the stored list: the same tools for a Cursor-style client
    const legacy = await connectBinary(["serve", "--config", cfg], env, { sampling: {}, elicitation: {} })
    try {
      const second = (await legacy.client.listTools()).tools.map((t) => t.name)
      expect(second.sort()).toEqual([...first].sort())
    } finally {
      await legacy.close()
    }
  }, 60_000)
})
