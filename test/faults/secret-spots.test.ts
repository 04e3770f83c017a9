/**
 * @module test/faults/secret-spots
 * qa327, a fresh look: a downstream putting its configured key (servers/secret-spots-server.ts) in
 * its `initialize` result (serverInfo, instructions), a tool's title, annotations and `_meta` (keys
 * and values), a resource template's URI, an elicitation request relayed to the client during a
 * call, and a call's error. The key reaches the client nowhere, nor the log; the places it was are
 * masked (not dropped). A guard: all were already masked when it was written.
 * Compiled binary, real SDK Client (with elicitation), raw JSON-RPC downstream.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { answerText, connectBinary, ensureBuilt, listUntil, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "secret-spots-server.ts")
// no token shape: only its name (SPOT_API_KEY) says it is a secret
const KEY = `zq${crypto.randomUUID().replace(/-/g, "").slice(0, 18)}Wx`

test("a key in a downstream's serverInfo, instructions, tool title/annotations/_meta, template URI, elicitation message and error reaches the client nowhere", async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, warm: ["spots"], servers: { spots: { command: process.execPath, args: [FIXTURE], env: { SPOT_API_KEY: KEY } } } })
  const c = await connectBinary(["serve", "--config", cfg], env, { elicitation: {} })
  try {
    const seen: Record<string, string> = {}
    c.client.setRequestHandler(ElicitRequestSchema, async (r) => {
      seen.elicitation = JSON.stringify(r.params)
      return { action: "accept", content: { ok: true } }
    })
    expect(await listUntil(c.client, "spots__ask")).toContain("spots__ask")
    seen.tools = JSON.stringify(await c.client.listTools())
    seen.templates = JSON.stringify(await c.client.listResourceTemplates())
    seen.search = await answerText(c.client.callTool({ name: "search_tools", arguments: { query: "ask" } }))
    seen.call = await answerText(c.client.callTool({ name: "spots__ask", arguments: {} }))
    seen.error = await answerText(c.client.callTool({ name: "spots__fail", arguments: {} })).catch((e) => String(e))
    seen.status = await answerText(c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    seen.instructions = String(c.client.getInstructions())
    seen.log = c.stderr()
    expect(Object.entries(seen).filter(([, v]) => v.includes(KEY)).map(([k]) => k)).toEqual([])
    // masked where it was, not dropped
    expect(seen.tools).toContain("Ask with [REDACTED]")
    expect(seen.tools).toContain("annot [REDACTED]")
    expect(seen.templates).toContain("spot://[REDACTED]/{id}")
    expect(seen.elicitation).toContain("confirm the key [REDACTED] please")
    expect(seen.error).toContain("upstream refused key [REDACTED]")
  } finally {
    await c.close()
  }
}, 90_000)
