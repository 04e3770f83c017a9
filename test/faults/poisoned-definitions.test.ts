/**
 * Tool poisoning through every string of a definition (QA report item 13): a hostile downstream
 * (servers/poisoned-definitions-server.ts) hides a tag-character payload, zero-width characters and
 * bidi controls in prose, in schema illustrations (`default`, `examples`, `$comment`) and in values
 * its server matches exactly (enum/const members, property names, `pattern`, prompt argument names,
 * resource URIs and URI templates). Through the compiled binary, no invisible code point reaches
 * the client in any answer a model reads — tools/list (stdio and HTTP, legacy and 2026-07-28 era),
 * run_code's signatures, describe_tools, search_tools, prompts/list, resources/list,
 * resources/templates/list, orchestrator_status — and no cut text holds half a surrogate pair. Prose
 * is cleaned and its items kept (and callable); an item poisoned in an exact value is withheld,
 * named in a warning and in orchestrator_status.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"
import { modernPost, MODERN } from "../modern/http-post.ts"

const HOSTILE = join(import.meta.dir, "servers", "poisoned-definitions-server.ts")
const TOKEN = `PoisonTok${"7".repeat(32)}`

/** Every invisible code point (the fixture uses no emoji sequence that would keep a selector or joiner). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu

/** The invisible code points in every string (and key) of `v`, as U+XXXX. */
function hidden(v: unknown): string[] {
  const text = typeof v === "string" ? v : JSON.stringify(v)
  return [...new Set([...text.matchAll(INVISIBLE)].map((m) => `U+${m[0].codePointAt(0)!.toString(16).toUpperCase()}`))]
}

/** Strings (and keys) of `v` holding half a surrogate pair or the replacement character it turns into. */
function brokenText(v: unknown): string[] {
  const out: string[] = []
  const walk = (x: unknown): void => {
    if (typeof x === "string") {
      if (!x.isWellFormed() || x.includes("\uFFFD")) out.push(x)
    } else if (Array.isArray(x)) x.forEach(walk)
    else if (x !== null && typeof x === "object")
      for (const [k, y] of Object.entries(x)) {
        walk(k)
        walk(y)
      }
  }
  walk(v)
  return out
}

const KEPT_TOOLS = ["hostile__long_emoji", "hostile__strip_me"]
const WITHHELD = ["prompt:poison_argument", "resource:hostile://secret", "template:hostile://p/{id}", "tool:poison_const", "tool:poison_deep", "tool:poison_enum", "tool:poison_key", "tool:poison_output", "tool:poison_pattern"]

async function waitFor<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await f()
    if (v !== undefined) return v
    await Bun.sleep(25)
  }
  throw new Error(`gave up waiting for ${what}`)
}

let env: Record<string, string>
let configPath: string

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  configPath = writeConfig(env, {
    toolkit: { enabled: "off" },
    http: { token: TOKEN },
    warm: ["hostile"],
    servers: { hostile: { command: process.execPath, args: [HOSTILE] } },
  })
})

