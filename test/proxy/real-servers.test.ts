/**
 * The proxy against real npm servers over stdio: server-everything, server-memory, server-filesystem
 * on a temp dir. Aggregated list, routing, structured content, images, progress, cancellation,
 * prompts and resources passthrough.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type Proxy } from "../../src/proxy/index.ts"
import { config, ctx, everythingStdio, FILESYSTEM, MEMORY } from "./helpers.ts"
import { waitFor } from "../helpers/wait.ts"

const dir = mkdtempSync(join(tmpdir(), "mcpo-proxy-"))
// Set before the servers start: must not reach them.
process.env.MCPO_TEST_PARENT_SECRET = "parent-only"
const fsRoot = join(dir, "files")
let proxy: Proxy

beforeAll(async () => {
  await Bun.write(join(fsRoot, "hello.txt"), "hello from the temp dir\n")
  proxy = createProxy({
    config: config({
      servers: {
        everything: { ...everythingStdio, env: { DEMO_SETTING: "from-config" } },
        memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") } },
        fs: { command: "node", args: [FILESYSTEM, fsRoot] },
      },
    }),
    log: silentLogger,
    closeGraceMs: 500,
  })
})

afterAll(async () => {
  await proxy[Symbol.asyncDispose]()
  // the suite is one process: not left set for the files after this one
  delete process.env.MCPO_TEST_PARENT_SECRET
})

describe("aggregated tools over real servers", () => {
  test("tools/list: namespaced, sorted, valid names, schemas passed through", async () => {
    const tools = await proxy.listTools()
    const names = tools.map((t) => t.name)
    expect(names).toContain("everything__echo")
    expect(names).toContain("memory__create_entities")
    expect(names).toContain("fs__list_directory")
    expect([...names].sort()).toEqual(names)
    for (const n of names) expect(n).toMatch(/^[a-zA-Z0-9_-]{1,60}$/)
    const echo = tools.find((t) => t.name === "everything__echo")!
    expect(echo.inputSchema.properties).toHaveProperty("message")
    const structured = tools.find((t) => t.name === "everything__get-structured-content")!
    expect(structured.outputSchema).toBeDefined()
    expect(proxy.status().servers.map((s) => [s.name, s.state])).toEqual([
      ["everything", "ready"],
      ["fs", "ready"],
      ["memory", "ready"],
    ])
  })

  test("the child's environment: a minimal base plus the server's env, nothing else of ours", async () => {
    const r = await proxy.callTool("everything__get-env", {}, ctx())
    const env = JSON.parse((r.content[0] as { text: string }).text) as Record<string, string>
    expect(env.DEMO_SETTING).toBe("from-config")
    expect(env.PATH).toBe(process.env.PATH!)
    expect(env.MCPO_TEST_PARENT_SECRET).toBeUndefined()
  })

  test("echo is routed and returned unchanged", async () => {
    const r = await proxy.callTool("everything__echo", { message: "héllo ✓" }, ctx())
    expect(r).toEqual({ content: [{ type: "text", text: "Echo: héllo ✓" }] })
  })

  test("structured content and image content pass through", async () => {
    const s = await proxy.callTool("everything__get-structured-content", { location: "Chicago" }, ctx())
    expect(s.structuredContent).toMatchObject({ temperature: expect.any(Number), conditions: expect.any(String) })
    const img = await proxy.callTool("everything__get-tiny-image", {}, ctx())
    const image = img.content.find((c) => c.type === "image") as { type: "image"; data: string; mimeType: string }
    expect(image.mimeType).toBe("image/png")
    expect(Buffer.from(image.data, "base64").subarray(1, 4).toString()).toBe("PNG")
  })

  test("embedded resources and resource links pass through", async () => {
    const r = await proxy.callTool("everything__get-resource-reference", { resourceType: "Text", resourceId: 3 }, ctx())
    const res = r.content.find((c) => c.type === "resource") as { type: "resource"; resource: { uri: string; text?: string } }
    expect(res.resource.uri).toContain("/3")
    const links = await proxy.callTool("everything__get-resource-links", { count: 2 }, ctx())
    expect(links.content.filter((c) => c.type === "resource_link").length).toBe(2)
  })

  test("progress notifications reach the client with its own token", async () => {
    const c = ctx("client-token-7")
    const r = await proxy.callTool("everything__trigger-long-running-operation", { duration: 0.3, steps: 3 }, c)
    expect(r.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("completed") })
    const progress = c.notes.filter((n) => n.method === "notifications/progress")
    expect(progress.map((p) => p.params!.progress)).toEqual([1, 2, 3])
    expect(progress.every((p) => p.params!.progressToken === "client-token-7" && p.params!.total === 3)).toBe(true)
  })

  test("cancellation: the call rejects at once and the session keeps working", async () => {
    const c = ctx("cancel-me")
    // 10 minutes of work: a rejection that waited for the downstream would be the test's own timeout
    const p = proxy.callTool("everything__trigger-long-running-operation", { duration: 600, steps: 600 }, c)
    // aborted once the downstream is working on it (its first progress), not after a guessed sleep
    await waitFor("the call's first progress", () => c.notes.some((n) => n.method === "notifications/progress"))
    c.controller.abort()
    await expect(p).rejects.toMatchObject({ code: "CANCELLED" })
    expect(proxy.status().servers.find((s) => s.name === "everything")!.inFlight).toBe(0)
    expect(await proxy.callTool("everything__echo", { message: "after" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: after" }] })
  })

  test("a long-running call with progress completes", async () => {
    const c = ctx(1)
    const r = await proxy.callTool("everything__trigger-long-running-operation", { duration: 1.5, steps: 3 }, c)
    expect(r.isError).toBeFalsy()
    expect(c.notes.length).toBe(3)
  })

  test("server-memory: create then read, env passed to the child", async () => {
    await proxy.callTool("memory__create_entities", { entities: [{ name: "Ada", entityType: "person", observations: ["wrote the first program"] }] }, ctx())
    const r = await proxy.callTool("memory__read_graph", {}, ctx())
    expect(JSON.stringify(r)).toContain("wrote the first program")
    expect(readFileSync(join(dir, "memory.jsonl"), "utf8")).toContain("Ada")
  })

  test("server-filesystem on a temp dir: list and read", async () => {
    const list = await proxy.callTool("fs__list_directory", { path: fsRoot }, ctx())
    expect(JSON.stringify(list.content)).toContain("hello.txt")
    const read = await proxy.callTool("fs__read_text_file", { path: join(fsRoot, "hello.txt") }, ctx())
    expect(JSON.stringify(read)).toContain("hello from the temp dir")
    const denied = await proxy.callTool("fs__read_text_file", { path: "/etc/passwd" }, ctx())
    expect(denied.isError).toBe(true)
  })

  test("a tool error (isError) is passed through, unknown tools are protocol errors", async () => {
    const r = await proxy.callTool("fs__read_text_file", { path: join(fsRoot, "missing.txt") }, ctx())
    expect(r.isError).toBe(true)
    await expect(proxy.callTool("nope__tool", {}, ctx())).rejects.toMatchObject({ kind: "protocol", rpcCode: -32602 })
  })

  test("concurrent calls on one session", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => proxy.callTool("everything__echo", { message: `m${i}` }, ctx())))
    expect(results.map((r) => (r.content[0] as { text: string }).text)).toEqual(Array.from({ length: 40 }, (_, i) => `Echo: m${i}`))
  })
})

describe("prompts and resources passthrough", () => {
  test("prompts are namespaced and routed", async () => {
    const prompts = await proxy.listPrompts()
    const simple = prompts.find((p) => p.name.startsWith("everything__") && p.name.includes("simple"))
    expect(simple).toBeDefined()
    const got = await proxy.getPrompt(simple!.name, undefined, ctx())
    expect(got.messages.length).toBeGreaterThan(0)
  })

  test("resources keep their URIs and are read from the right server", async () => {
    const resources = await proxy.listResources()
    expect(resources.length).toBeGreaterThan(0)
    const first = resources[0]!
    const read = await proxy.readResource(first.uri, ctx())
    expect(read.contents[0]!.uri).toBe(first.uri)
    const templates = await proxy.listResourceTemplates()
    expect(templates.some((t) => t.uriTemplate.startsWith("demo://resource/dynamic"))).toBe(true)
    const dyn = await proxy.readResource("demo://resource/dynamic/text/1", ctx())
    expect(dyn.contents[0]!.uri).toBe("demo://resource/dynamic/text/1")
    await expect(proxy.readResource("nowhere://x", ctx())).rejects.toMatchObject({ rpcCode: -32002 })
  })
})

