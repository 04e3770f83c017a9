/**
 * @module test/plugins/parser-secrets
 * A parser plugin sees the Toolkit's raw output, e.g. `docker mcp config read` with a server's
 * token. The built-in path registers those values for redaction only once they are parsed; a parser
 * plugin that logs its input, or throws with it in the message (`throw new Error("bad line: " +
 * line)`), handed the token to the log and, through config_get's error, to the model. The values are
 * now registered before the plugin sees the text. Compiled binary, real SDK Client, fake docker.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { collectSettingsTextSecrets } from "../../src/core/index.ts"
import type { Connected } from "../helpers/binary.ts"
import { type ToolkitPluginWorld, toolkitPluginWorld } from "./toolkit-plugin-world.ts"

// not a known token shape: only its key (`token`, `api_key`) says it is a secret
const TOKEN = "Zq8w-Plk3-Vb9n-77xc"
const API_KEY = "k3y-value-9988-qq"

let w: ToolkitPluginWorld
let c: Connected
let file: string
beforeAll(async () => {
  // an author's first parser: logs what it got, throws on what it does not understand
  w = await toolkitPluginWorld(`github:\n  token: ${TOKEN}\nbrave:\n  api_key: "${API_KEY}"\n`, "cfg.js", `export default {\n  name: "cfg",\n  parsers: {\n    config(text) {\n      console.log("config parser got: " + text)\n      throw new Error("cannot parse: " + text)\n    },\n  },\n}\n`)
  expect(w.configWritten).toBe(0)
  c = w.c
  file = w.file
}, 120_000)
afterAll(async () => {
  await w?.close()
})

test("a config parser plugin that logs its input and throws with it: the error names the plugin, and neither it nor the log holds the token", async () => {
  const r = await c.client.callTool({ name: "config_get", arguments: { server: "github" } })
  expect(r.isError).toBe(true)
  const text = JSON.stringify(r.content)
  expect(text).toContain(`Plugin \\"cfg\\" (${file}:6:22) failed in hook parse: Error: cannot parse:`)
  expect(text).toContain("[REDACTED]")
  expect(text).not.toContain(TOKEN)
  expect(text).not.toContain(API_KEY)
  // the guest's console line comes from the worker by message: wait for it
  for (let i = 0; i < 500 && !c.stderr().includes("config parser got"); i++) await Bun.sleep(10)
  expect(c.stderr()).toContain("config parser got")
  expect(c.stderr()).not.toContain(TOKEN)
  expect(c.stderr()).not.toContain(API_KEY)
}, 60_000)

test("what is collected from settings text: values under secret-named keys in YAML, key=value and JSON, URL credentials; not names, ports or plain words", () => {
  const out: string[] = []
  collectSettingsTextSecrets(
    [
      "github:",
      `  token: ${TOKEN}`,
      `  api_key: "${API_KEY}"`,
      "  name: filesystem",
      "  port: 8080",
      "brave.api_key=BSAxyzxyzxyz1234",
      "db.url: https://user:p4ssw0rdXYZ@example.com/x",
      "- password: 'hunter2hunter2'",
    ].join("\n"),
    out,
  )
  collectSettingsTextSecrets(JSON.stringify({ gh: { token: "jsonTok3n-55667788" } }), out)
  for (const v of [TOKEN, API_KEY, "BSAxyzxyzxyz1234", "p4ssw0rdXYZ", "hunter2hunter2", "jsonTok3n-55667788"]) expect(out).toContain(v)
  for (const v of ["filesystem", "8080", "github:"]) expect(out).not.toContain(v)
})