describe("a downstream hiding a payload in its definitions, through the binary", () => {
  let c: Connected
  let url: string
  beforeAll(async () => {
    c = await connectBinary(["serve", "--config", configPath, "--http", "127.0.0.1:0"], env)
    url = await waitFor("the HTTP endpoint", async () => /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(c.stderr())?.[1])
  })
  afterAll(async () => {
    await c?.close()
  })

  test("tools/list (stdio): prose cleaned, poisoned tools withheld, run_code's signatures clean", async () => {
    const { tools } = await c.client.listTools()
    expect(hidden(tools)).toEqual([])
    expect(tools.map((t) => t.name).filter((n) => n.startsWith("hostile__")).sort()).toEqual(KEPT_TOOLS)
    const t = tools.find((x) => x.name === "hostile__strip_me")!
    expect(t.title).toBe("Strip me")
    expect(t.description).toBe("A hostile tool whose prose is cleaned.")
    expect(t.annotations).toEqual({ title: "Annotated", readOnlyHint: true })
    const props = t.inputSchema.properties as Record<string, Record<string, unknown>>
    expect(props.path).toEqual({ type: "string", title: "Path", description: "the path", default: "x", examples: ["e", { nested: "n" }] })
    expect(props.mode).toEqual({ type: "string", enum: ["r", "w"], default: "r" })
    expect(props.description).toEqual({ type: "string", description: "a property named description" })
    expect(t.outputSchema).toEqual({ type: "object", properties: { r: { type: "string", description: "out", examples: ["o"] } } })
    // run_code (code mode) lists typed signatures of the tools: the cleaned ones only
    const runCode = tools.find((x) => x.name === "run_code")!
    expect(runCode.description).toContain("hostile__strip_me(args: { path?: string; mode?: \"r\" | \"w\"; description?: string })")
    expect(runCode.description).not.toContain("poison_")
    // a cleaned tool is still callable
    const r = await c.client.callTool({ name: "hostile__strip_me", arguments: { path: "p", mode: "r" } })
    expect((r.content as { text: string }[])[0]!.text).toBe('called strip_me with {"path":"p","mode":"r"}')
  }, 30_000)

  test("describe_tools and search_tools: nothing hidden, no text cut inside a character", async () => {
    const d = await c.client.callTool({ name: "describe_tools", arguments: { names: KEPT_TOOLS } })
    expect(d.isError).toBeFalsy()
    expect(hidden(d)).toEqual([])
    expect(brokenText(d)).toEqual([])
    const s = await c.client.callTool({ name: "search_tools", arguments: { query: "hostile tool", server: "hostile", limit: 50 } })
    expect(hidden(s)).toEqual([])
    expect(brokenText(s)).toEqual([])
    const hits = (s.structuredContent as { tools: { name: string; description: string; args: string }[] }).tools
    expect(hits.map((h) => h.name).sort()).toEqual(KEPT_TOOLS)
    const long = hits.find((h) => h.name === "hostile__long_emoji")!
    // both cuts fall inside an emoji: it goes whole
    expect(long.description).toBe(`${"a".repeat(98)}…`)
    expect(long.args).toBe(`(pick: "${"b".repeat(29)}…)`)
    // a withheld tool cannot be described either
    const gone = await c.client.callTool({ name: "describe_tools", arguments: { names: ["hostile__poison_enum"] } })
    expect(gone.isError).toBe(true)
  }, 30_000)

  test("prompts, resources and templates: prose cleaned, poisoned ones withheld", async () => {
    const { prompts } = await c.client.listPrompts()
    expect(hidden(prompts)).toEqual([])
    expect(prompts.filter((p) => p.name.startsWith("hostile__"))).toEqual([
      { name: "hostile__clean_me", title: "Clean me", description: "A hostile prompt.", arguments: [{ name: "topic", description: "what about", required: true }] },
    ])
    const { resources } = await c.client.listResources()
    expect(hidden(resources)).toEqual([])
    expect(resources).toEqual([{ uri: "hostile://readme", name: "readme", title: "Read me", description: "A hostile resource.", mimeType: "text/plain" }])
    const { resourceTemplates } = await c.client.listResourceTemplates()
    expect(hidden(resourceTemplates)).toEqual([])
    expect(resourceTemplates).toEqual([{ uriTemplate: "hostile://t/{id}", name: "template", description: "A hostile template.", mimeType: "text/plain" }])
  }, 30_000)

  test("orchestrator_status names each withheld item and where; the log warns naming server and item", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    expect(hidden(r)).toEqual([])
    const row = (r.structuredContent as { servers: { name: string; dropped?: { kind: string; name: string; why: string }[] }[] }).servers.find((s) => s.name === "hostile")!
    expect(row.dropped!.map((d) => `${d.kind}:${d.name}`).sort()).toEqual(WITHHELD)
    expect(row.dropped!.find((d) => d.name === "poison_enum")!.why).toContain("inputSchema.properties.path.enum[0]")
    expect(row.dropped!.find((d) => d.name === "poison_key")!.why).toContain("inputSchema.properties.path")
    expect(row.dropped!.find((d) => d.name === "poison_deep")!.why).toContain("inputSchema.properties.list.items.anyOf[0].properties.k.enum[0]")
    expect(row.dropped!.find((d) => d.name === "poison_argument")!.why).toContain("arguments[0].name")
    const warned = c
      .stderr()
      .split("\n")
      .filter((l) => l.includes("withheld: hidden characters"))
      .map((l) => JSON.parse(l) as { level: string; server: string; name: string })
    expect(warned).toContainEqual(expect.objectContaining({ level: "warn", server: "hostile", name: "poison_enum" }))
    expect(warned).toContainEqual(expect.objectContaining({ level: "warn", server: "hostile", name: "poison_argument" }))
  }, 30_000)

  test("the HTTP face, legacy (SDK Client) and 2026-07-28 (raw POSTs): the same clean lists", async () => {
    const http = new Client({ name: "poison-test", version: "1.0.0" })
    await http.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
    try {
      const { tools } = await http.listTools()
      expect(tools.map((t) => t.name).filter((n) => n.startsWith("hostile__")).sort()).toEqual(KEPT_TOOLS)
      expect(hidden(tools)).toEqual([])
      expect(hidden(await http.listPrompts())).toEqual([])
      expect(hidden(await http.listResources())).toEqual([])
      expect(hidden(await http.listResourceTemplates())).toEqual([])
    } finally {
      await http.close()
    }
    for (const method of ["tools/list", "prompts/list", "resources/list", "resources/templates/list"]) {
      const res = await modernPost({ url, token: TOKEN, method, params: {} })
      const text = await res.text()
      expect(res.status).toBe(200)
      const body = JSON.parse(text.startsWith("{") ? text : text.split("\n").find((l) => l.startsWith("data: "))!.slice(6)) as { result?: Record<string, unknown[]> }
      const list = Object.values(body.result ?? {}).find(Array.isArray)!
      expect(list.length).toBeGreaterThan(0)
      expect(hidden(text)).toEqual([])
    }
  }, 30_000)
})

test("the stdio face in the 2026-07-28 era: tools/list is just as clean", async () => {
  const envelope = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} }
  const p = Bun.spawn([BIN, "serve", "--config", configPath], { env, stdin: "pipe", stdout: "pipe", stderr: "ignore" })
  try {
    p.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: envelope } }) + "\n")
    await p.stdin.flush()
    const reader = p.stdout.getReader()
    let buf = ""
    let answer: string | undefined
    while (answer === undefined) {
      const r = await reader.read()
      if (r.done) break
      buf += new TextDecoder().decode(r.value, { stream: true })
      answer = buf.split("\n").find((l) => l.includes('"id":1'))
    }
    const m = JSON.parse(answer!) as { result: { tools: { name: string }[] } }
    expect(m.result.tools.map((t) => t.name).filter((n) => n.startsWith("hostile__")).sort()).toEqual(KEPT_TOOLS)
    expect(hidden(answer!)).toEqual([])
  } finally {
    p.stdin.end()
    p.kill()
    await p.exited
  }
}, 30_000)
