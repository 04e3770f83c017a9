/**
 * A warm start answers its first lists from the lists stored in an earlier run, and a server is
 * not started while its stored lists are within their TTL. A server updated since under the same
 * definition (`npx pkg@latest`, a rebuilt image: here a wrapper reading its names from a file) may
 * serve a prompt, resource or template its stored lists lack. Getting, reading or completing such a
 * name under a configured server starts that server and waits for its live listing within the
 * request's budget (as tools/call does), then routes; its start lists prompts and resources anew and
 * tells the client (list_changed). The compiled binary with the SDK Client; two runs, one cache.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
/** The names of `x`'s items among a list's (the orchestrator's own prompts are beside them). */
const ofX = (names: string[]): string[] => names.filter((n) => n.startsWith("x__") || n.startsWith("named://"))
const text = (r: unknown): string => ((r as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? "").join("\n")

/**
 * Runs the binary once with server `x` serving tool `a` only (its lists stored), then gives the
 * server the flags `now` (prompts, resources, templates, more tools) and connects the second run.
 */
async function updatedSinceStored(now: string): Promise<Connected> {
  const env = sandboxEnv()
  const flags = join(env.HOME!, "flags")
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(flags, "--tools a")
  const run = `exec '${process.execPath}' '${NAMED}' --label x $(cat '${flags}')`
  writeFileSync(cfg, ["toolkit:", '  enabled: "off"', "servers:", "  x:", "    command: /bin/sh", `    args: ["-c", ${JSON.stringify(run)}]`, ""].join("\n"))
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await first.client.listTools()).tools.map((t) => t.name)).toContain("x__a")
    expect(ofX((await first.client.listPrompts()).prompts.map((p) => p.name))).toEqual([])
    expect(ofX((await first.client.listResources()).resources.map((r) => r.uri))).toEqual([])
  } finally {
    await first.close()
  }
  writeFileSync(flags, now)
  return connectBinary(["serve", "--config", cfg], env)
}

test("a prompt added since the stored list: prompts/get starts the server and gets it; the client is told of the new list", async () => {
  const c = await updatedSinceStored("--tools a --prompts p")
  try {
    let told = false
    c.client.setNotificationHandler(PromptListChangedNotificationSchema, () => void (told = true))
    // the stored lists answer: no prompt yet (the server is not started)
    expect(ofX((await c.client.listPrompts()).prompts.map((p) => p.name))).toEqual([])
    const got = await c.client.getPrompt({ name: "x__p" })
    expect(got.messages.map((m) => (m.content as { text?: string }).text)).toEqual(["x:p"])
    // its start listed its prompts anew: the client is told, and lists the new one
    for (let i = 0; i < 500 && !told; i++) await Bun.sleep(20)
    expect(told).toBe(true)
    expect(ofX((await c.client.listPrompts()).prompts.map((p) => p.name))).toEqual(["x__p"])
  } finally {
    await c.close()
  }
}, 90_000)

test("a prompt neither the stored list nor the server has: prompts/get waits for its live list and says what it lists now", async () => {
  const c = await updatedSinceStored("--tools a --prompts p")
  try {
    const none = await c.client.getPrompt({ name: "x__zzz" }).then(
      () => "answered",
      (e: unknown) => String(e),
    )
    expect(none).toContain("Unknown prompt: x__zzz (server x has listed its prompts and has no zzz; its prompts: x__p)")
  } finally {
    await c.close()
  }
}, 90_000)

test("a resource and a template added since the stored lists: resources/read starts the server and reads them", async () => {
  const c = await updatedSinceStored("--tools a --resources r --templates t")
  try {
    let told = false
    c.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void (told = true))
    expect(ofX((await c.client.listResources()).resources.map((r) => r.uri))).toEqual([])
    const read = await c.client.readResource({ uri: "named://x/r" })
    expect(read.contents.map((x) => (x as { text?: string }).text)).toEqual(["x:named://x/r"])
    const viaTemplate = await c.client.readResource({ uri: "named://x/t/7" })
    expect(viaTemplate.contents.map((x) => (x as { text?: string }).text)).toEqual(["x:named://x/t/7"])
    for (let i = 0; i < 500 && !told; i++) await Bun.sleep(20)
    expect(told).toBe(true)
    expect(ofX((await c.client.listResources()).resources.map((r) => r.uri))).toEqual(["named://x/r"])
  } finally {
    await c.close()
  }
}, 90_000)

test("a template added since the stored lists is read first: its URI goes to the server once it lists it", async () => {
  const c = await updatedSinceStored("--tools a --templates t")
  try {
    const read = await c.client.readResource({ uri: "named://x/t/1" })
    expect(read.contents.map((x) => (x as { text?: string }).text)).toEqual(["x:named://x/t/1"])
  } finally {
    await c.close()
  }
}, 90_000)

test("completion/complete of a prompt added since the stored list starts the server and completes", async () => {
  const c = await updatedSinceStored("--tools a --prompts p")
  try {
    const done = await c.client.complete({ ref: { type: "ref/prompt", name: "x__p" }, argument: { name: "a", value: "" } })
    expect(done.completion.values).toEqual(["x:p"])
  } finally {
    await c.close()
  }
}, 90_000)

test("a tool added since the stored list: its first call starts the server and calls it", async () => {
  const c = await updatedSinceStored("--tools a,c")
  try {
    expect(text(await c.client.callTool({ name: "x__c", arguments: {} }))).toBe("x:c {}")
  } finally {
    await c.close()
  }
}, 90_000)
