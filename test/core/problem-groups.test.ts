/**
 * Regression: a config whose 40 server entries shared one mistake (an unknown key each, pasted from
 * one snippet) printed 40 lines of the same text (serve's error, doctor's config row), and a
 * different problem among them was lost. `ConfigError`'s message now says a problem of three or
 * more entries once (`NAME` for each entry's name, the names after it); `problems` keeps every line.
 * Unit level (core/problem-groups) and through the compiled binary (`serve`, `doctor`).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigError, groupProblemLines } from "../../src/core/index.ts"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

const unknown = (name: string, line: number): string => `servers.${name}.colour (/c/config.json:${line}): unknown key; expected one of command, args, env`

describe("groupProblemLines", () => {
  test("three or more entries with one problem: one line naming them; another problem keeps its own line, in place", () => {
    const problems = [unknown("a", 3), "proxy.listWait (/c/config.json:1): expected a duration", unknown("b", 7), unknown("c-1", 11), "servers.d.command (/c/config.json:15): expected a non-empty string", unknown("e", 19)]
    expect(groupProblemLines(problems)).toEqual([
      "servers.NAME.colour (/c/config.json): unknown key; expected one of command, args, env — for 4 servers (NAME): a, b, c-1 and e",
      "proxy.listWait (/c/config.json:1): expected a duration",
      "servers.d.command (/c/config.json:15): expected a non-empty string",
    ])
  })

  test("two entries keep their own lines; many are named up to five, then counted", () => {
    expect(groupProblemLines([unknown("a", 3), unknown("b", 7)])).toEqual([unknown("a", 3), unknown("b", 7)])
    const many = Array.from({ length: 40 }, (_, i) => unknown(`s${i}`, i + 2))
    expect(groupProblemLines(many)).toEqual(["servers.NAME.colour (/c/config.json): unknown key; expected one of command, args, env — for 40 servers (NAME): s0, s1, s2, s3, s4 and 35 more"])
  })

  test("a name inside a longer word is not taken out (server 'a' in 'args')", () => {
    const lines = ["a", "b", "c"].map((n) => `servers.${n}.args (/c/x.yaml:1): expected an array of strings`)
    expect(groupProblemLines(lines)).toEqual(["servers.NAME.args (/c/x.yaml): expected an array of strings — for 3 servers (NAME): a, b and c"])
  })

  test("ConfigError: the message groups, problems keeps every line", () => {
    const many = Array.from({ length: 12 }, (_, i) => unknown(`s${i}`, i + 2))
    const e = new ConfigError(many)
    expect(e.problems).toEqual(many)
    expect(e.message.split("\n")).toHaveLength(2)
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("serve and doctor say a mistake shared by 40 entries once, and the different one among them", async () => {
    const env = sandboxEnv()
    const servers: Record<string, unknown> = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, { command: "node", args: ["-e", "1"], colour: "red" }]))
    servers.odd = { command: "node", timeout: "soon" }
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers }))
    for (const args of [["serve", "--config", cfg], ["doctor", "--config", cfg]]) {
      const p = Bun.spawn([BIN, ...args], { env, cwd: env.HOME, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
      const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
      const text = out + err
      expect(text).toContain("servers.NAME.colour")
      expect(text).toContain("for 40 servers (NAME): s0, s1, s2, s3, s4 and 35 more")
      expect(text).toContain("servers.odd.timeout")
      expect(text.match(/colour/g)?.length ?? 0).toBeLessThan(4)
    }
  }, 60_000)
})
