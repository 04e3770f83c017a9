/**
 * Answers to prompts/get, resources/read and completion/complete that break the MCP result shapes
 * (QA 10b): a prompt message of role "wizard" or with a content block of type "video", `messages`
 * or `contents` that is no list, resource contents without a uri or without a text or blob, a
 * completion value that is no string, a `hasMore` that is no boolean, no `completion` at all. Each
 * fails its own request with BAD_RESPONSE naming the server, the prompt or resource and what is
 * wrong; the server's other prompts and resources, and the other servers', answer as before. Before,
 * the answer went out word for word and the client's SDK threw a zod issue list naming nothing (or,
 * from a 2026-07-28 remote server, a BAD_RESPONSE carrying that dump). A completion of more than 100
 * values (which the SDK schemas refuse whole) is cut to its first 100 with `hasMore: true`.
 * Through the compiled binary: stdio downstreams (servers/answer-shapes-server.ts) and a remote
 * Streamable HTTP server on SDK v2 (servers/answer-shapes-http.ts) pinned to each era; the SDK v1
 * Client, and the SDK v2 Client pinned to 2026-07-28.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "answer-shapes-server.ts")
const HTTP = join(import.meta.dir, "servers", "answer-shapes-http.ts")
const dir = tempDir("mcpo-answer-shapes-")
const env = sandboxEnv()
const cfg = join(dir, "config.json")
const remotes: ReturnType<typeof Bun.spawn>[] = []

async function startRemote(scheme: string): Promise<string> {
  const portFile = join(dir, `port-${scheme}`)
  remotes.push(Bun.spawn([process.execPath, HTTP, portFile, scheme], { stdio: ["ignore", "ignore", "inherit"] }))
  for (let i = 0; i < 400 && !(existsSync(portFile) && readFileSync(portFile, "utf8")); i++) await Bun.sleep(25)
  return `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
}

beforeAll(async () => {
  await ensureBuilt()
  const servers = {
    as: { command: process.execPath, args: [SERVER] },
    other: { command: process.execPath, args: [SERVER, "--name", "other"] },
    leg: { url: await startRemote("leg"), protocol: "legacy" },
    mod: { url: await startRemote("mod"), protocol: "modern" },
  }
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: Object.keys(servers), servers }))
}, 120_000)
afterAll(() => {
  for (const r of remotes) r.kill()
  rmSync(dir, { recursive: true, force: true })
})

interface Api {
  getPrompt(name: string): Promise<unknown>
  read(uri: string): Promise<unknown>
  complete(name: string, argument: string): Promise<{ completion: { values: string[]; hasMore?: boolean; total?: number } }>
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return (e as Error).message
  }
  return "(no error)"
}

/** [what, request, server, subject, what the error must say] */
const BAD: [string, (a: Api) => Promise<unknown>, string, string, RegExp][] = [
  ["a prompt message of role wizard", (a) => a.getPrompt("as__role"), "as", "prompt role", /messages\[1\]\.role is "wizard", not "user" or "assistant"/],
  ["a prompt message's video block", (a) => a.getPrompt("as__video"), "as", "prompt video", /messages\[0\]\.content has type "video", which is no MCP content type/],
  ["prompt messages that are no list", (a) => a.getPrompt("as__nomessages"), "as", "prompt nomessages", /its messages is "nope", not a list of prompt messages/],
  ["contents that are no list", (a) => a.read("as://nope"), "as", "resource as://nope", /its contents is "nope", not a list of resource contents/],
  ["contents without text or blob", (a) => a.read("as://nobody"), "as", "resource as://nobody", /contents\[0\] has neither a text nor a blob string/],
  ["contents without a uri", (a) => a.read("as://nouri"), "as", "resource as://nouri", /contents\[0\] has no uri string: its uri is missing/],
  ["completion values that are no strings", (a) => a.complete("as__good", "num"), "as", "prompt good", /completion\.values\[0\] is 1, not a string/],
  ["a hasMore that is no boolean", (a) => a.complete("as__good", "more"), "as", "prompt good", /its completion\.hasMore is "yes", not true or false/],
  ["no completion", (a) => a.complete("as__good", "nocompletion"), "as", "prompt good", /its completion is missing, not an object with values/],
  ["a remote legacy prompt of role wizard", (a) => a.getPrompt("leg__bad"), "leg", "prompt bad", /messages\[0\]\.role is "wizard"/],
  ["a remote legacy read of contents that are no list", (a) => a.read("leg://bad"), "leg", "resource leg://bad", /its contents is "nope", not a list/],
  ["a remote 2026-07-28 prompt of role wizard", (a) => a.getPrompt("mod__bad"), "mod", "prompt bad", /messages\[0\]\.role is "wizard"/],
  ["a remote 2026-07-28 read of contents that are no list", (a) => a.read("mod://bad"), "mod", "resource mod://bad", /its contents is "nope", not a list/],
]

