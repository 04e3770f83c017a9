/**
 * @module test/plugins/secret-cuts
 * A hook throws back (or logs) a server's configured token that the model passed as an argument,
 * placed so that it crosses a cut: a fault's message (2 000 characters), a thrown string's, an
 * error name (200), a console line (2 000). The cuts were made on the sandbox's worker, which knows
 * no configured secret: the token's first characters reached the error and the log, where no
 * redaction matches a fragment. The worker now keeps a margin and the host cuts, secret-safe.
 *
 * Through the binary, a real SDK Client, server-everything (its env holds the token).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

const TOKEN = "sk-qa189Zq8vN3kL0pW7rT2yU6iO4aS1dF9gHjK"
// the token follows a run of "x": any first fragment of it, however short, shows as "xs"
const FRAGMENT = `x${TOKEN[0]}`

const PLUGIN = `export default {
  name: "cuts",
  route(call) {
    const m = call.args.mode, s = call.args.message
    if (m === "message") throw new Error("x".repeat(1995) + s)
    if (m === "string") throw "x".repeat(1990) + s
    if (m === "name") { const e = new Error("n"); e.name = "x".repeat(195) + s; throw e }
    if (m === "log") console.log("x".repeat(1995) + s)
  },
}
`

let c: Connected
let file: string
beforeAll(async () => {
  ;({ c, file } = await servePlugin("cuts.js", PLUGIN, { serverEnv: { EVERYTHING_API_TOKEN: TOKEN } }))
}, 120_000)
afterAll(() => c?.close())

async function callText(mode: string): Promise<{ isError: boolean; text: string }> {
  const r = await c.client.callTool({ name: "everything__echo", arguments: { message: TOKEN, mode } })
  return { isError: r.isError === true, text: (r.content as Array<{ text?: string }>).map((b) => b.text ?? "").join("\n") }
}

describe("a configured secret a hook throws back across a cut", () => {
  for (const mode of ["message", "string", "name"]) {
    test(`${mode}: the error and the log hold no fragment of it`, async () => {
      const r = await callText(mode)
      expect(r.isError).toBe(true)
      expect(r.text).toContain(`Plugin "cuts" (${file}`)
      expect(r.text).toContain("xxxxxxxxxx")
      expect(r.text).not.toContain(FRAGMENT)
      for (let i = 0; i < 500 && !c.stderr().includes(`"hook":"route"`); i++) await Bun.sleep(10)
      expect(c.stderr()).not.toContain(FRAGMENT)
    }, 60_000)
  }

  test("a console line: logged without a fragment of it, the call routed", async () => {
    const r = await callText("log")
    expect(r).toEqual({ isError: false, text: "Echo: [REDACTED]" })
    const line = `"msg":"${"x".repeat(1995)}…"`
    for (let i = 0; i < 500 && !c.stderr().includes(line); i++) await Bun.sleep(10)
    expect(c.stderr()).toContain(line)
    expect(c.stderr()).not.toContain(FRAGMENT)
  }, 60_000)
})
