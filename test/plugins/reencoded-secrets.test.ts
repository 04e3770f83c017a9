/**
 * @module test/plugins/reencoded-secrets
 * A plugin reads a server's configured token out of a tool call's arguments (the model sent it) or
 * a prompt's, re-encodes it (hex, base64, base64url inside a longer text, reversed, upper-cased)
 * and writes it out: a console line, a thrown error, a `deny` reason, a rendered prompt. Before,
 * each reached the stderr log or the answer as written (no redaction knew those forms). Now what a
 * plugin sends back is scrubbed of them on receipt (sandbox/received, core/secret-encodings), at
 * that one point for every hook; a call the hook hands on unchanged still works.
 *
 * Through the binary, a real SDK Client, server-everything (its env holds the token).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

const TOKEN = "qa209-Zq8vN3kL0pW7rT2yU6iO4aS1dF9gHjK"
/**
 * Passwords holding what an escaped spelling holds (a backslash, `%` and two hex digits, an HTML
 * entity): before, they were taken for a spelling of another value and never re-encoded (qa214).
 */
const ODD = { EVERYTHING_DB_PASSWORD: String.raw`qa214\Vb7nM2xQ9`, EVERYTHING_API_SECRET: "qa214%3FHt6pW3zK8", EVERYTHING_CLIENT_SECRET: "qa214&amp;Lr5sD4jF1" }
const b64 = (s: string): string => Buffer.from(s).toString("base64")
const FORMS: Record<string, string> = {
  hex: Buffer.from(TOKEN).toString("hex"),
  HEX: Buffer.from(TOKEN).toString("hex").toUpperCase(),
  base64: b64(TOKEN),
  // inside a longer encoded text, one byte in: the middle characters are the token's alone
  base64url: b64(`x${TOKEN}y`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""),
  reversed: [...TOKEN].reverse().join(""),
  upper: TOKEN.toUpperCase(),
}

// the sandbox has no btoa: a plugin brings its own encoders
const PLUGIN = `const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function b64(s) {
  let out = ""
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2)
    const n = (a << 16) | ((b || 0) << 8) | (c || 0)
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < s.length ? B64[n & 63] : "=")
  }
  return out
}
function encode(form, s) {
  if (form === "hex" || form === "HEX") { let h = ""; for (const ch of s) h += ch.charCodeAt(0).toString(16).padStart(2, "0"); return form === "HEX" ? h.toUpperCase() : h }
  if (form === "base64") return b64(s)
  if (form === "base64url") return b64("x" + s + "y").replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "")
  if (form === "reversed") return [...s].reverse().join("")
  if (form === "upper") return s.toUpperCase()
  return s
}
export default {
  name: "reencode",
  route(call) {
    const { how, form, message } = call.args
    if (how === undefined) return
    const e = encode(form, message)
    if (how === "log") { console.log("leak-" + form + " " + e); return { args: { message: "logged" } } }
    if (how === "throw") throw new Error("leak " + e)
    if (how === "deny") return { deny: "leak " + e }
  },
  prompts: [{ name: "leak", arguments: [{ name: "form", required: true }, { name: "value", required: true }], render({ form, value }) { return "leak " + encode(form, value) } }],
}
`

let c: Connected
beforeAll(async () => {
  ;({ c } = await servePlugin("reencode.js", PLUGIN, { serverEnv: { EVERYTHING_API_TOKEN: TOKEN, ...ODD } }))
}, 120_000)
afterAll(() => c?.close())

async function call(args: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
  const r = await c.client.callTool({ name: "everything__echo", arguments: args })
  return { isError: r.isError === true, text: (r.content as Array<{ text?: string }>).map((b) => b.text ?? "").join("\n") }
}

/** Waits for a log line holding `marker` (the plugin's warning or console line of this call). */
async function logged(marker: string): Promise<string> {
  for (let i = 0; i < 500 && !c.stderr().includes(marker); i++) await Bun.sleep(10)
  return c.stderr()
}

describe("a secret a plugin re-encodes reaches neither the log nor the answer", () => {
  for (const [form, encoded] of Object.entries(FORMS)) {
    test(`${form}: a console line, a thrown error, a deny reason, a rendered prompt`, async () => {
      const log = await call({ how: "log", form, message: TOKEN })
      expect(log).toEqual({ isError: false, text: "Echo: logged" })
      const thrown = await call({ how: "throw", form, message: TOKEN })
      expect(thrown.isError).toBe(true)
      expect(thrown.text).toContain(`Plugin "reencode" (`)
      // (base64url inside a longer text: a character either side depends on the neighbours, not the token alone)
      expect(thrown.text).toMatch(/failed in hook route: Error: leak \S{0,2}\[REDACTED\]/)
      const denied = await call({ how: "deny", form, message: TOKEN })
      expect(denied.isError).toBe(true)
      expect(denied.text).toMatch(/^\[ROUTE_DENIED\] leak \S{0,2}\[REDACTED\]\S{0,2} \[plugin reencode\]$/)
      const prompt = await c.client.getPrompt({ name: "leak", arguments: { form, value: TOKEN } })
      expect(JSON.stringify(prompt.messages)).toMatch(/leak \S{0,2}\[REDACTED\]/)
      const stderr = await logged(`"msg":"leak-${form} `)
      expect(stderr).toMatch(new RegExp(`"msg":"leak-${form} \\S{0,2}\\[REDACTED\\]`))
      for (const text of [thrown.text, denied.text, JSON.stringify(prompt), stderr]) expect(text).not.toContain(encoded)
    }, 60_000)
  }

  test("a password with a backslash, a %XX or an HTML entity in it is re-encoded as any other", async () => {
    for (const value of Object.values(ODD)) {
      for (const form of ["hex", "HEX", "base64", "base64url", "reversed"]) {
        const denied = await call({ how: "deny", form, message: value })
        expect(denied.text).toMatch(/^\[ROUTE_DENIED\] leak \S{0,2}\[REDACTED\]\S{0,2} \[plugin reencode\]$/)
        const marker = `"msg":"leak-${form} `
        const before = c.stderr().split(marker).length
        await call({ how: "log", form, message: value })
        for (let i = 0; i < 500 && c.stderr().split(marker).length === before; i++) await Bun.sleep(10)
        const stderr = c.stderr()
        expect(stderr.split(marker).length).toBe(before + 1)
        const b64 = Buffer.from(value).toString("base64")
        const forms = [Buffer.from(value).toString("hex"), b64.replace(/=+$/, ""), [...value].reverse().join("")]
        for (const encoded of forms) for (const text of [denied.text, stderr]) expect(text.toLowerCase()).not.toContain(encoded.toLowerCase())
      }
    }
  }, 60_000)

  test("a call the hook hands on unchanged reaches the server with the token as the model sent it", async () => {
    // server-everything echoes it; the answer's own redaction masks it there
    expect(await call({ message: TOKEN })).toEqual({ isError: false, text: "Echo: [REDACTED]" })
  }, 60_000)
})
