/**
 * @module test/plugins/deep-values
 * A plugin builds a value nested 3 000 levels deep and writes it: its own JSON.stringify, a hook
 * result, a console argument, a rendered prompt. QuickJS writes nested JSON in time quadratic in its
 * depth (~1.5 s for 3 000 levels), so each ran the hook out of its deadline: a "deadline exceeded"
 * that said nothing of why (or, on a starved machine, a watchdog kill that turns the hook off). Now
 * a write past MAX_JSON_DEPTH (512) levels is refused at once, naming the limit: a RangeError the
 * plugin can catch, a result fault naming the file, a console line saying so. The orchestrator
 * stays up, the plugin stays active with every hook on, and its next call is routed.
 *
 * Through the binary, a real SDK Client, server-everything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

const PLUGIN = `function deep(n) { let o = {}; for (let i = 0; i < n; i++) o = { a: o }; return o }
export default {
  name: "deep",
  route(call) {
    const m = call.args.mode
    if (m === "caught") { try { JSON.stringify(deep(3000)) } catch (e) { return { deny: "caught " + e } } return { deny: "written" } }
    if (m === "uncaught") JSON.stringify(deep(3000))
    if (m === "result") return { args: { message: "x", d: deep(3000) } }
    if (m === "log") { console.log("deep-log", deep(3000)); return { args: { message: "logged" } } }
    if (m === "within") return { deny: "within " + JSON.stringify(deep(250)).length }
  },
  prompts: [{ name: "deep", render() { return JSON.stringify(deep(3000)) } }],
}
`
const REFUSED = "JSON.stringify of a value nesting over 512 levels of arrays and objects, refused by the sandbox (limit 512)"

let c: Connected
let file: string
beforeAll(async () => {
  // deadlines long enough that the write reaches the limit on a slow machine (the refusal, not the
  // clock, is under test; before, 3 000 levels were written in ~1.5 s or ran out the deadline)
  ;({ c, file } = await servePlugin("deep.js", PLUGIN, { plugins: "  routeDeadline: 5000\n  renderDeadline: 5000" }))
}, 120_000)
afterAll(() => c?.close())

async function call(mode: string, message = "hello"): Promise<{ isError: boolean; text: string }> {
  const r = await c.client.callTool({ name: "everything__echo", arguments: { message, mode } })
  return { isError: r.isError === true, text: (r.content as Array<{ text?: string }>).map((b) => b.text ?? "").join("\n") }
}

describe("a value nested 3 000 levels deep, written by a plugin", () => {
  test("its own JSON.stringify: a RangeError the plugin catches, naming the limit", async () => {
    expect(await call("caught")).toEqual({ isError: true, text: `[ROUTE_DENIED] caught RangeError: ${REFUSED} [plugin deep]` })
  }, 60_000)

  test("not caught: the call fails naming the plugin, file:line:column and the limit", async () => {
    const r = await call("uncaught")
    expect(r.isError).toBe(true)
    expect(r.text).toContain(`Plugin "deep" (${file}:7:`)
    expect(r.text).toContain(`failed in hook route: RangeError: ${REFUSED}`)
  }, 60_000)

  test("as a hook result: a result fault naming the plugin, the file and the limit", async () => {
    const r = await call("result")
    expect(r.isError).toBe(true)
    expect(r.text).toContain(`Plugin "deep" (${file}:`)
    expect(r.text).toContain("failed in hook route: result: the value nests over 512 levels of arrays and objects, more than a result may")
  }, 60_000)

  test("as a console argument: the line says so, the call goes on", async () => {
    expect(await call("log")).toEqual({ isError: false, text: "Echo: logged" })
    const line = `"msg":"deep-log [a value nesting over 512 levels of arrays and objects, not logged]"`
    for (let i = 0; i < 500 && !c.stderr().includes(line); i++) await Bun.sleep(10)
    expect(c.stderr()).toContain(line)
  }, 60_000)

  test("a rendered prompt: prompts/get fails naming the plugin, the file and the limit", async () => {
    const e = await c.client.getPrompt({ name: "deep" }).then(() => undefined, (x: unknown) => String(x))
    expect(e).toContain(`Plugin "deep" (${file}:`)
    expect(e).toContain(REFUSED)
  }, 60_000)

  test("within the limit it is written; the plugin stays active with every hook on and routes the next call", async () => {
    expect(await call("within")).toEqual({ isError: true, text: `[ROUTE_DENIED] within ${"{\"a\":".length * 250 + 2 + 250} [plugin deep]` })
    expect(await call("none")).toEqual({ isError: false, text: "Echo: hello" })
    const st = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    const plugins = (st.structuredContent as { plugins?: Array<{ name: string; state: string; hooksOff?: unknown }> }).plugins ?? []
    const p = plugins.find((x) => x.name === "deep")
    expect(p?.state).toBe("active")
    expect(p?.hooksOff).toBeUndefined()
  }, 60_000)
})
