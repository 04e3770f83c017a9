/**
 * @module test/docker/sample-mutations.property.test
 * Format robustness over every real Toolkit sample (../shared/toolkit-samples, skipped when absent)
 * that is `docker mcp` output: each is printed by the fake docker (its `setOutput`) for the command
 * of its era, as it is and mutated — unknown fields, optional fields missing, keys reordered, CRLF,
 * colour codes, notice / progress / log lines before or after the document, trailing garbage,
 * nothing, non-UTF-8 bytes, a top-level null or other scalar, a cut document, a huge value, more
 * than the 32 MiB stdout cap, a secret in the output or on stderr — and, with fast-check, random
 * stacks of the mutations a terminal adds. The driver must either read what a user would accept
 * (the same server / tool / config names as the unmutated sample) or fail with a ToolkitError
 * naming the command, the detected Toolkit version and a remedy; never another exception, never an
 * empty answer where the output held entries, never a secret or a mangled (`[REDACTED]`) word of
 * its own in the message.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import fc from "fast-check"
import YAML from "yaml"
import { ToolkitError } from "../../src/core/index.ts"
import { createToolkitDriver, type ToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const SAMPLES = resolve(import.meta.dir, "..", "..", "..", "shared", "toolkit-samples")
const present = existsSync(SAMPLES)
const fake = fakeDockers()
const SECRET = "ghp_Zq8vN3kLw2Rt5Yx7Pa9Sd1Fg4Hj6Kl0Mn2Bv"

type Doc = "json" | "yaml"
interface Case {
  file: string
  version: string
  /** argv after `mcp` the fake answers with the mutated sample. */
  cmd: string
  /** The command's text as errors name it. */
  label: string
  /** What the CLI prints: JSON (converted as the CLI does) or the YAML file itself (`config read`). */
  doc: Doc
  /** Keys of the top-level map are names (catalog `registry`, config.yaml): no unknown entry is added there. */
  namedMap?: string
  run: (d: ToolkitDriver) => Promise<unknown>
}

const catalog = (file: string): Case => ({ file, version: "v0.20.0", cmd: "catalog show", label: "docker mcp catalog show", doc: "json", namedMap: "registry", run: (d) => d.catalogShow() })
const CASES: Case[] = [
  catalog("legacy-catalog-minimal.custom-catalog.yaml"),
  catalog("legacy-catalog-remote-server.yaml"),
  catalog("legacy-catalog-entry-playwright-full-fields.yaml"),
  catalog("legacy-catalog-with-config-secrets-env.yaml"),
  { file: "registry.yaml", version: "v0.20.0", cmd: "server ls", label: "docker mcp server ls", doc: "json", namedMap: "registry", run: (d) => d.serversList() },
  { file: "config.yaml", version: "v0.20.0", cmd: "config read", label: "docker mcp config read", doc: "yaml", namedMap: "", run: (d) => d.configGet() },
  { file: "toolsUrl-format.database-server.tools.json", version: "v0.20.0", cmd: "tools ls", label: "docker mcp tools ls", doc: "json", run: (d) => d.toolsList() },
  { file: "server-entry.file-ref.json", version: "v0.43.3", cmd: "catalog server inspect", label: "docker mcp catalog server inspect", doc: "json", run: (d) => d.serverInspect("my-mcp") },
  { file: "server-entry.file-ref.yaml", version: "v0.43.3", cmd: "catalog server inspect", label: "docker mcp catalog server inspect", doc: "json", run: (d) => d.serverInspect("my-mcp") },
]

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
const isObj = (v: Json): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v)
/** Rewrites every object (not the name-keyed map at `namedMap`, whose keys are entries). */
function everyObject(v: Json, f: (o: { [k: string]: Json }) => { [k: string]: Json }, namedMap: string | undefined, path = ""): Json {
  if (Array.isArray(v)) return v.map((x) => everyObject(x, f, namedMap, path))
  if (!isObj(v)) return v
  const inner = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, everyObject(x, f, namedMap, path === "" ? k : `${path}.${k}`)]))
  return path === namedMap || (namedMap === "" && path === "") ? inner : f(inner)
}
const names = (v: unknown): string[] => {
  const list = Array.isArray(v) ? v : isObj(v as Json) && Array.isArray((v as { servers?: unknown }).servers) ? (v as { servers: unknown[] }).servers : undefined
  if (list) return list.map((x) => (x as { name: string }).name).sort()
  if (isObj(v as Json) && "tools" in (v as object)) return [String((v as { name?: string }).name)]
  return Object.keys(v as object).sort()
}
const isEmptyAnswer = (v: unknown): boolean => names(v).length === 0

