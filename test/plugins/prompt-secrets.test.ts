/**
 * @module test/plugins/prompt-secrets
 * What a plugin prompt renders reaches the model: it is scrubbed as an own tool's result is. A
 * plugin's parser sees the Toolkit's raw `docker mcp config read` (a server's token); one that
 * keeps the text in a module variable and returns undefined (no fault: the variable survives)
 * could then render it in a prompt, and prompts/get handed the token to the model as it was, as it
 * did a token-shaped string the plugin wrote itself. Compiled binary, real SDK Client, fake docker.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { type ToolkitPluginWorld, toolkitPluginWorld } from "./toolkit-plugin-world.ts"

// not a known token shape: only its key (`token`) says it is a secret
const TOKEN = "Zq8w-Plk3-Vb9n-77xc"
// a well-known token shape nobody configured
const SHAPED = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

let w: ToolkitPluginWorld
let c: Connected
beforeAll(async () => {
  w = await toolkitPluginWorld(`github:\n  token: ${TOKEN}\n`, "keeper.js", `let seen = "nothing yet"
export default {
  name: "keeper",
  parsers: { config(text) { seen = text; return undefined } },
  prompts: [
    { name: "replay", render() { return "the config I saw: " + seen } },
    { name: "messages", render() { return [{ role: "user", content: "token " + seen }, { role: "assistant", content: { type: "text", text: "and ${SHAPED}" } }] } },
  ],
}
`)
  expect(w.configWritten).toBe(0)
  c = w.c
}, 120_000)
afterAll(async () => {
  await w?.close()
})

test("a prompt rendering the Toolkit config its parser saw: the token is redacted, the rest of the text is kept", async () => {
  // the parser runs on config_get, sees the raw text, keeps it and lets the built-in parser answer
  const r = await c.client.callTool({ name: "config_get", arguments: { server: "github" } })
  expect(JSON.stringify(r.content)).not.toContain(TOKEN)
  const p = await c.client.getPrompt({ name: "replay", arguments: {} })
  const text = JSON.stringify(p.messages)
  expect(text).toContain("the config I saw: ")
  expect(text).toContain("github")
  expect(text).toContain("[REDACTED]")
  expect(text).not.toContain(TOKEN)
}, 60_000)

test("every message of a rendered list is scrubbed, a token shape nobody configured too", async () => {
  const p = await c.client.getPrompt({ name: "messages", arguments: {} })
  expect(p.messages.map((m) => m.role)).toEqual(["user", "assistant"])
  const text = JSON.stringify(p.messages)
  expect(text).not.toContain(TOKEN)
  expect(text).not.toContain(SHAPED)
  expect(text).toContain("and [REDACTED]")
}, 60_000)
