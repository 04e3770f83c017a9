/**
 * Regression (QA defect 5): config messages that said the wrong thing or too little.
 * - an integer field given 1.5 said "expected a number, got number 1.5": every integer field says
 *   "an integer" (also in its bounds);
 * - a bad proxy.separator showed zod's raw "Invalid string: must match pattern…": every pattern in
 *   the schema states its rule in words, and the message shows the value;
 * - an unset `${env:X}` used as a server command said "expected a non-empty string" without
 *   naming X: a value that failed because a variable was unset names the variable;
 * - a malformed `envFile` got the remedy about `${…}` variables: it gets the dotenv one.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { z } from "zod"
import { ConfigSchema, loadConfig } from "../../src/config/index.ts"
import { ConfigError } from "../../src/core/index.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-messages-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }

type Def = { type: string; checks?: Array<{ _zod: { def: { check: string; format?: string } } }>; [k: string]: unknown }
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def

/** Every schema reachable from `s`, with the config path that leads to it (`*` for a record key or value, `#` for an element). */
function walk(s: z.ZodType, path: string[], visit: (s: z.ZodType, path: string[]) => void): void {
  // (the config schema has no recursion; a schema used in two places is visited at both)
  visit(s, path)
  const d = defOf(s)
  const inner = (x: unknown, p: string[]): void => {
    if (x) walk(x as z.ZodType, p, visit)
  }
  switch (d.type) {
    case "object":
      for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) inner(v, [...path, k])
      break
    case "record":
      inner(d.keyType, [...path, "<key>"])
      inner(d.valueType, [...path, "*"])
      break
    case "array":
      inner(d.element, [...path, "#"])
      break
    case "union":
      for (const o of d.options as z.ZodType[]) inner(o, path)
      break
    case "pipe":
      inner(d.in, path)
      inner(d.out, path)
      break
    default:
      inner(d.innerType, path)
  }
}

const isInt = (d: Def): boolean => d.type === "number" && (d.checks ?? []).some((c) => c._zod.def.check === "number_format" && /int/.test(c._zod.def.format ?? ""))

/** A config (as written in a file) with `value` at `path`; server entries get what their form needs. */
function configWith(path: string[], value: unknown): Record<string, unknown> {
  const concrete = path.map((p) => (p === "*" ? "a" : p === "#" ? 0 : p))
  const root: Record<string, unknown> = {}
  let node: Record<string, unknown> | unknown[] = root
  for (let i = 0; i < concrete.length; i++) {
    const k = concrete[i]!
    const last = i === concrete.length - 1
    const next: Record<string, unknown> | unknown[] = concrete[i + 1] === 0 ? [] : {}
    ;(node as Record<string | number, unknown>)[k] = last ? value : next
    if (!last) node = next
  }
  for (const key of ["servers", "mcpServers"]) {
    const e = (root[key] as Record<string, Record<string, unknown>> | undefined)?.a
    if (e && !("command" in e) && !("url" in e)) {
      if ("auth" in e || "headers" in e || "transport" in e) e.url = "http://127.0.0.1:9/mcp"
      else e.command = "x"
    }
  }
  return root
}

describe("every integer field says integer", () => {
  const ints: string[][] = []
  walk(ConfigSchema, [], (s, p) => {
    if (isInt(defOf(s))) ints.push(p)
  })

  test("the schema has the integer fields we expect to cover", () => {
    const names = ints.map((p) => p.join("."))
    for (const n of ["pool.maxInFlight", "proxy.nameBudget", "codeMode.maxCalls", "servers.*.maxInFlight", "servers.*.auth.redirectPort", "log.callLinesPerSecond"]) expect(names).toContain(n)
  })

  for (const path of ints) {
    const key = path.map((p) => (p === "*" ? "a" : p === "#" ? "0" : p)).join(".")
    test(`${path.join(".")}: 1.5 is "expected an integer"`, () => {
      const p = file(JSON.stringify(configWith(path, 1.5), null, 1), "json")
      const got = problems(() => loadConfig({ configPath: p, env: noEnv }))
      expect(got).toHaveLength(1)
      expect(got[0]).toMatch(new RegExp(`^${key.replace(/\./g, "\\.")} \\(${p.replace(/[.]/g, "\\.")}:\\d+\\): expected an integer, got number 1\\.5$`))
    })
  }

  test("bounds of an integer field say integer too, from the environment as well", () => {
    expect(problems(() => loadConfig({ env: { ...noEnv, MCPO_POOL_MAX_IN_FLIGHT: "0" } }))).toEqual(["pool.maxInFlight (env MCPO_POOL_MAX_IN_FLIGHT): expected an integer >= 1, got number 0"])
    expect(problems(() => loadConfig({ env: { ...noEnv, MCPO_POOL_MAX_IN_FLIGHT: "1.5" } }))).toEqual(["pool.maxInFlight (env MCPO_POOL_MAX_IN_FLIGHT): expected an integer, got number 1.5"])
  })
})

