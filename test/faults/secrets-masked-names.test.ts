/**
 * Regression (QA qa93): what a client got masked it sends back masked, and each request carrying it
 * now reaches the server as the server listed it (proxy/masked-uri). Before, only `resources/read`
 * did: `resources/subscribe` and `resources/unsubscribe` of a masked URI, `completion/complete` of a
 * masked template, a read of a URI expanded from a masked template, a call of a tool and a get of a
 * prompt named after the key (direct, through call_tool and describe_tools, from run_code) sent `[REDACTED]` in
 * place of the key, and the server refused them ("not found", "unknown tool"). Through the compiled
 * binary, an SDK v1 server (fixture servers/keyed-resource-server.ts); nothing the client gets shows the key.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "keyed-resource-server.ts")
const KEY = `keyedN${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`
const REPORT = "https://api.example/report?apikey=[REDACTED]"
let c: Connected
const seen: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  const cfg = join(tempDir("mcpo-keyed-names-"), "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, proxy: { maxMessageBytes: 64 * 1024 }, warm: ["keyed"], servers: { keyed: { command: process.execPath, args: [FIXTURE], env: { KEYED_API_KEY: KEY } } } }))
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
  let names: string[] = []
  for (let i = 0; i < 200 && !names.includes("keyed__touch"); i++) {
    names = (await c.client.listTools()).tools.map((t) => t.name)
    if (!names.includes("keyed__touch")) await Bun.sleep(50)
  }
}, 60_000)

afterAll(async () => {
  await c?.close()
})

const text = (r: unknown): string => ((r as { content: { text: string }[] }).content[0]?.text ?? "")

test("a masked resource URI is subscribed, updated and unsubscribed at its server; updates reach the client as the URI it subscribed to", async () => {
  const updates: string[] = []
  c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri))
  expect((await c.client.listResources()).resources.map((r) => r.uri)).toContain(REPORT)
  await c.client.subscribeResource({ uri: REPORT })
  expect(text(await c.client.callTool({ name: "keyed__subscriptions", arguments: {} }))).toBe("held: 1")
  await c.client.callTool({ name: "keyed__touch", arguments: {} })
  for (let i = 0; i < 200 && updates.length === 0; i++) await Bun.sleep(25)
  expect(updates).toEqual([REPORT])
  await c.client.unsubscribeResource({ uri: REPORT })
  expect(text(await c.client.callTool({ name: "keyed__subscriptions", arguments: {} }))).toBe("held: 0")
  seen.push(JSON.stringify(updates))
})

test("a masked template completes and reads through what the client expanded from it", async () => {
  const templates = (await c.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)
  const template = "https://api.example/tables/{table}?apikey=[REDACTED]"
  expect(templates).toContain(template)
  const done = await c.client.complete({ ref: { type: "ref/resource", uri: template }, argument: { name: "table", value: "or" } })
  expect(done.completion.values).toEqual(["orders"])
  const read = await c.client.readResource({ uri: "https://api.example/tables/orders?apikey=[REDACTED]" })
  expect(read.contents).toEqual([{ uri: "https://api.example/tables/orders?apikey=[REDACTED]", text: "table orders" }])
  seen.push(JSON.stringify(done), JSON.stringify(read), templates.join())
})

test("a tool and a prompt named after the key are listed masked and called by that name (direct, call_tool, describe_tools, run_code)", async () => {
  const tools = (await c.client.listTools()).tools.map((t) => t.name)
  expect(tools).toContain("keyed__fetch_[REDACTED]")
  const direct = await c.client.callTool({ name: "keyed__fetch_[REDACTED]", arguments: {} })
  expect(direct.isError).toBeFalsy()
  expect(text(direct)).toBe("fetched")
  const viaCallTool = await c.client.callTool({ name: "call_tool", arguments: { name: "keyed__fetch_[REDACTED]", arguments: {} } })
  expect(text(viaCallTool)).toContain("fetched")
  const described = await c.client.callTool({ name: "describe_tools", arguments: { names: ["keyed__fetch_[REDACTED]"] } })
  expect(described.isError).toBeFalsy()
  expect(JSON.stringify(described.structuredContent)).toContain("fetches with the key in its name")
  seen.push(JSON.stringify(described))
  const viaCode = await c.client.callTool({ name: "run_code", arguments: { code: 'return await tools["keyed__fetch_[REDACTED]"]({})' } })
  expect(viaCode.isError).toBeFalsy()
  expect(text(viaCode)).toContain("fetched")
  const prompts = (await c.client.listPrompts()).prompts.map((p) => p.name)
  expect(prompts).toContain("keyed__brief_[REDACTED]")
  const got = await c.client.getPrompt({ name: "keyed__brief_[REDACTED]" })
  expect(got.messages[0]?.content).toEqual({ type: "text", text: "brief me" })
  seen.push(tools.join(), JSON.stringify(direct), JSON.stringify(viaCallTool), JSON.stringify(viaCode), prompts.join(), JSON.stringify(got))
})

test("an answer too large for the client, of a prompt named after the key, is refused naming its server (serverOf finds the masked name as prompts/get does)", async () => {
  const err = await c.client.getPrompt({ name: "keyed__big_[REDACTED]" }).then(
    () => "answered",
    (e: unknown) => String((e as Error).message),
  )
  // before: " to prompts/get (…)" with no server: the lookup took the masked name as it came
  expect(err).toContain("of server keyed to prompts/get")
  seen.push(err)
})

test("a script is never told a tool's real name: a near miss's hint names it masked", async () => {
  const r = await c.client.callTool({ name: "run_code", arguments: { code: 'try { await tools["keyed__fetch_' + KEY.slice(0, -1) + '"]({}) } catch (e) { return String(e.message).split("").reverse().join("") } return "called"' } })
  const out = text(r)
  expect(out.split("").reverse().join("")).toContain("not reachable")
  seen.push(out, out.split("").reverse().join(""))
})

test("nothing the client got shows the key", () => {
  expect(seen.join("\n") + c.stderr()).not.toContain(KEY)
})