/** Structural mutations: the document stays one the CLI could print. */
const STRUCTURAL: Record<string, (doc: Json, c: Case) => Json> = {
  asIs: (d) => d,
  unknownFields: (d, c) => everyObject(d, (o) => ({ zzFutureField: { nested: [1, "x"] }, ...o, policy: { allowed: true } }), c.namedMap),
  reorderedKeys: (d, c) => everyObject(d, (o) => Object.fromEntries(Object.entries(o).reverse()), c.namedMap),
  // every field but a name (and the maps / lists that hold the named entries) missing below the top
  optionalMissing: (d, c) => everyObject(d, (o) => Object.fromEntries(Object.entries(o).filter(([k, v]) => k === "name" || k === "registry" || k === "servers" || k === "inputSchema" || (c.doc === "yaml" && isObj(v)))), c.namedMap),
}
const print = (doc: Json, c: Case): string => (c.doc === "json" ? `${JSON.stringify(doc, null, 2)}\n` : YAML.stringify(doc))

/** What a terminal or a chatty CLI adds around a document: every one must still be read. */
const WRAPPERS: Record<string, (t: string) => string> = {
  crlf: (t) => t.replace(/\n/g, "\r\n"),
  bom: (t) => `\ufeff${t}`,
  colourReset: (t) => `\u001b[0m${t.replace(/\n/g, "\u001b[0m\n")}`,
  colouredLines: (t) => t.split("\n").map((l) => (l ? `\u001b[32m${l}\u001b[0m` : l)).join("\n"),
  warningBefore: (t) => `WARNING: the docker-mcp plugin is outdated\n\u001b[36mTip:\u001b[0m run docker mcp --help\n${t}`,
  warningAfter: (t) => `${t}\u001b[33mWARNING:\u001b[0m the Desktop integration is off\n`,
  updateNotice: (t) => `A new version of docker-mcp is available: v0.44.0\n${t}`,
}
/** Lines a JSON command may print around its document (not data in a YAML file). */
const JSON_WRAPPERS: Record<string, (t: string) => string> = {
  progressRedrawn: (t) => `Pulling catalog 10%\rPulling catalog 100%\n${t}`,
  spinnerLines: (t) => `⠋ Pulling mcp/docker-mcp-catalog\n⠙ Pulling mcp/docker-mcp-catalog\n${t}`,
  bracketLogs: (t) => `[INFO] reading the catalog\n${t}[WARN] done\n`,
  logrusLine: (t) => `time="2026-12-07T10:00:00Z" level=warning msg="catalog is stale"\n${t}`,
  lowercaseWarning: (t) => `warning: the catalog is older than 12h\n${t}`,
}

