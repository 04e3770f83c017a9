/**
 * A plugin prompt named like a downstream's prompt: prompts/get renders the plugin's, so prompts/list
 * names it once (the plugin's) and the log says the downstream's is hidden — before, the name was
 * listed twice, and a client picking the second got the plugin's prompt anyway.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

test("a plugin prompt with a downstream prompt's name: listed once, rendered from the plugin, the shadowing logged", async () => {
  const env = sandboxEnv()
  const plugins = join(env.HOME!, "plugins")
  mkdirSync(plugins)
  writeFileSync(join(plugins, "shadow.js"), `export default { name: "shadow", prompts: [{ name: "ev__simple-prompt", description: "the plugin's", render: () => "from the plugin" }] }\n`)
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  ev:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\nplugins:\n  dirs: ["${plugins}"]\n`)
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const { prompts } = await c.client.listPrompts()
    const names = prompts.map((p) => p.name)
    // the downstream's other prompts are there: the server listed
    expect(names).toContain("ev__args-prompt")
    expect(names.filter((n) => n === "ev__simple-prompt")).toEqual(["ev__simple-prompt"])
    expect(prompts.find((p) => p.name === "ev__simple-prompt")?.description).toBe("the plugin's")
    const got = await c.client.getPrompt({ name: "ev__simple-prompt" })
    expect(JSON.stringify(got.messages)).toContain("from the plugin")
    expect(c.stderr()).toContain("a downstream prompt is hidden by a plugin prompt of the same name")
    // which plugin file hides it (QA 18: the warning named the prompt only)
    const warning = c.stderr().split("\n").find((l) => l.includes("a downstream prompt is hidden"))!
    expect(JSON.parse(warning).by).toBe(`plugin "shadow" (${join(plugins, "shadow.js")})`)
    expect(JSON.parse(warning).remedy).toContain(join(plugins, "shadow.js"))
  } finally {
    await c.close()
  }
}, 60_000)
