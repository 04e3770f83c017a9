/**
 * @module test/faults/secrets-listen
 * A 2026-07-28 client's `subscriptions/listen` gets a downstream's `notifications/resources/updated`
 * redacted as every other notification is: a server whose resource URI holds its API key
 * (servers/keyed-resource-server.ts, `…?apikey=<key>`) is subscribed through the masked URI the
 * client listed, and its updates reach the client as that masked URI. Before qa241 a listen's
 * messages went to the stdio transport and to the HTTP stream past the face's redaction point: the
 * update carried the server's URI, key and all. Compiled binary, SDK v2 Client pinned to
 * 2026-07-28, over stdio and Streamable HTTP.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { Client as V2Client, StreamableHTTPClientTransport as V2Http } from "@modelcontextprotocol/client"
import { StdioClientTransport as V2Stdio } from "@modelcontextprotocol/client/stdio"
import { BIN, ensureBuilt, httpRunsStoppedAfterEach, listUntil, sandboxEnv, startHttpBinary, writeConfig } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const FIXTURE = join(import.meta.dir, "servers", "keyed-resource-server.ts")
const KEY = `keyedQ${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`
const MASKED = "https://api.example/report?apikey=[REDACTED]"
const TOKEN = "listen-test-token-0123456789abcdef0123"
const runs = httpRunsStoppedAfterEach()

function setup(): { cfg: string; env: Record<string, string> } {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, warm: ["keyed"], servers: { keyed: { command: process.execPath, args: [FIXTURE], env: { KEYED_API_KEY: KEY } } } })
  return { cfg, env }
}

async function updatesOnListen(client: V2Client): Promise<string[]> {
  const updates: string[] = []
  client.setNotificationHandler("notifications/resources/updated", (n) => void updates.push(JSON.stringify(n.params)))
  await listUntil(client as never, "keyed__touch")
  const uris = (await client.listResources()).resources.map((r) => r.uri)
  expect(uris).toContain(MASKED)
  const sub = await client.listen({ resourceSubscriptions: [MASKED] })
  try {
    expect(sub.honoredFilter.resourceSubscriptions ?? []).toEqual([MASKED])
    await client.callTool({ name: "keyed__touch", arguments: {} })
    expect(await until(() => updates.length > 0, 15_000)).toBe(true)
  } finally {
    await sub.close()
  }
  return updates
}

for (const transport of ["stdio", "http"] as const) {
  test(`${transport}: a listen's resource update names the masked URI the client subscribed to, never the key`, async () => {
    await ensureBuilt()
    const { cfg, env } = setup()
    const client = new V2Client({ name: "listen-secrets", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    let stderr = () => ""
    if (transport === "stdio") await client.connect(new V2Stdio({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore", cwd: env.HOME }))
    else {
      const run = await startHttpBinary(cfg, env)
      runs.push(run)
      stderr = run.stderr
      await client.connect(new V2Http(new URL(run.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
    }
    try {
      const updates = await updatesOnListen(client)
      expect(updates.join("\n")).not.toContain(KEY)
      expect(JSON.parse(updates[0]!).uri).toBe(MASKED)
      expect(stderr()).not.toContain(KEY)
    } finally {
      await client.close()
    }
  }, 90_000)
}
