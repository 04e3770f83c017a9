/**
 * tools/list over the stdio transport as memoised bytes (`textLists`): the stored snapshot goes out
 * exactly as it was written, unless a secret registered since appears in it (then it is redacted);
 * a live answer is exactly the JSON of its tools, the same bytes on every repeat, redacted too.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { z } from "zod"
import { REDACTED, secrets, silentLogger } from "../../src/core/index.ts"
import { createMcpFace, defineTool, LineStdioServerTransport, type FaceServices, type LineIO } from "../../src/mcp/index.ts"

const GROUP = "test-list-answer-bytes"
const SECRET = "zz-secret-VALUE-0123456789abcdef"
afterEach(() => secrets.delete(GROUP))

const enc = new TextEncoder()
const dec = new TextDecoder()
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }

/** Answer lines (initialize's left out) of a stdio face fed `requests`, once all are answered. */
async function ask(deps: Partial<Parameters<typeof createMcpFace>[0]>, requests: unknown[]): Promise<string[]> {
  const lines: string[] = []
  const io: LineIO = {
    input: (async function* () {
      for (const r of [INIT, { jsonrpc: "2.0", method: "notifications/initialized" }, ...requests]) yield enc.encode(JSON.stringify(r) + "\n")
      await new Promise(() => {}) // stays open
    })(),
    write: (line) => void lines.push(line),
    writeParts: async (parts) => void lines.push(parts.map((p) => (typeof p === "string" ? p : dec.decode(p))).join("")),
  }
  const face = createMcpFace({ log: silentLogger, textLists: true, ...deps })
  await face.server.connect(new LineStdioServerTransport(io))
  const answers = (): string[] => lines.filter((l) => !/"id":1[,}]/.test(l)).map((l) => l.replace(/\n$/, ""))
  for (let i = 0; i < 1500 && answers().length < requests.length; i++) await Bun.sleep(10)
  face.dispose()
  return answers()
}

const never = new Promise<FaceServices>(() => {})
const stored = (description: string): Uint8Array => enc.encode(JSON.stringify({ tools: [{ name: "a", description, inputSchema: { type: "object" } }] }))

describe("the stored snapshot, before the services are up", () => {
  test("goes out byte for byte", async () => {
    // spaces a serialiser would drop: proof that these bytes were not parsed and written again
    const snap = enc.encode(`{"tools": [ {"name": "a", "description": "plain — ünïcödé 👩‍💻", "inputSchema": {"type": "object"}} ]}`)
    const [line] = await ask({ services: never, snapshot: snap }, [{ jsonrpc: "2.0", id: 2, method: "tools/list" }])
    expect(line).toBe(`{"jsonrpc":"2.0","id":2,"result":${dec.decode(snap)}}`)
  })

  test("is redacted when a secret registered since appears in it", async () => {
    secrets.add(GROUP, SECRET)
    const [line] = await ask({ services: never, snapshot: stored(`uses ${SECRET}`) }, [{ jsonrpc: "2.0", id: 2, method: "tools/list" }])
    expect(line).toContain(REDACTED)
    expect(line).not.toContain(SECRET)
    expect(JSON.parse(line!).result.tools[0].name).toBe("a")
  })
})

describe("a live answer", () => {
  const tool = (description: string) => defineTool({ name: "own", title: "Own", description, input: z.object({ q: z.string() }), handler: async () => ({ text: "ok" }) })

  test("is the JSON of its tools, the same bytes on every repeat", async () => {
    const lines = await ask({ tools: [tool("plain")] }, [
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      { jsonrpc: "2.0", id: 3, method: "tools/list" },
    ])
    expect(lines).toHaveLength(2)
    const [a, b] = lines.map((l) => JSON.parse(l!))
    expect(a.result.tools.map((t: { name: string }) => t.name)).toEqual(["own"])
    expect(a.result).toEqual(b.result)
    expect(lines[1]!.slice(lines[1]!.indexOf('"result"'))).toBe(lines[0]!.slice(lines[0]!.indexOf('"result"')))
  })

  test("lists a proxied tool that takes an own tool's name once, as the own tool", async () => {
    const proxied = ["a", "own", "b"].map((name) => ({ name, description: `proxied ${name}`, inputSchema: { type: "object" as const } }))
    const upstream = { onListChanged: () => () => {}, listTools: async () => proxied } as unknown as NonNullable<FaceServices["upstream"]>
    const plain = [{ ...proxied[0]!, name: "c" }]
    const plainUpstream = { ...upstream, listTools: async () => plain } as NonNullable<FaceServices["upstream"]>
    const [clash] = await ask({ tools: [tool("mine")], upstream }, [{ jsonrpc: "2.0", id: 2, method: "tools/list" }])
    const [none] = await ask({ tools: [tool("mine")], upstream: plainUpstream }, [{ jsonrpc: "2.0", id: 2, method: "tools/list" }])
    const listed = (line: string | undefined) => JSON.parse(line!).result.tools.map((t: { name: string; description: string }) => `${t.name}: ${t.description}`)
    expect(listed(clash)).toEqual(["own: mine", "a: proxied a", "b: proxied b"])
    expect(listed(none)).toEqual(["own: mine", "c: proxied a"])
  })

  test("is redacted", async () => {
    secrets.add(GROUP, SECRET)
    const [line] = await ask({ tools: [tool(`mentions ${SECRET}`)] }, [{ jsonrpc: "2.0", id: 2, method: "tools/list" }])
    expect(line).toContain(REDACTED)
    expect(line).not.toContain(SECRET)
  })
})
