/**
 * @module test/plugins/oversized-values
 * A hostile plugin hands back values far over what the host takes: a 30 M-character route `deny`
 * or argument, an Error with a 30 M-character message, name or stack, a prompt rendering 30 M
 * characters. The engine's own JSON write and error dump copy such a string in one native step the
 * deadline never sees (so does a console line of such a value): the watchdog killed the worker, a killed `route` hook refused every later
 * call (fail closed) with "no answer within 51 ms", not the limit. Each is now a fault of its own
 * call that names the plugin file and the limit (or the message, cut), and the next call is routed
 * by the same rules; a console line of such a value says it is too large. Also: a prompt's required argument named like an Object.prototype member
 * (`toString`) is missing when left out (a plain object's lookup found the inherited function).
 *
 * Through the binary, a real SDK Client, server-everything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

// made once, at load, by cheap native steps (30 copies of 1 M characters appended: repeat builds at
// most 4 M characters): the hooks only hand it on
const PLUGIN = `const Y = "y".repeat(1e6)
let BIG = Y
for (let i = 1; i < 30; i++) BIG += Y
const big = () => BIG
export default {
  name: "oversized",
  route(call) {
    const m = call.args.mode
    if (m === "deny") return { deny: big() }
    if (m === "args") return { args: { message: big() } }
    if (m === "message") throw new Error(big())
    if (m === "name") { const e = new Error("x"); e.name = big(); throw e }
    if (m === "stack") { const e = new Error("short"); e.stack = big(); throw e }
    if (m === "string") throw "z" + big()
    if (m === "log") console.log("logged:", [big()], new Map([["k", big()]]))
    if (m === "repeat") { const a = "y".repeat(30e6); const b = "y".repeat(30e6) }
    if (m === "padStart") { const a = "y".padStart(30e6, "ab"); const b = "y".padStart(30e6, "ab") }
    if (m === "padEnd") { const a = "y".padEnd(30e6); const b = "y".padEnd(30e6) }
    if (m === "normalize") { const a = BIG.normalize("NFD"); const b = BIG.normalize("NFD") }
    if (m === "escape") { const a = escape(BIG); const b = escape(BIG) }
    if (m === "encodeURIComponent") { const a = encodeURIComponent(BIG); const b = encodeURIComponent(BIG) }
    if (m === "stringify") { const a = JSON.stringify(BIG) }
    if (m === "stringify-list") { const a = JSON.stringify({ k: BIG }, ["k"]) }
    if (m === "toUpperCase") { const a = BIG.toUpperCase(); const b = BIG.toUpperCase() }
    if (m === "replaceAll") { const s = "y".repeat(1e6); const a = s.replaceAll("y", "$\\\`"); const b = s.replaceAll("y", "$\\\`") }
    if (m === "replace") { const a = BIG.replace("y", "$'$'"); const b = BIG.replace("y", "$'$'") }
    if (m === "join") { const a = new Array(16e6).join(); const b = new Array(16e6).join() }
  },
  prompts: [
    { name: "huge", render() { return big() } },
    { name: "small", arguments: [{ name: "toString", required: true }, { name: "x" }], render(a) { return "got " + Object.keys(a).join(",") } },
  ],
}
`

let c: Connected
let file: string
beforeAll(async () => {
  // the hook's deadline well past what building and refusing these values takes on a loaded machine
  // (this file is about the limits' RangeErrors, not deadlines; 50 ms, the default, failed under load)
  ;({ c, file } = await servePlugin("oversized.js", PLUGIN, { plugins: "  routeDeadline: 5000" }))
}, 120_000)
afterAll(() => c?.close())

async function callText(mode?: string): Promise<{ isError: boolean; text: string }> {
  const r = await c.client.callTool({ name: "everything__echo", arguments: { message: "still routed", ...(mode ? { mode } : {}) } })
  return { isError: r.isError === true, text: (r.content as Array<{ text?: string }>).map((b) => b.text ?? "").join("\n") }
}

describe("a hook's oversized result or thrown value", () => {
  for (const [mode, says] of [
    ["deny", /result: the value is over 8388608 characters of JSON/],
    ["args", /result: the value is over 8388608 characters of JSON/],
    ["message", /Error: y{100}/],
    ["name", /: y{100}/],
    ["stack", /Error: short/],
    ["string", /threw "zy{100}/],
  ] as const) {
    test(`${mode}: a fault of that call naming the file; the next call is routed as before`, async () => {
      const r = await callText(mode)
      expect(r.isError).toBe(true)
      expect(r.text).toContain(`Plugin "oversized" (${file}`)
      expect(r.text).toMatch(says)
      expect(r.text).not.toContain("watchdog")
      expect(r.text.length).toBeLessThan(10_000)
      const next = await callText()
      expect(next).toEqual({ isError: false, text: "Echo: still routed" })
    }, 60_000)
  }

  // each builds its string char by char in one native step (~150 ms for 30 M, twice): the watchdog
  // killed the worker and turned the plugin off, so every later call was refused
  for (const [mode, says] of [
    ["repeat", "String.repeat would build 30000000 characters, refused by the sandbox (limit 4194304)"],
    ["padStart", "String.padStart would build 30000000 characters, refused by the sandbox (limit 4194304)"],
    ["padEnd", "String.padEnd would build 30000000 characters, refused by the sandbox (limit 4194304)"],
    ["normalize", "String.normalize of 30000000 characters refused by the sandbox (limit 1048576)"],
    ["escape", "escape of 30000000 characters refused by the sandbox (limit 1048576)"],
    ["encodeURIComponent", "encodeURIComponent of 30000000 characters refused by the sandbox (limit 1048576)"],
    ["stringify", "JSON.stringify would write over 8388608 characters, refused by the sandbox (limit 8388608)"],
    ["stringify-list", "JSON.stringify would write over 8388608 characters, refused by the sandbox (limit 8388608)"],
    ["toUpperCase", "a case mapping would build 90000000 characters, refused by the sandbox (limit 4194304)"],
    ["replaceAll", "String.replaceAll's replacements would build 4194855 characters, refused by the sandbox (limit 4194304)"],
    ["replace", "String.replace's replacements would build 59999997 characters, refused by the sandbox (limit 4194304)"],
    ["join", "Array.join on length 16000000 refused by the sandbox (limit 4194304)"],
  ] as const) {
    test(`a native ${mode} of a huge string: a RangeError of that call naming the file and the limit; the next call is routed`, async () => {
      const r = await callText(mode)
      expect(r.isError).toBe(true)
      expect(r.text).toContain(`Plugin "oversized" (${file}`)
      expect(r.text).toContain(`RangeError: ${says}`)
      expect(r.text).not.toContain("watchdog")
      expect(await callText()).toEqual({ isError: false, text: "Echo: still routed" })
    }, 60_000)
  }

  test("a console line of an array and a Map holding 30 M characters: logged as too large, the call routed", async () => {
    expect(await callText("log")).toEqual({ isError: false, text: "Echo: still routed" })
    const line = '"msg":"logged: [a value over 1048576 characters of JSON, not logged] [a value over 1048576 characters of JSON, not logged]"'
    for (let i = 0; i < 500 && !c.stderr().includes(line); i++) await Bun.sleep(10)
    expect(c.stderr()).toContain(line)
  }, 60_000)

  test("a prompt rendering 30 M characters fails alone; the plugin's other prompt renders", async () => {
    const e = await c.client.getPrompt({ name: "huge" }).then(() => undefined, (x: Error) => x.message)
    expect(e).toMatch(/oversized\.js:\d+\) failed in hook prompt: result: the value is over 8388608 characters of JSON/)
    const ok = await c.client.getPrompt({ name: "small", arguments: { toString: "t" } })
    expect(ok.messages[0]?.content).toEqual({ type: "text", text: "got toString" })
  }, 60_000)
})

describe("prompt arguments named like Object.prototype members", () => {
  test("a required argument named toString is missing when left out", async () => {
    const e = await c.client.getPrompt({ name: "small", arguments: { x: "1" } }).then(() => undefined, (x: Error) => x.message)
    expect(e).toContain('Prompt "small": missing required argument "toString". Arguments: toString, x?.')
  }, 60_000)
})
