/**
 * completion/complete through the binary, routed to the real server that owns the prompt
 * (server-everything's `completable-prompt`), with context arguments passed along.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

describe("argument completion", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "c.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\n`)
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
})
