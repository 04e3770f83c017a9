/**
 * Regression (QA qa85): a server whose resource URI holds its configured key
 * (`https://api.example/report?apikey=<key>`) is listed to the client masked
 * (`…?apikey=[REDACTED]`), and a read of that URI reached the server as `[REDACTED]`: "Resource …
 * not found", the resource unreadable. The masked URI now stands for the one its server listed: the
 * read succeeds, and neither the list nor the answer shows the key. Through the compiled binary, an
 * SDK v1 server (fixture servers/keyed-resource-server.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "keyed-resource-server.ts")
const KEY = `keyedQ${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const cfg = join(tempDir("mcpo-keyed-"), "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, warm: ["keyed"], servers: { keyed: { command: process.execPath, args: [FIXTURE], env: { KEYED_API_KEY: KEY } } } }))
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
}, 60_000)

afterAll(async () => {
  await c?.close()
})

test("a resource listed with its server's key in the URI is listed masked and read through the masked URI", async () => {
  let uris: string[] = []
  for (let i = 0; i < 200 && uris.length < 2; i++) {
    uris = (await c.client.listResources()).resources.map((r) => r.uri)
    if (uris.length < 2) await Bun.sleep(50)
  }
  expect(uris).toContain("https://api.example/report?apikey=[REDACTED]")
  const read = await c.client.readResource({ uri: "https://api.example/report?apikey=[REDACTED]" })
  expect(read.contents).toEqual([{ uri: "https://api.example/report?apikey=[REDACTED]", text: "rows: 42" }])
  // a URI without a mask is read as it came
  expect((await c.client.readResource({ uri: "https://api.example/status" })).contents[0]).toMatchObject({ text: "status: ok" })
  expect(JSON.stringify(read) + uris.join() + c.stderr()).not.toContain(KEY)
})
