/**
 * @module test/docker/argv.property.test
 * fast-check (≥ 10,000 runs): for arbitrary names/keys/values every argv builder either rejects
 * the input or emits argv where no user value sits where pflag parses a flag; golden argv.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { ToolkitError } from "../../src/core/index.ts"
import { argv, makeEraInfo } from "../../src/docker/index.ts"

/** Flags our code may emit, written here independently of the builders. */
const FIXED_FLAGS = new Set(["--json", "--format", "--pull", "--get-all", "--long-lived", "--profile"])
const VALUE_FLAGS = new Set(["--format", "--pull", "--profile"])
const GLUED = ["--set=", "--server=catalog://", "--name=", "--filter=profile=", "--id=", "--gateway-arg=--profile=", "--profile=", "--catalog=", "--catalog-server="]
const WORDS = new Set(["mcp", "version", "profile", "list", "ls", "show", "create", "server", "add", "remove", "config", "catalog", "catalog-next", "pull", "inspect", "tools", "gateway", "run", "enable", "disable", "read", "write", "secret", "json", "missing", "servers"])

/** Walks argv like pflag: before `--`, every `-` token must be a fixed flag; returns the positional user slots. */
function checkFlagSafety(args: readonly string[], user: readonly string[]): void {
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i] as string
    if (a === "--") break
    expect(a.includes("\u0000")).toBe(false)
    if (a.startsWith("-")) {
      const glued = GLUED.find((g) => a.startsWith(g))
      if (glued) continue
      expect(FIXED_FLAGS.has(a)).toBe(true)
      if (VALUE_FLAGS.has(a)) {
        const v = args[++i] as string
        // the value of --profile is a validated id; the others are fixed words
        expect(v.startsWith("-")).toBe(false)
        if (a !== "--profile") expect(WORDS.has(v)).toBe(true)
      }
      continue
    }
    // a bare word before `--` is a fixed command word (user values only follow `--` or a flag)
    expect(WORDS.has(a)).toBe(true)
  }
  const afterDash = args.slice(i + 1)
  for (const u of user) {
    const placed = afterDash.includes(u) || args.some((a) => GLUED.some((g) => a.startsWith(g) && a.includes(u))) || args.includes(u)
    expect(placed).toBe(true)
  }
}

const hostile = fc.constantFrom(
  "--gateway-arg=--interceptor=before:exec:/bin/sh -c id",
  "--block-secrets=false",
  "-x",
  "--",
  "a,b",
  "a=b",
  "a b",
  "",
  "\u0000",
  "--profile",
  "-",
  "../etc",
  "duckduckgo\n--json",
  "ok-name",
  "SQLite",
  "a".repeat(64),
  "a".repeat(65),
)
const nameArb = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), hostile)
const valueArb = fc.oneof(fc.string(), fc.jsonValue(), hostile)

const ERAS = [makeEraInfo("v0.28.0", "profiles"), makeEraInfo("v0.30.0", "profiles"), makeEraInfo("v0.43.3", "profiles")]

type Build = (n: string, k: string, v: unknown, p: string) => { args: string[]; user: string[] }
const BUILDERS: Record<string, Build> = {
  "legacy enable": (n) => ({ args: argv.legacy.enable(n), user: [n] }),
  "legacy disable": (n) => ({ args: argv.legacy.disable(n), user: [n] }),
  "legacy inspect": (n) => ({ args: argv.legacy.inspect(n), user: [n] }),
  "legacy catalog show": (n) => ({ args: argv.legacy.catalogShow(n), user: [n] }),
  "profile show": (_n, _k, _v, p) => ({ args: argv.profiles.show(p), user: [p] }),
  "profile disable": (n, _k, _v, p) => ({ args: argv.profiles.disable(p, n), user: [p, n] }),
  "profile create": (_n, _k, _v, p) => ({ args: argv.profiles.create(p, p), user: [p] }),
  "profile config set": (n, k, v, p) => ({ args: argv.profiles.configSet(p, n, k, v), user: [p, n, k] }),
  "profile config get": (_n, _k, _v, p) => ({ args: argv.profiles.configGetAll(p), user: [p] }),
  "tools ls": (_n, _k, _v, p) => ({ args: argv.profiles.toolsList(p), user: [p] }),
  gateway: (_n, _k, _v, p) => ({ args: argv.profiles.gateway(p), user: [p] }),
  ...Object.fromEntries(
    ERAS.flatMap((e) => [
      [`profile server ls ${e.version}`, ((_n, _k, _v, p) => ({ args: argv.profiles.serversList(e, p), user: [p] })) as Build],
      [`profile enable ${e.version}`, ((n, _k, _v, p) => ({ args: argv.profiles.enable(e, p, n), user: [p, n] })) as Build],
      [`oci show ${e.version}`, ((n) => ({ args: argv.profiles.catalogShow(e, n), user: [n] })) as Build],
      [`oci pull ${e.version}`, ((n) => ({ args: argv.profiles.catalogPull(e, n), user: [n] })) as Build],
      [`oci inspect ${e.version}`, ((n) => ({ args: argv.profiles.inspect(e, n), user: [n] })) as Build],
    ]),
  ),
}