describe("every pattern states its rule in words", () => {
  const regexFields: Array<{ path: string; schema: z.ZodType }> = []
  walk(ConfigSchema, [], (s, p) => {
    const d = defOf(s)
    if (d.type === "string" && (d.checks ?? []).some((c) => c._zod.def.check === "string_format" && c._zod.def.format === "regex")) regexFields.push({ path: p.join("."), schema: s })
  })

  test("the schema's patterns are all found (names, separator, profile…)", () => {
    const paths = regexFields.map((f) => f.path)
    // (tool globs are read by config/tool-glob, which words its own problems: test/surface/filter-globs.test.ts)
    for (const n of ["proxy.separator", "toolkit.profile", "servers.<key>", "toolsets.<key>", "warm.#", "servers.*.toolTimeouts.<key>"]) expect(paths).toContain(n)
  })

  for (const { path, schema } of regexFields) {
    test(`${path}: not zod's "must match pattern"`, () => {
      const r = schema.safeParse("bad value\u0000")
      expect(r.success).toBe(false)
      for (const issue of r.error!.issues) expect(issue.message).not.toMatch(/Invalid string|must match pattern/)
    })
  }

  test("proxy.separator: what is allowed, and the value", () => {
    const p = file('proxy:\n  separator: "::"\n')
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([`proxy.separator (${p}:2): the separator is 1-3 of A-Z a-z 0-9 _ - (it goes into tool names), got "::"`])
    expect(problems(() => loadConfig({ env: { ...noEnv, MCPO_PROXY_SEPARATOR: "a b" } }))[0]).toStartWith("proxy.separator (env MCPO_PROXY_SEPARATOR): the separator is 1-3 of")
  })
})

describe("a value made of an unset variable names the variable", () => {
  test("command", () => {
    const p = file('servers:\n  a:\n    command: "${env:MCPO_TEST_SURELY_UNSET_CMD}"\n')
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))).toEqual([
      `servers.a.command (${p}:3): expected a non-empty string (\${env:MCPO_TEST_SURELY_UNSET_CMD} is not set in the environment and resolved to "")`,
    ])
  })
  test("url and cwd too; a set variable adds nothing", () => {
    const p = file('servers:\n  r:\n    url: "${BASE_URL_UNSET}${env:PATH_UNSET}"\n  s:\n    command: x\n    cwd: "${env:SET_ONE}"\n    args: [1]\n')
    expect(problems(() => loadConfig({ configPath: p, env: { ...noEnv, SET_ONE: "/tmp" } }))).toEqual([
      `servers.r.url (${p}:3): expected an http:// or https:// URL (\${BASE_URL_UNSET}, \${env:PATH_UNSET} are not set in the environment and resolved to "")`,
      `servers.s.args.0 (${p}:7): expected a string, got number 1`,
    ])
  })
})

describe("envFile problems get the dotenv remedy, variable problems the variable one", () => {
  const remedy = (fn: () => unknown): string => {
    try {
      fn()
    } catch (e) {
      return (e as ConfigError).remedy ?? ""
    }
    throw new Error("expected a ConfigError")
  }
  test("a malformed envFile", () => {
    file("A=1\nthis is not a line\n", "env", "bad.env")
    const p = file("servers:\n  a:\n    command: x\n    envFile: bad.env\n")
    const r = remedy(() => loadConfig({ configPath: p, env: noEnv }))
    expect(r).toContain("KEY=VALUE")
    expect(r).not.toContain("known variable")
  })
  test("a missing envFile is no config error (its server fails to start, with the remedy: test/config/env-file-runtime.test.ts)", () => {
    const p = file("servers:\n  a:\n    command: x\n    envFile: nope.env\n")
    expect(loadConfig({ configPath: p, env: noEnv }).warnings!.join("\n")).toContain("nope.env (ENOENT: no such file)")
  })
  test("an unknown variable; both kinds: both remedies", () => {
    const p = file('servers:\n  a:\n    command: "${nope:x}"\n')
    const r = remedy(() => loadConfig({ configPath: p, env: noEnv }))
    expect(r).toContain("known variable")
    expect(r).not.toContain("KEY=VALUE")
    file("A=1\nthis is not a line\n", "env", "bad2.env")
    const q = file('servers:\n  a:\n    command: "${nope:x}"\n  b:\n    command: y\n    envFile: bad2.env\n')
    const both = remedy(() => loadConfig({ configPath: q, env: noEnv }))
    expect(both).toContain("known variable")
    expect(both).toContain("KEY=VALUE")
  })
})
