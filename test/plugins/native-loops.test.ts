/**
 * @module test/plugins/native-loops
 * A hostile `route` hook runs a native loop whose cost is the size of its input, which the deadline
 * never sees: a global RegExp's replace / match / matchAll / split over a long string (one native
 * step per match, a function replacer called from it), a string replaceAll with a function
 * replacer, and typed arrays built from or copying a large source (`Uint8Array.from({ length: 3e7
 * })`, `new Uint8Array(3e7).reverse()`). Each was a watchdog kill that turned the plugin off; each is
 * now a fault of that call (a timeout, or a RangeError naming the limit). And the guest versions
 * of the RegExp loops give the results the language specifies (compared with Bun's own engine).
 *
 * Through the binary (`plugins test`), as a user reproduces a fault.
 */
import { describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, sandboxEnv } from "../helpers/binary.ts"

/** Output of `plugins test FILE --hook route` for a plugin whose route hook returns { deny: body }. */
async function routeOutput(body: string, args: Record<string, unknown>, config = ""): Promise<string> {
  const env = sandboxEnv()
  const dir = join(env.HOME!, "p")
  mkdirSync(dir)
  const file = join(dir, "loops.js")
  writeFileSync(file, `export default { name: "loops", route(call) { const m = call.args.mode; return { deny: ${body} } } }\n`)
  writeFileSync(join(env.HOME!, "config.yaml"), `toolkit:\n  enabled: "off"\n${config}`)
  const input = JSON.stringify({ server: "e", tool: "t", args })
  const p = Bun.spawn([BIN, "plugins", "test", "--config", join(env.HOME!, "config.yaml"), file, "--hook", "route", "--input", input], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe" })
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return out + err
}

// 1 Mi characters: one match each (a 4 M-character repeat is itself ~0.2 s on a busy machine)
const HOSTILE = `(() => {
  const s = () => "y".repeat(1 << 20)
  if (m === "re-replace") return String(s().replace(/y/g, "z").length)
  if (m === "re-replace-fn") return String(s().replace(/y/g, () => "z").length)
  if (m === "re-split") return String(s().split(/(?:)/).length)
  if (m === "re-match") return String(s().match(/y/g).length)
  if (m === "re-match-all") return String([...s().matchAll(/y/g)].length)
  if (m === "replace-all-fn") return String(s().replaceAll("y", () => "z").length)
  if (m === "typed-from") return String(Uint8Array.from({ length: 3e7 }).length)
  if (m === "typed-new") return String(new Uint8Array({ length: 3e7 }).length)
  if (m === "typed-reverse") return String(new Uint8Array(3e7).reverse().length)
  if (m === "typed-set") { new Uint8Array(8).set({ length: 3e7 }); return "set" }
})()`

describe("a native loop sized by its input", () => {
  for (const [mode, says] of [
    ["re-replace", /timeout: deadline exceeded/],
    ["re-replace-fn", /timeout: deadline exceeded/],
    ["re-split", /timeout: deadline exceeded/],
    ["re-match", /timeout: deadline exceeded/],
    ["re-match-all", /timeout: deadline exceeded/],
    ["replace-all-fn", /timeout: deadline exceeded/],
    ["typed-from", /RangeError: TypedArray\.from of 30000000 elements refused by the sandbox \(limit 1048576\)/],
    ["typed-new", /RangeError: Uint8Array of 30000000 elements refused by the sandbox \(limit 1048576\)/],
    ["typed-reverse", /RangeError: TypedArray\.reverse of 30000000 elements refused by the sandbox \(limit 4194304\)/],
    ["typed-set", /RangeError: TypedArray\.set of 30000000 elements refused by the sandbox \(limit 1048576\)/],
  ] as const) {
    test(`${mode}: a fault of that call, not a watchdog kill`, async () => {
      const out = await routeOutput(HOSTILE, { mode })
      expect(out).not.toContain("watchdog")
      expect(out).toMatch(says)
    }, 60_000)
  }
})

// RegExp loops over a string past 65 536 characters run in guest code: the same results as the
// language's (Bun's engine computes the expected ones from the same source)
const CASES = `(() => {
  const P = "x".repeat(70000), s = P + "ab,cd;;ef gh\\u{1F600}AbC 12-34 foo=bar x=é\\u{1F600}z" + P.slice(0, 10), o = []
  const put = (k, f) => { try { o.push([k, f()]) } catch (e) { o.push([k, "ERR " + e.name]) } }
  put("m1", () => s.match(/[a-c]/gi))
  put("m2", () => s.match(/q/g))
  put("m3", () => s.match(/\\u{1F600}|(?:)/gu).length)
  put("m4", () => s.match(/(\\d+)-(\\d+)/).slice())
  put("ma1", () => [...s.matchAll(/(?<k>fo+)=(?<v>b\\w+)/g)].map((m) => [m[0], m.index, m.groups.k, m[2]]))
  put("ma2", () => [...s.matchAll(/(?:)/gu)].length)
  put("ma3", () => [...s.matchAll(/a/)])
  put("ma4", () => { const r = /a/gi; r.lastIndex = 70001; return [...s.matchAll(r)].map((m) => m.index) })
  put("r1", () => s.replace(/[a-c]/gi, "<$&|$\`|$'>").length)
  put("r2", () => s.replace(/(\\d+)-(\\d+)/g, "$2-$1 $3 $10 $01 $$ $< $0").slice(70000))
  put("r3", () => s.replace(/(?<k>fo+)=(?<v>b\\w+)/g, "$<v>=$<k> $<none>| $<k").slice(70000))
  put("r4", () => s.replace(/(?<k>[a-z])(q)?=/g, (...a) => JSON.stringify(a.map((v) => typeof v === "string" && v.length > 100 ? v.length : v))).slice(70000))
  put("r5", () => s.replace(/(?:)/gu, "-").slice(-40))
  put("r6", () => { const r = /x/g; r.lastIndex = 5; const t = s.replace(r, "y"); return [t.length, r.lastIndex, t.slice(0, 3)] })
  put("r7", () => s.replace(/x/y, "Y").slice(0, 3) + s.replaceAll(/o/g, "0").slice(70000))
  put("r8", () => s.replace(/(a)|(b)/g, "[$1$2]").slice(70000))
  put("r9", () => s.replaceAll("b", (m, i, t) => m + i + t.length).slice(70000))
  put("s1", () => s.split(/[,;]/).map((x) => x.length))
  put("s2", () => s.split(/(;)/).map((x) => x.length))
  put("s3", () => s.split(/(?:)/u).length)
  put("s4", () => s.split(/x*/).length)
  put("s5", () => s.split(/[,;]/, 2).map((x) => x.length))
  put("s6", () => s.split(/(-)|(=)/).slice(1).map((x) => x === undefined ? "U" : x.length))
  put("s7", () => [s.split(/x/y).length, s.split(/$/).length, s.split(/^/m).length, s.split(/z/, 0).length])
  return JSON.stringify(o)
})()`

describe("RegExp loops over a long string in guest code", () => {
  test("the results the language specifies", async () => {
    const expected = JSON.parse(new Function("m", `return ${CASES}`)(undefined))
    // a deadline long enough for ~70 000 steps on a busy machine: what is computed, not how fast
    const out = await routeOutput(CASES, {}, "plugins:\n  routeDeadline: 120000\n")
    const deny = /"deny": (".*")/.exec(out)
    expect(deny, out).not.toBeNull()
    expect(JSON.parse(JSON.parse(deny![1]!))).toEqual(expected)
  }, 240_000)
})
