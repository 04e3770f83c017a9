/**
 * completion/complete through the binary, routed to the real server that owns the prompt
 * (server-everything's `completable-prompt`), with context arguments passed along; and to a server
 * of revision 2024-11-05, which completes without declaring `completions` (that capability came
 * with 2025-03-26): server-everything 2025.4.8 on SDK 1.0.1 did, and got no suggestions through the
 * orchestrator (test/fixtures/servers/old-revision-server.ts answers as it did). A server that
 * declares `completions` but answers completion/complete "method not found" gives no suggestions,
 * not an error (logged once at debug).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const OLD = join(ROOT, "test", "fixtures", "servers", "old-revision-server.ts")

beforeAll(ensureBuilt, 120_000)

describe("argument completion", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.yaml")
    writeFileSync(
      cfg,
      `toolkit:\n  enabled: "off"\nlog:\n  level: debug\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n` +
        `  old:\n    command: ${process.execPath}\n    args: ["${OLD}"]\n  oldnone:\n    command: ${process.execPath}\n    args: ["${OLD}", "--no-complete"]\n` +
        `  liar:\n    command: ${process.execPath}\n    args: ["${OLD}", "--no-complete", "--declares-complete"]\n`,
    )
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 30_000)
  afterAll(() => c?.close())

  test("the orchestrator declares completions and forwards them to the owning server", async () => {
    expect(c.client.getServerCapabilities()?.completions).toBeDefined()
    const prompts = (await c.client.listPrompts()).prompts.map((p) => p.name)
    expect(prompts).toContain("ev__completable-prompt")
    const r = await c.client.complete({ ref: { type: "ref/prompt", name: "ev__completable-prompt" }, argument: { name: "department", value: "S" } })
    expect(r.completion.values.sort()).toEqual(["Sales", "Support"])
    const named = await c.client.complete({
      ref: { type: "ref/prompt", name: "ev__completable-prompt" },
      argument: { name: "name", value: "" },
      context: { arguments: { department: "Engineering" } },
    })
    expect(named.completion.values).toEqual(["Alice", "Bob", "Charlie"])
  })

  test("an unknown prompt gets no suggestions, not an error", async () => {
    const r = await c.client.complete({ ref: { type: "ref/prompt", name: "nope__x" }, argument: { name: "a", value: "" } })
    expect(r.completion.values).toEqual([])
  })

  test("a 2024-11-05 server that completes without declaring completions (none existed then) gets asked", async () => {
    const prompt = await c.client.complete({ ref: { type: "ref/prompt", name: "old__complex_prompt" }, argument: { name: "style", value: "f" } })
    expect(prompt.completion.values).toEqual(["formal", "friendly"])
    const template = await c.client.complete({ ref: { type: "ref/resource", uri: "test://static/resource/{id}" }, argument: { name: "id", value: "" } })
    expect(template.completion.values).toEqual(["1", "2", "3", "4", "5"])
  })

  test("a 2024-11-05 server without completion: no suggestions, not an error", async () => {
    const r = await c.client.complete({ ref: { type: "ref/prompt", name: "oldnone__complex_prompt" }, argument: { name: "style", value: "f" } })
    expect(r.completion.values).toEqual([])
  })

  test("a server that declares completions but answers \"method not found\": no suggestions, not an error; logged once", async () => {
    for (let i = 0; i < 2; i++) {
      const prompt = await c.client.complete({ ref: { type: "ref/prompt", name: "liar__complex_prompt" }, argument: { name: "style", value: "f" } })
      expect(prompt.completion.values).toEqual([])
      const template = await c.client.complete({ ref: { type: "ref/resource", uri: "test://declared/resource/{id}" }, argument: { name: "id", value: "" } })
      expect(template.completion.values).toEqual([])
    }
    // stderr is another pipe than the answers: read until the line is there
    const lines = () => c.stderr().split("\n").filter((l) => l.includes("though the server declares completions"))
    for (let i = 0; i < 100 && lines().length === 0; i++) await Bun.sleep(50)
    const logged = lines()
    expect(logged.length).toBe(1)
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: "debug", server: "liar" })
  })
})
