/**
 * @module test/plugins/native-expansion
 * A hostile `route` hook expands a long string or array one element at a time in a single native
 * step (`[...s]`, `Array.from(s)`, `s.split("")`, `[...new Uint8Array(3e7)]`,
 * `Array.from({ length: 4e6 })`, `Object.keys(s)`, `new Array(4e6).fill(0)`): each ran past the
 * deadline and the watchdog's grace, a kill that turned the plugin off (every later call refused).
 * Each is now a fault of that call (a timeout, or a RangeError naming the limit), and the next call
 * is routed; short values give the same results as before. And `JSON.stringify(v, null, 10)`
 * counts its indentation toward its budget (it wrote over 8 M characters unrefused).
 *
 * Through the binary, a real SDK Client, server-everything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { servePlugin } from "../helpers/plugin-serve.ts"

const PLUGIN = `export default {
  name: "expand",
  route(call) {
    const m = call.args.mode
    const s = () => "y".repeat(4e6)
    if (m === "spread") return { deny: String([...s()].length) }
    if (m === "from") return { deny: String(Array.from(s()).length) }
    if (m === "split") return { deny: String(s().split("").length) }
    if (m === "split-y") return { deny: String(s().split("y").length) }
    if (m === "typed") return { deny: String([...new Uint8Array(3e7)].length) }
    if (m === "keys-iter") return { deny: String([...Array(1e8).keys()].length) }
    if (m === "array-like") return { deny: String(Array.from({ length: 4e6 }).length) }
    if (m === "keys") return { deny: String(Object.keys(s()).length) }
    if (m === "fill") return { deny: String(new Array(4e6).fill(0).length) }
    if (m === "typed-join") return { deny: String(new Uint8Array(3e7).join().length) }
    if (m === "typed-sort") return { deny: String(new Float64Array(3e6).sort().length) }
    if (m === "small") return { deny: [..."ab\\u{1F600}c"].join("|") + " " + Array.from("xyz", (c, i) => c + i).join() + " " + [...new Uint8Array(3)].join() + " " + "a,b".split(",").length + " " + [...[5, 6].entries()].join(";") + " " + Object.keys("abc").join() + " " + Array.from({ length: 2 }).length + " " + [...[7, 8].keys()].join() + " " + "abc".split("").join("-") + " " + new Uint8Array([3, 1, 2]).sort().join("-") + " " + new Float64Array([2, 1]).toSorted().join() }
  },
}
`

let c: Connected
let file: string
beforeAll(async () => {
  ;({ c, file } = await servePlugin("expand.js", PLUGIN))
}, 120_000)
afterAll(() => c?.close())

async function callText(mode?: string): Promise<{ isError: boolean; text: string }> {
  const r = await c.client.callTool({ name: "everything__echo", arguments: { message: "still routed", ...(mode ? { mode } : {}) } })
  return { isError: r.isError === true, text: (r.content as Array<{ text?: string }>).map((b) => b.text ?? "").join("\n") }
}

describe("a native step expanding a long string or array", () => {
  test("short values: the same results as the engine's own", async () => {
    const r = await callText("small")
    expect(r.text).toContain("a|b|\u{1F600}|c x0,y1,z2 0,0,0 2 0,5;1,6 0,1,2 2 0,1 a-b-c 1-2-3 1,2 [plugin expand]")
  }, 60_000)

  for (const [mode, says] of [
    ["spread", /timeout: deadline exceeded/],
    ["from", /timeout: deadline exceeded/],
    ["split", /timeout: deadline exceeded/],
    ["split-y", /timeout: deadline exceeded/],
    ["typed", /timeout: deadline exceeded/],
    ["keys-iter", /timeout: deadline exceeded/],
    ["array-like", /timeout: deadline exceeded/],
    ["keys", /RangeError: Object\.keys of 4000000 elements refused by the sandbox \(limit 262144\)/],
    ["fill", /RangeError: Array\.fill on length 4000000 refused by the sandbox \(limit 1048576\)/],
    ["typed-join", /RangeError: TypedArray\.join would build 59999999 characters, refused by the sandbox \(limit 4194304\)/],
    ["typed-sort", /RangeError: TypedArray\.sort on length 3000000 refused by the sandbox \(limit 1048576\)/],
  ] as const) {
    test(`${mode}: a fault of that call naming the file, not a kill; the next call is routed`, async () => {
      const r = await callText(mode)
      expect(r.isError).toBe(true)
      expect(r.text).toContain(`Plugin "expand" (${file}`)
      expect(r.text).not.toContain("watchdog")
      expect(r.text).toMatch(says)
      expect(await callText()).toEqual({ isError: false, text: "Echo: still routed" })
    }, 60_000)
  }
})

describe("JSON.stringify with an indentation", () => {
  // 2 100 numbers nested 400 deep: ~5 K characters of JSON, 8.4 M with 10 spaces per level
  const INDENTED = `let v = new Array(2100).fill(1)
for (let i = 0; i < 400; i++) v = [v]
export default { name: "indent", route(call) { return { deny: String(JSON.stringify(v, null, call.args.space).length) } } }
`
  async function run(space: unknown): Promise<string> {
    const env = sandboxEnv()
    const dir = join(env.HOME!, "p")
    mkdirSync(dir)
    writeFileSync(join(dir, "indent.js"), INDENTED)
    // a deadline long enough for the write on a busy machine: what is counted, not how fast
    writeFileSync(join(env.HOME!, "config.yaml"), `toolkit:\n  enabled: "off"\nplugins:\n  routeDeadline: 20000\n`)
    const input = JSON.stringify({ server: "e", tool: "t", args: { space } })
    const p = Bun.spawn([BIN, "plugins", "test", "--config", join(env.HOME!, "config.yaml"), join(dir, "indent.js"), "--hook", "route", "--input", input], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe" })
    const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    return out + err
  }

  test("its indentation counts toward the 8 M budget: refused, naming the limit", async () => {
    for (const space of [10, "\t\t\t\t\t\t\t\t\t\t"]) {
      expect(await run(space)).toContain("RangeError: JSON.stringify would write over 8388608 characters, refused by the sandbox (limit 8388608)")
    }
  }, 120_000)

  test("a value within it is written as before", async () => {
    expect(await run(1)).toContain('"deny": "1010402"')
  }, 120_000)
})