/** Outputs that need not be read, but must fail clearly. */
const HOSTILE: Record<string, (t: string, c: Case) => string | Uint8Array> = {
  trailingGarbage: (t) => `${t}}}garbage\u0000\u0001`,
  nothing: () => "",
  blankLines: () => "\n\n  \n",
  onlyColour: () => "\u001b[0m\u001b[2K\n",
  nonUtf8Bytes: (t) => Uint8Array.from([...Buffer.from(t.slice(0, t.length >> 1)), 0xff, 0xfe, 0xc3, ...Buffer.from(t.slice(t.length >> 1))]),
  latin1Text: (t) => Uint8Array.from(Buffer.from(t.replace(/(description["']?: ?["']?)/, "$1caf\u00e9 "), "latin1")),
  nulByte: (t) => t.replace(/\n/, "\n\u0000"),
  topLevelNull: () => "null\n",
  topLevelEmptyObject: () => "{}\n",
  topLevelEmptyList: () => "[]\n",
  topLevelString: () => '"ok"\n',
  topLevelNumber: () => "42\n",
  cutInHalf: (t) => t.slice(0, Math.floor(t.length * 0.6)),
  anotherJsonDocumentBefore: (t) => `{"level":"warn","msg":"stale"}\n${t}`,
  hugeValue: (t, c) => (c.doc === "json" ? t.replace(/"(description|name)": "/, `"$1": "${"x".repeat(4_000_000)}`) : t),
  overStdoutCap: (t) => t + " ".repeat(33 * 1024 * 1024),
  secretInOutput: (t, c) => print(everyObject(parse(t, c), (o) => ({ ...o, api_token: SECRET }), c.namedMap), c),
  secretAsText: () => `Error: cannot read config: GITHUB_TOKEN=${SECRET}\n`,
}
/** A document that is empty may be read as the empty answer it is (Go's `null` list, an empty config.yaml). */
const MAY_BE_EMPTY = new Set(["nothing", "blankLines", "onlyColour", "topLevelNull", "topLevelEmptyObject", "topLevelEmptyList"])

function parse(t: string, c: Case): Json {
  return (c.file.endsWith(".json") ? JSON.parse(t) : YAML.parse(t)) as Json
}

interface Outcome {
  value?: unknown
  error?: ToolkitError
}
async function outcome(c: Case, d: ToolkitDriver, f: ReturnType<typeof fake>, stdout: string | Uint8Array, o: { stderr?: string; exit?: number } = {}): Promise<Outcome> {
  f.setOutput(c.cmd, { stdout, ...o })
  try {
    return { value: await c.run(d) }
  } catch (e) {
    // anything but a ToolkitError is a crash
    expect(e, String(e)).toBeInstanceOf(ToolkitError)
    return { error: e as ToolkitError }
  }
}

/** A clear error: the command, the detected version, a remedy; nothing secret, none of its own words masked. */
function expectClear(err: ToolkitError, c: Case, what: string, secretShown: boolean): void {
  const text = `${err.message}\n${err.remedy ?? ""}`
  expect(err.message, what).toContain(c.label)
  expect(err.message, what).toContain(c.version)
  expect(err.remedy?.length ?? 0, what).toBeGreaterThan(20)
  expect(`${text}\n${JSON.stringify(err.details ?? {})}`, what).not.toContain(SECRET)
  if (!secretShown) expect(text, `${what}: ${text}`).not.toContain("[REDACTED]")
}

describe.skipIf(!present)("every real Toolkit sample, mutated, is read or refused clearly", () => {
  for (const c of CASES) {
    test(c.file, async () => {
      const f = fake({ version: c.version })
      const d = createToolkitDriver({ env: f.env })
      const doc = parse(readFileSync(join(SAMPLES, c.file), "utf8"), c)
      const base = print(doc, c)
      const want = names((await outcome(c, d, f, base)).value)
      expect(want.length).toBeGreaterThan(0)

      // structural changes and terminal noise: read, the same entries
      const readable: Record<string, string> = {}
      for (const [s, mut] of Object.entries(STRUCTURAL)) readable[s] = print(mut(doc, c), c)
      for (const [w, wrap] of Object.entries(WRAPPERS)) readable[w] = wrap(base)
      if (c.doc === "json") for (const [w, wrap] of Object.entries(JSON_WRAPPERS)) readable[w] = wrap(base)
      for (const [what, out] of Object.entries(readable)) {
        const r = await outcome(c, d, f, out)
        expect(r.error?.message, `${c.file} ${what}`).toBeUndefined()
        expect(names(r.value), `${c.file} ${what}`).toEqual(want)
      }

      // hostile output: read (never as an empty answer unless it is one) or a clear error
      for (const [what, mut] of Object.entries(HOSTILE)) {
        const r = await outcome(c, d, f, mut(base, c))
        if (r.error) expectClear(r.error, c, `${c.file} ${what}`, what.startsWith("secret"))
        else {
          if (!MAY_BE_EMPTY.has(what)) expect(isEmptyAnswer(r.value), `${c.file} ${what}: read as an empty answer`).toBe(false)
          expect(JSON.stringify(r.value).includes(SECRET) && what === "secretAsText", `${c.file} ${what}`).toBe(false)
        }
      }

      // a failure whose stderr holds a secret, with the document on stdout
      const failed = await outcome(c, d, f, base, { stderr: `Error: bad credentials api_token=${SECRET}\n`, exit: 1 })
      expect(failed.error, c.file).toBeDefined()
      expectClear(failed.error as ToolkitError, c, `${c.file} failing`, true)
    }, 180_000)
  }

  // random stacks of structural changes and terminal noise, in any order: always read, same entries
  test("random stacks of mutations over random samples are read (fast-check)", async () => {
    const drivers = new Map<Case, { d: ToolkitDriver; f: ReturnType<typeof fake>; doc: Json; want: string[] }>()
    const arb = fc.record({
      c: fc.constantFrom(...CASES),
      s: fc.constantFrom(...Object.keys(STRUCTURAL)),
      ws: fc.array(fc.constantFrom(...Object.keys(WRAPPERS), ...Object.keys(JSON_WRAPPERS)), { minLength: 1, maxLength: 4 }),
    })
    await fc.assert(
      fc.asyncProperty(arb, async ({ c, s, ws }) => {
        let ctx = drivers.get(c)
        if (!ctx) {
          const f = fake({ version: c.version })
          const d = createToolkitDriver({ env: f.env })
          const doc = parse(readFileSync(join(SAMPLES, c.file), "utf8"), c)
          ctx = { d, f, doc, want: names((await outcome(c, d, f, print(doc, c))).value) }
          drivers.set(c, ctx)
        }
        // JSON-only noise is not printed around a YAML file
        const usable = ws.filter((w) => w in WRAPPERS || c.doc === "json")
        // CRLF first or last: both are what a Windows terminal may give
        const text = usable.reduce((t, w) => (WRAPPERS[w] ?? JSON_WRAPPERS[w])!(t), print(STRUCTURAL[s]!(ctx.doc, c), c))
        const r = await outcome(c, ctx.d, ctx.f, text)
        expect(r.error?.message, `${c.file} ${s} ${usable.join("+")}`).toBeUndefined()
        expect(names(r.value), `${c.file} ${s} ${usable.join("+")}`).toEqual(ctx.want)
      }),
      { numRuns: 40, seed: 355 },
    )
  }, 300_000)
})
