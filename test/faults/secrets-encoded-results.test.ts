/**
 * Regression (QA qa228): a configured key re-encoded by its downstream — hex (either case), base64,
 * base64url, inside the base64 of a JSON header — reached the model wherever text was not an error:
 * a successful result (text, structuredContent, a 1 MiB result), resources/read, a tool's
 * description and icon URL on tools/list, log and progress notifications. Only error text decoded
 * base64 runs; the registry knew the value's escapes, not its encodings. Compiled binary, real SDK
 * Client, raw fixture (servers/encoded-echo-server.ts); each answer must say `[REDACTED]` where
 * the forms were, so the test cannot pass because nothing was said.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "encoded-echo-server.ts")
// no token shape, not under a name any text gives: only the config says it is a secret
const KEY = `Ek${crypto.randomUUID().replace(/-/g, "").slice(0, 18)}x`

let c: Connected
const notes: string[] = []

/** The forms of KEY `text` shows: hex, base64 in either alphabet, at any alignment (decoded from each of a run's first 4 characters). */
function leaked(text: string): string[] {
  const found: string[] = []
  const hex = Buffer.from(KEY).toString("hex")
  if (text.toLowerCase().includes(hex)) found.push("hex")
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? [])
    for (let i = 0; i < 4; i++) if (Buffer.from(run.slice(i), "base64").toString("latin1").includes(KEY)) found.push(`base64 ${run.slice(0, 24)}`)
  return found
}

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, warm: ["enc"], servers: { enc: { command: process.execPath, args: [FIXTURE], env: { ENCODED_API_KEY: KEY } } } })
  c = await connectBinary(["serve", "--config", cfg], env)
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void notes.push(JSON.stringify(n.params)))
  await c.client.setLoggingLevel("debug")
  await listUntil(c.client, "enc__dump")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("an image's, audio's or blob's bytes holding the key stay base64 with those bytes masked: masked whole as [REDACTED] they were no base64, and the client's SDK refused the whole result", async () => {
  // the SDK Client validates every block's data as base64: a block that is not fails the call
  for (const big of [false, true]) {
    const r = (await c.client.callTool({ name: "enc__dump", arguments: { image: true, big } })) as { isError?: boolean; content: { type: string; data?: string; resource?: { blob?: string } }[] }
    expect(r.isError).toBeUndefined()
    expect(r.content.map((b) => b.type)).toEqual(["image", "image", "image", "audio", "resource"])
    for (const b of r.content) {
      const data = b.data ?? b.resource?.blob ?? ""
      expect(data).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
      const bytes = Buffer.from(data, "base64").toString("latin1")
      expect(bytes).not.toContain(KEY)
      expect(bytes).toContain("[REDACTED]")
      expect(bytes).toContain("IEND")
    }
    expect(leaked(JSON.stringify(r))).toEqual([])
  }
})

test("hex and base64 of a configured key show nowhere: results (small, large, via call_tool), reads, definitions, notifications, the log", async () => {
  const progress: string[] = []
  const answers: Record<string, string> = {
    tools: JSON.stringify(await c.client.listTools()),
    described: JSON.stringify(await c.client.callTool({ name: "describe_tools", arguments: { names: ["enc__dump"] } })),
    direct: JSON.stringify(await c.client.callTool({ name: "enc__dump", arguments: {} }, undefined, { onprogress: (p) => void progress.push(JSON.stringify(p)) })),
    big: JSON.stringify(await c.client.callTool({ name: "enc__dump", arguments: { big: true } })),
    via: JSON.stringify(await c.client.callTool({ name: "call_tool", arguments: { name: "enc__dump", arguments: {} } })),
    read: JSON.stringify(await c.client.readResource({ uri: "enc://dump" }).catch(async () => c.client.readResource({ uri: (await c.client.listResources()).resources[0]!.uri }))),
  }
  for (const [what, a] of Object.entries(answers)) {
    expect({ what, leaked: leaked(a) }).toEqual({ what, leaked: [] })
    expect({ what, masked: a.includes("[REDACTED]") }).toEqual({ what, masked: true })
  }
  // the text around the forms stays readable
  // each form masked whole, with the run it stands in (the JSON header's base64 too)
  for (const t of ["hex dump [REDACTED]\\nHEX [REDACTED]\\nx-api-key: [REDACTED]\\nurl-safe [REDACTED]\\nheader blob [REDACTED]"]) expect(answers.direct).toContain(t)
  expect(answers.big!.length).toBeGreaterThan(1_000_000)
  expect(progress.length).toBeGreaterThan(0)
  expect(notes.length).toBeGreaterThan(0)
  expect(leaked(progress.join("\n") + notes.join("\n"))).toEqual([])
  await c.close()
  expect(leaked(c.stderr())).toEqual([])
}, 90_000)