function checks(label: string, api: () => Api): void {
  for (const [what, request, server, subject, expected] of BAD) {
    test(`${label}: ${what} fails that request with BAD_RESPONSE naming the server, the ${subject.split(" ")[0]} and the field`, async () => {
      const message = await failure(request(api()))
      expect(message).toContain(`[BAD_RESPONSE] server ${server}: its answer to `)
      expect(message).toContain(`is not valid MCP (${subject}): `)
      expect(message).toMatch(expected)
      expect(message).not.toContain("invalid_")
    }, 20_000)
  }

  test(`${label}: the same servers' good prompts, reads and completions, and the other servers', answer as before`, async () => {
    const a = api()
    expect(await a.getPrompt("as__good")).toMatchObject({ messages: [{ role: "user", content: { type: "text", text: "good prompt of as" } }] })
    expect(await a.getPrompt("other__good")).toMatchObject({ messages: [{ role: "user", content: { type: "text", text: "good prompt of other" } }] })
    expect(await a.read("as://good")).toMatchObject({ contents: [{ uri: "as://good", text: "read as://good" }] })
    expect(await a.read("other://good")).toMatchObject({ contents: [{ uri: "other://good", text: "read other://good" }] })
    expect((await a.complete("as__good", "a")).completion.values).toEqual(["as-value"])
    for (const s of ["leg", "mod"]) {
      expect(await a.getPrompt(`${s}__good`)).toMatchObject({ messages: [{ role: "user", content: { type: "text", text: "good remote prompt" } }] })
      expect(await a.read(`${s}://good`)).toMatchObject({ contents: [{ uri: `${s}://good`, text: "good remote read" }] })
    }
  }, 20_000)

  test(`${label}: a completion of 150 values comes as its first 100, with hasMore`, async () => {
    const r = await api().complete("as__good", "many")
    expect(r.completion.values).toEqual(Array.from({ length: 100 }, (_, n) => `v${n}`))
    expect(r.completion.hasMore).toBe(true)
    expect(r.completion.total).toBe(150)
  }, 20_000)
}

describe("SDK v1 client", () => {
  let c: Connected
  beforeAll(async () => {
    c = await connectBinary(["serve", "--config", cfg], env)
    // the first list waits for the servers' listings (proxy.listWait)
    await c.client.listPrompts()
    await c.client.listResources()
  }, 60_000)
  afterAll(async () => await c?.close())
  checks("v1", () => ({
    getPrompt: (name) => c.client.getPrompt({ name, arguments: { a: "1" } }),
    read: (uri) => c.client.readResource({ uri }),
    complete: (name, argument) => c.client.complete({ ref: { type: "ref/prompt", name }, argument: { name: argument, value: "" } }),
  }))
})

describe("SDK v2 client pinned to 2026-07-28", () => {
  let client: ClientV2
  beforeAll(async () => {
    client = new ClientV2({ name: "v2-test", version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } })
    await client.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    await client.listPrompts()
    await client.listResources()
  }, 60_000)
  afterAll(async () => await client?.close())
  checks("v2", () => ({
    getPrompt: (name) => client.getPrompt({ name, arguments: { a: "1" } }),
    read: (uri) => client.readResource({ uri }),
    complete: (name, argument) => client.complete({ ref: { type: "ref/prompt", name }, argument: { name: argument, value: "" } }) as never,
  }))
})
