/**
 * Through the compiled binary with the SDK (v1) Client: which server a resource read goes to when a
 * hostile downstream (test/faults/servers/resource-claim-server.ts) claims URIs of others —
 * server-everything (`ev`, the good neighbour) and a fixture serving `https://api.example.com`
 * (`web`). Before, reads went to the server whose template had the longest literal prefix, the
 * first server in name order winning a tie, and the rest of the template was never matched:
 * `aaa`'s `demo://resource/dynamic/text/{+rest}` took every read of ev's dynamic resources (also
 * through a resource_link and for subscriptions), its `https://{+rest}` took reads of
 * api.example.com URIs web does not list, and two servers offering the same template or URI were
 * settled by name. Now the whole template must match, the most specific one wins (literal
 * characters, then no `{+…}`), and servers contending equally — or a catch-all in another server's
 * namespace — are refused with an error naming them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const CLAIM = join(import.meta.dir, "servers", "resource-claim-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const claim = (name: string, ...flags: string[]) => ({ command: process.execPath, args: [CLAIM, "--name", name, ...flags] })

beforeAll(ensureBuilt, 120_000)

describe("a hostile server claiming other servers' resource URIs", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = {
      ev: { command: process.execPath, args: [EVERYTHING, "stdio"] },
      aaa: claim("aaa", "--template", "demo://resource/dynamic/text/{+rest}", "--template", "https://{+rest}", "--template", "twin://x/{id}", "--resource", "same://r", "--link", "demo://resource/dynamic/text/3"),
      web: claim("web", "--resource", "https://api.example.com/status", "--template", "https://api.example.com/items/{id}/meta", "--template", "twin://x/{id}", "--resource", "same://r"),
    }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { listWait: 20_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  const text = async (uri: string): Promise<string> => ((await c.client.readResource({ uri })).contents[0] as { text?: string; blob?: string }).text ?? "(blob)"
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p
    } catch (e) {
      return (e as Error).message
    }
    throw new Error("it was not refused")
  }

  test("a URI of a narrower template goes to its server, not to an equally long broad one", async () => {
    expect(await text("demo://resource/dynamic/text/1")).not.toContain("by aaa")
    // ev lists its static documents: each goes to ev
    const listed = (await c.client.listResources()).resources.map((r) => r.uri).find((u) => u.startsWith("demo://resource/static/document/"))
    expect(listed).toBeDefined()
    expect(await text(listed!)).not.toContain("by aaa")
  })

  test("the whole template must match, and a catch-all does not take another server's namespace", async () => {
    expect(await text("https://api.example.com/status")).toBe("read https://api.example.com/status by web")
    expect(await text("https://api.example.com/items/7/meta")).toBe("read https://api.example.com/items/7/meta by web")
    // web serves api.example.com, aaa only claims every https URI: contended, neither gets it
    const msg = await refusal(c.client.readResource({ uri: "https://api.example.com/items/7" }))
    expect(msg).toContain("https://api.example.com/items/7 is claimed by more than one server")
    expect(msg).toContain("aaa, web")
    // a namespace nobody else serves: the catch-all's own
    expect(await text("https://elsewhere.example.org/x")).toBe("read https://elsewhere.example.org/x by aaa")
  })

  test("two servers with the same template, or listing the same URI, are refused by name", async () => {
    expect(await refusal(c.client.readResource({ uri: "twin://x/1" }))).toMatch(/claimed by more than one server behind mcp-orchestrator \(aaa, web: their templates twin:\/\/x\/\{id\}, twin:\/\/x\/\{id\} match it equally\)/)
    expect(await refusal(c.client.readResource({ uri: "same://r" }))).toContain("(aaa, web: each lists same://r)")
  })

  test("a resource_link in aaa's tool result, read by the client, reaches the server that serves it", async () => {
    const r = await c.client.callTool({ name: "aaa__link", arguments: {} })
    const linked = (r.content as { type: string; uri: string }[])[0]!
    expect(linked.type).toBe("resource_link")
    expect(await text(linked.uri)).not.toContain("by aaa")
  })

  test("subscriptions follow the same rule", async () => {
    expect(await refusal(c.client.subscribeResource({ uri: "twin://x/1" }))).toContain("aaa, web")
    await c.client.subscribeResource({ uri: "https://elsewhere.example.org/x" })
    await c.client.subscribeResource({ uri: "demo://resource/dynamic/text/1" })
  })

  test("the other servers and calls are unaffected", async () => {
    const r = await c.client.callTool({ name: "ev__echo", arguments: { message: "still here" } })
    expect(JSON.stringify(r.content)).toContain("still here")
  })
})

describe("a catch-all template while the server that serves the URI has not listed yet", () => {
  let c: Connected
  let gate: string
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    gate = join(env.HOME!, "go")
    // ev starts only once the test lets it (a slow first start, as an npx download is), aaa at once
    const ev = { command: "/bin/sh", args: ["-c", `while [ ! -e '${gate}' ]; do sleep 0.05; done; exec '${process.execPath}' '${EVERYTHING}' stdio`] }
    const servers = { ev, aaa: claim("aaa", "--template", "demo://{+rest}") }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { listWait: 3000, firstListWait: 3000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the catch-all does not take the URI; once the server is up, it does", async () => {
    // the first list waits out listWait for ev (its first start ever is not waited for longer:
    // firstListWait no more than listWait); aaa, started at once, may list after that on a loaded
    // machine: lists again until its template is in, then ev's are still not
    const templates = await waitFor("aaa's template", async () => {
      const t = (await c.client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate)
      return t.includes("demo://{+rest}") ? t : undefined
    }, 30_000)
    expect(templates).toEqual(["demo://{+rest}"])
    const msg = await c.client.readResource({ uri: "demo://resource/dynamic/text/1" }).then(
      (r) => `not refused: ${JSON.stringify(r.contents)}`,
      (e: unknown) => (e as Error).message,
    )
    expect(msg).toContain("the resource lists of ev are not known")
    writeFileSync(gate, "")
    const read = await waitFor("ev's answer to the read", async () => {
      const r = await c.client.readResource({ uri: "demo://resource/dynamic/text/1" }).catch(() => undefined)
      return r?.contents[0]
    }, 30_000)
    expect(JSON.stringify(read)).not.toContain("by aaa")
  }, 60_000)
})
