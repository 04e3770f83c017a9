/**
 * Regression: a server that starts fine without its key and fails only when a tool is called (exa
 * answers "API key must be provided … (EXA_API_KEY)" as an `isError` result) got no hint, while a
 * start that fails for the same key is told which variable to set in `servers.NAME.env`. Now the
 * tool error gets one more text block with that hint, when the child's environment lacks the
 * variable it names (only then; never a value), and the log says it once per server. The compiled
 * binary with the SDK's real Client, a raw fixture server as the downstream.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const BUN = process.execPath
const HALF = join(ROOT, "test", "faults", "servers", "half-working-server.ts")
const SECRET = "exa_9f8e7d6c5b4a39281706"

type Result = { isError?: boolean; content: { type: string; text?: string }[] }

function config(env: Record<string, string>, serverEnv?: Record<string, string>): string {
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { half: { command: BUN, args: [HALF], ...(serverEnv ? { env: serverEnv } : {}) } } }))
  return cfg
}

async function calls(env: Record<string, string>, cfg: string, tools: string[]): Promise<{ results: Result[]; stderr: string }> {
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const results: Result[] = []
    for (const t of tools) results.push((await c.client.callTool({ name: `half__${t}`, arguments: { query: "x" } })) as Result)
    return { results, stderr: c.stderr() }
  } finally {
    await c.close()
  }
}

const texts = (r: Result): string[] => r.content.map((b) => b.text ?? "")

describe("a tool error naming a variable the server did not get", () => {
  test("unset everywhere: the error keeps its text and gets the env hint; logged once for two calls", async () => {
    const env = sandboxEnv()
    const { results, stderr } = await calls(env, config(env), ["search", "search"])
    for (const r of results) {
      expect(r.isError).toBe(true)
      expect(texts(r)[0]).toContain("API key must be provided")
      expect(texts(r)).toHaveLength(2)
      expect(texts(r)[1]).toContain("EXA_API_KEY is not set for server half")
      expect(texts(r)[1]).toContain("servers.half.env")
    }
    const logged = stderr.split("\n").filter((l) => l.includes("tool error names an environment variable"))
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain('"server":"half"')
  }, 60_000)

  test("set in the orchestrator's environment only: told to pass it through env, its value never shown", async () => {
    const env = { ...sandboxEnv(), EXA_API_KEY: SECRET }
    const { results, stderr } = await calls(env, config(env), ["search"])
    const shown = texts(results[0]!).join("\n")
    expect(shown).toContain("EXA_API_KEY is set in mcp-orchestrator's environment")
    expect(shown).toContain('servers.half.env: { EXA_API_KEY: "${env:EXA_API_KEY}" }')
    expect(shown).not.toContain(SECRET)
    expect(stderr).not.toContain(SECRET)
  }, 60_000)

  test("no hint when the child got the variable (a wrong key) or the error names none", async () => {
    const env = sandboxEnv()
    const { results } = await calls(env, config(env, { EXA_API_KEY: "wrong" }), ["search", "plain_error"])
    expect(results[0]!.isError).toBe(true)
    expect(texts(results[0]!)).toEqual(["Error: the API key was refused (EXA_API_KEY): 401"])
    expect(results[1]!.isError).toBe(true)
    expect(texts(results[1]!)).toEqual(["Error: the query is too long"])
  }, 60_000)
})
