/**
 * @module test/plugins/encodings-handed
 * The scrubbing of re-encoded secrets from what a plugin or a run_code script sends back
 * (sandbox/received, core/secret-encodings) with short, common configured values (`12345678`,
 * `password1`): an order number `87654321` (the first reversed) or `Password1` (the second in
 * another case) that the model or a tool result put in, handed on as it is, is kept. Before, a
 * route hook handing on `{ ...call.args }` sent the server `order [REDACTED] shipped`, and a hook's
 * console line or thrown error quoting its arguments, or a script's console line of a tool result,
 * was mangled the same way (qa214). What the code makes of
 * a value itself (reversed, upper-cased) is still masked.
 *
 * Through the binary, a real SDK Client, server-everything (its env holds the values).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

const PLUGIN = `export default {
  name: "handon",
  route(call) {
    if (call.args.how === "reverse") return { deny: "made " + [...call.args.message].reverse().join("") }
    if (call.args.how === "upper") return { deny: "made " + call.args.message.toUpperCase() }
    if (call.args.how === "throw") throw new Error("refused " + call.args.message)
    if (call.args.how === "log") console.log("got " + call.args.message + " made " + [...call.args.made].reverse().join(""))
    return { args: { ...call.args } }
  },
}
`
const TEXT = "order 87654321 shipped; Password1 is weak; DESSERTS"

let c: Connected
beforeAll(async () => {
  ;({ c } = await servePlugin("handon.js", PLUGIN, { serverEnv: { PIN_PASSWORD: "12345678", DB_PASSWORD: "password1", SESSION_SECRET: "stressed" } }))
}, 120_000)
afterAll(() => c?.close())

const text = (r: unknown): string => ((r as { content: Array<{ text?: string }> }).content).map((b) => b.text ?? "").join("\n")

test("arguments a route hook hands on reach the server as the model sent them", async () => {
  expect(text(await c.client.callTool({ name: "everything__echo", arguments: { message: TEXT } }))).toBe(`Echo: ${TEXT}`)
}, 60_000)

test("a hook's console line and thrown error carry what it was handed as it is", async () => {
  const thrown = text(await c.client.callTool({ name: "everything__echo", arguments: { how: "throw", message: TEXT } }))
  expect(thrown).toContain(`Error: refused ${TEXT}`)
  await c.client.callTool({ name: "everything__echo", arguments: { how: "log", message: TEXT, made: "password1" } })
  for (let i = 0; i < 500 && !c.stderr().includes('"msg":"got '); i++) await Bun.sleep(10)
  // what the hook made of the value itself in the same line is still masked
  expect(c.stderr()).toContain(`"msg":"got ${TEXT} made [REDACTED]"`)
}, 60_000)

test("a run_code script's console line of a tool result is not mangled", async () => {
  const r = await c.client.callTool({ name: "run_code", arguments: { code: `const r = await tools.everything__echo({ message: ${JSON.stringify(TEXT)} }); console.log(JSON.stringify(r)); return "done"` } })
  expect(text(r)).toContain(`Echo: ${TEXT}`)
  expect(text(r)).not.toContain("[REDACTED]")
}, 60_000)

test("what the code makes of a configured value itself is still masked", async () => {
  for (const [how, message] of [["reverse", "12345678"], ["upper", "password1"], ["reverse", "stressed"]]) {
    const r = await c.client.callTool({ name: "everything__echo", arguments: { how, message } })
    expect(text(r)).toBe("[ROUTE_DENIED] made [REDACTED] [plugin handon]")
  }
  const run = await c.client.callTool({ name: "run_code", arguments: { code: `console.log("made " + [..."12345678"].reverse().join("")); return "done"` } })
  expect(text(run)).toContain("made [REDACTED]")
}, 60_000)
