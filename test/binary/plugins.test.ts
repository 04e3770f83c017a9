/**
 * Plugin hooks through the built binary: prompts/list and prompts/get (built-in + plugin prompts),
 * a routed tools/call (alias, deny, default args) to a real downstream (server-everything), the
 * tools filter, a hot reload that sends prompts/list_changed, and a broken plugin that leaves the
 * rest working.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { PromptListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

describe("plugins through the binary", () => {
  let c: Connected
  let pluginDir: string
  const changed: string[] = []

  beforeAll(async () => {
    const env = sandboxEnv()
    pluginDir = join(env.HOME!, "plugins")
    mkdirSync(pluginDir)
    copyFileSync(join(ROOT, "plugins", "prompt-pack.ts"), join(pluginDir, "prompt-pack.ts"))
    copyFileSync(join(ROOT, "plugins", "route-rules.ts"), join(pluginDir, "route-rules.ts"))
    copyFileSync(join(ROOT, "plugins", "types.d.ts"), join(pluginDir, "types.d.ts"))
    writeFileSync(join(pluginDir, "broken.js"), "export default {\n  name: 'broken',\n  route( {\n}\n")
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  everything:\n    command: ${process.execPath}\n    args: ["${EVERYTHING}", "stdio"]\nwarm: [everything]\n`)
    c = await connectBinary(["serve", "--config", cfg, "--plugins", pluginDir], env)
    c.client.setNotificationHandler(PromptListChangedNotificationSchema, () => void changed.push("prompts"))
    // plugins load in the background after initialize
    for (let i = 0; i < 100; i++) {
      const { prompts } = await c.client.listPrompts()
      if (prompts.some((p) => p.name === "review_diff")) break
      await Bun.sleep(50)
    }
  }, 60_000)
  afterAll(() => c?.close())

  test("prompts/list has the built-in prompts and the plugin's", async () => {
    const names = (await c.client.listPrompts()).prompts.map((p) => p.name)
    expect(names).toContain("review_diff")
    expect(names).toContain("write_commit_message")
    expect(names.some((n) => n.includes("find_tool") || n.includes("enable_server"))).toBe(true)
  })

  test("prompts/get renders a plugin prompt; a missing required argument is a clear error", async () => {
    const r = await c.client.getPrompt({ name: "write_commit_message", arguments: { summary: "fix the cache key" } })
    expect(r.messages.length).toBeGreaterThan(0)
    expect(JSON.stringify(r.messages)).toContain("fix the cache key")
    await expect(c.client.getPrompt({ name: "write_commit_message", arguments: {} })).rejects.toThrow(/summary/)
  })

  test("an alias is routed to the real tool with its arguments", async () => {
    const r = await c.client.callTool({ name: "everything__say", arguments: { message: "routed!" } })
    expect(r.isError).toBeFalsy()
    expect(JSON.stringify(r.content)).toContain("routed!")
  })

  test("a denied tool never reaches the server and is hidden from tools/list", async () => {
    const r = await c.client.callTool({ name: "everything__get-env", arguments: {} })
    expect(r.isError).toBe(true)
    expect(JSON.stringify(r.content)).toContain("secrets")
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("everything__echo")
    expect(names).not.toContain("everything__get-env")
  })

  test("the broken plugin is reported with its file and line; the others work", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    const plugins = (r.structuredContent as { plugins: Array<{ name: string; file: string; state: string; lastError?: string; remedy?: string }> }).plugins
    const broken = plugins.find((p) => p.file.endsWith("broken.js"))
    expect(["failed", "disabled"]).toContain(broken?.state ?? "")
    expect(broken?.lastError).toMatch(/broken\.js:\d+/)
    // what to do is said with it (regression: the state and error alone)
    expect(broken?.remedy).toContain(`plugins check ${broken?.file}`)
    expect(plugins.filter((p) => p.state === "active" && p.remedy !== undefined)).toEqual([])
    expect(plugins.filter((p) => p.state === "active").length).toBeGreaterThanOrEqual(2)
  })

  test("hot reload: a new plugin prompt appears and prompts/list_changed is sent", async () => {
    writeFileSync(
      join(pluginDir, "extra.js"),
      "export default { name: 'extra', prompts: [{ name: 'extra_prompt', description: 'added later', render: () => 'hello from extra' }] }\n",
    )
    let names: string[] = []
    for (let i = 0; i < 100 && !names.includes("extra_prompt"); i++) {
      await Bun.sleep(50)
      names = (await c.client.listPrompts()).prompts.map((p) => p.name)
    }
    expect(names).toContain("extra_prompt")
    expect(changed).toContain("prompts")
    const r = await c.client.getPrompt({ name: "extra_prompt" })
    expect(JSON.stringify(r.messages)).toContain("hello from extra")
  })

  test("a plugin prompt whose render fails is an internal error naming the prompt (-32603), not the caller's mistake (-32602)", async () => {
    writeFileSync(join(pluginDir, "faulty.js"), `export default { name: "faulty", prompts: [{ name: "faulty_prompt", description: "throws", render: () => { throw new Error("render blew up") } }] }`)
    let names: string[] = []
    for (let i = 0; i < 100 && !names.includes("faulty_prompt"); i++) {
      await Bun.sleep(50)
      names = (await c.client.listPrompts()).prompts.map((p) => p.name)
    }
    const err = (await c.client.getPrompt({ name: "faulty_prompt" }).catch((e: unknown) => e)) as { code?: number; message?: string }
    expect(err.code).toBe(-32603)
    expect(err.message).toContain('Prompt "faulty_prompt" failed')
    expect(err.message).toContain("render blew up")
    // a missing argument stays the caller's: -32602
    const bad = (await c.client.getPrompt({ name: "write_commit_message", arguments: {} }).catch((e: unknown) => e)) as { code?: number }
    expect(bad.code).toBe(-32602)
  })
})