/** Independent safety rule for an accepted name. */
const safeName = (s: string): boolean => s.length > 0 && !s.startsWith("-") && !/[\s,=\u0000]/.test(s)

describe("argv builders (fast-check)", () => {
  test("no user value in a flag position; invalid names rejected (10,000 runs)", () => {
    fc.assert(
      fc.property(nameArb, nameArb, valueArb, nameArb, (name, key, value, profile) => {
        for (const [label, build] of Object.entries(BUILDERS)) {
          let built: { args: string[]; user: string[] } | undefined
          try {
            built = build(name, key, value, profile)
          } catch (e) {
            expect(e).toBeInstanceOf(ToolkitError)
            expect(["INVALID_NAME", "INVALID_VALUE"]).toContain((e as ToolkitError).code)
            continue
          }
          for (const u of built.user) expect({ label, ok: safeName(u) }).toEqual({ label, ok: true })
          checkFlagSafety(built.args, built.user)
        }
      }),
      { numRuns: 10_000 },
    )
  })

  test("legacy config write: the whole YAML is one positional after --", () => {
    fc.assert(
      fc.property(fc.string(), (yaml) => {
        if (yaml.includes("\u0000")) return expect(() => argv.legacy.configWrite(yaml)).toThrow()
        const a = argv.legacy.configWrite(yaml)
        expect(a).toEqual(["mcp", "config", "write", "--", yaml])
      }),
      { numRuns: 1_000 },
    )
  })

  test("golden argv", () => {
    const e43 = makeEraInfo("v0.43.3", "profiles")
    const e30 = makeEraInfo("v0.30.0", "profiles")
    expect(argv.profiles.enable(e43, "default", "github-official")).toEqual(["mcp", "profile", "server", "add", "--server=catalog://mcp/docker-mcp-catalog/github-official", "--", "default"])
    // v0.28 (qa332): catalog servers by --catalog/--catalog-server, servers by `profile servers`, show without --pull
    const e28 = makeEraInfo("v0.28.0", "profiles")
    expect(argv.profiles.enable(e28, "default", "github-official")).toEqual(["mcp", "profile", "server", "add", "--catalog=mcp/docker-mcp-catalog", "--catalog-server=github-official", "--", "default"])
    expect(argv.profiles.serversList(e28, "dev")).toEqual(["mcp", "profile", "servers", "--format", "json", "--profile=dev"])
    expect(argv.profiles.catalogShow(e28)).toEqual(["mcp", "catalog-next", "show", "--format", "json", "--", "mcp/docker-mcp-catalog"])
    expect(argv.profiles.configSet("dev", "filesystem", "paths", ["/a", "b,c"])).toEqual(["mcp", "profile", "config", '--set=filesystem.paths=["/a","b,c"]', "--", "dev"])
    expect(argv.profiles.catalogShow(e43)).toEqual(["mcp", "catalog", "show", "--format", "json", "--pull", "missing", "--", "mcp/docker-mcp-catalog"])
    expect(argv.profiles.catalogShow(e30)[1]).toBe("catalog-next")
    expect(argv.profiles.toolsList("default")).toEqual(["mcp", "tools", "ls", "--format", "json"])
    expect(argv.profiles.toolsList("dev")).toEqual(["mcp", "tools", "ls", "--format", "json", "--gateway-arg=--profile=dev"])
    expect(argv.legacy.catalogShow()).toEqual(["mcp", "catalog", "show", "--format", "json", "--", "docker-mcp"])
    expect(argv.profiles.gateway("dev")).toEqual(["mcp", "gateway", "run", "--profile", "dev", "--long-lived"])
  })
})
