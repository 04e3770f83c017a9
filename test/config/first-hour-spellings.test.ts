/**
 * Regressions (QA qa19, first hour):
 * - `servers:` with every entry commented out (YAML null), or `"mcpServers": null`, stopped the
 *   orchestrator ("expected a mapping of names to mappings, got null"); it is read as no servers,
 *   with a warning naming the key and line.
 * - the transport spellings other clients write (`type: streamableHttp` of Cline and Roo Code,
 *   `streamable_http`, `SSE`; `transport: http`) were config errors; they are read as ours. A value
 *   no client means (`websocket`) is still an error listing the accepted values.
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { BIN, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"

function file(name: string, text: string): string {
  const p = join(tempDir("mcpo-spell-"), name)
  writeFileSync(p, text)
  return p
}

describe("servers with no value", () => {
  test("YAML `servers:` whose entries are all commented out, and mcpServers: null, are no servers, with a warning", () => {
    const p = file("config.yaml", "toolkit: { enabled: off }\nservers:\n  # memory: { command: npx }\nmcpServers:\n")
    const r = loadConfig({ configPath: p, env: { HOME: "/nonexistent" } })
    expect(r.config.servers).toEqual({})
    expect(r.warnings).toContain(`servers (${p}:2): has no value (null); read as no servers. Add entries under it, or remove the key`)
    expect(r.warnings).toContain(`mcpServers (${p}:4): has no value (null); read as no servers. Add entries under it, or remove the key`)
  })

  test('JSON "mcpServers": null next to servers', () => {
    const p = file("config.json", '{ "mcpServers": null, "servers": { "a": { "command": "true" } } }\n')
    const r = loadConfig({ configPath: p, env: { HOME: "/nonexistent" } })
    expect(Object.keys(r.config.servers)).toEqual(["a"])
  })

  test("serve starts on such a config (the binary)", async () => {
    await ensureBuilt()
    const env = sandboxEnv()
    const p = file("config.yaml", "toolkit: { enabled: off }\nservers:\n")
    const r = Bun.spawnSync([BIN, "doctor", "--json", "--config", p], { env, cwd: env.HOME })
    const rep = JSON.parse(r.stdout.toString()) as { checks: Array<{ name: string; status: string; detail: string }> }
    expect(rep.checks.find((c) => c.name === "config")?.status).not.toBe("fail")
  }, 30_000)
})

describe("transport spellings of other clients", () => {
  test("type: streamableHttp / streamable_http / SSE and transport: http, HTTP, streamableHttp are read as ours", () => {
    const p = file(
      "config.yaml",
      [
        "servers:",
        "  a: { type: streamableHttp, url: https://example.com/mcp }",
        "  b: { type: streamable_http, url: https://example.com/mcp }",
        "  c: { type: SSE, url: https://example.com/sse }",
        "  d: { transport: http, url: https://example.com/mcp }",
        "  e: { transport: streamableHttp, url: https://example.com/mcp }",
        "  f: { type: Stdio, command: 'true' }",
        "",
      ].join("\n"),
    )
    const s = loadConfig({ configPath: p, env: { HOME: "/nonexistent" } }).config.servers as Record<string, { type?: string; transport?: string }>
    expect(s.a!.type).toBe("streamable-http")
    expect(s.b!.type).toBe("streamable-http")
    expect(s.c!.type).toBe("sse")
    expect(s.d!.transport).toBeUndefined() // the default: streamable HTTP, falling back to SSE
    expect(s.e!.transport).toBe("streamable-http")
    expect(s.f!.type).toBe("stdio")
  })

  test("a value no client means is an error listing what is accepted", () => {
    const p = file("config.yaml", "servers:\n  a: { type: websocket, url: https://example.com/mcp }\n  b: { transport: ws, url: https://example.com/mcp }\n")
    let msg = ""
    try {
      loadConfig({ configPath: p, env: { HOME: "/nonexistent" } })
    } catch (e) {
      msg = (e as Error).message
    }
    expect(msg).toContain(`servers.a.type (${p}:2): expected one of "stdio", "http", "streamable-http", "sse", got "websocket"`)
    expect(msg).toContain(`servers.b.transport (${p}:3): expected one of "streamable-http", "sse", got "ws"`)
  })
})

test("a key written twice in YAML is remedied as a duplicate, not as a syntax error", () => {
  const p = file("config.yaml", "servers:\n  a: { command: 'true' }\n  a: { command: 'false' }\n")
  let e: { message: string; remedy?: string } | undefined
  try {
    loadConfig({ configPath: p, env: { HOME: "/nonexistent" } })
  } catch (x) {
    e = x as { message: string; remedy?: string }
  }
  expect(e?.message).toContain(`servers.a (${p}:3): duplicate key; it is already set on line 2`)
  expect(e?.remedy).toBe("Keep one of the two keys (a YAML mapping takes each key once).")
})

describe("server-entry keys of other clients (qa56, qa218)", () => {
  test("approval keys are not used, tool lists become the tools filter, each with a warning: the entries load", () => {
    const p = file(
      "mcp.json",
      '{"mcpServers": {\n"cline": {"command": "npx", "args": ["-y", "x"], "autoApprove": [], "alwaysAllow": ["t"], "disabled": false},\n' +
        '"gem": {"url": "https://x.example/mcp", "trust": true, "includeTools": ["a"], "excludeTools": ["b"]},\n' +
        '"w": {"command": "npx", "disabledTools": ["rm"], "tools": {"deny": ["x_*"]}}}}',
    )
    const loaded = loadConfig({ configPath: p, env: { HOME: "/nonexistent" } })
    expect(loaded.invalidServers ?? []).toEqual([])
    expect(Object.keys(loaded.config.servers).sort()).toEqual(["cline", "gem", "w"])
    expect(loaded.config.servers.cline).not.toHaveProperty("autoApprove")
    expect(loaded.config.servers.gem!.tools).toEqual({ allow: ["a"], deny: ["b"] })
    // added to the entry's own deny list, never replacing it
    expect(loaded.config.servers.w!.tools).toEqual({ deny: ["x_*", "rm"] })
    const msg = (loaded.warnings ?? []).join("\n")
    expect(msg).toContain(`mcpServers.cline.autoApprove (${p}:2): Cline's and Roo Code's list of tools run without asking: not used; approving tool calls is the client's job`)
    expect(msg).toContain(`mcpServers.cline.alwaysAllow (${p}:2): Roo Code's`)
    expect(msg).toContain(`mcpServers.gem.trust (${p}:3): Gemini CLI's switch`)
    expect(msg).toContain(`mcpServers.gem.includeTools (${p}:3): Gemini CLI's list of tools to keep: read as \`tools.allow\``)
    expect(msg).toContain(`mcpServers.gem.excludeTools (${p}:3): Gemini CLI's list of tools to hide: read as \`tools.deny\``)
    expect(msg).toContain(`mcpServers.w.disabledTools (${p}:4): a list of tools to hide: read as \`tools.deny\``)
  })

  test("a tool list that cannot be read as a filter stays an error naming it (the entry is left out: never served unfiltered)", () => {
    const p = file("mcp.json", '{"mcpServers": {"ok": {"command": "npx"},\n"w": {"command": "npx", "disabledTools": "rm"},\n"g": {"command": "npx", "includeTools": ["a"], "tools": {"allow": ["b"]}}}}')
    const loaded = loadConfig({ configPath: p, env: { HOME: "/nonexistent" } })
    expect(Object.keys(loaded.config.servers)).toEqual(["ok"])
    const lines = (loaded.invalidServers ?? []).flatMap((s) => s.problems.map((x) => `${x.at} (${x.source}): ${x.problem}`)).join("\n")
    // was: did you mean "disabled"? (which turns the whole server off)
    expect(lines).toContain(`mcpServers.w.disabledTools (${p}:2): unknown key (a list of tools to hide); write \`tools: { deny: [...] }\``)
    expect(lines).toContain(`mcpServers.g.includeTools (${p}:3): unknown key (Gemini CLI's list of tools to keep)`)
    expect(lines).not.toContain('did you mean "disabled"')
  })
})
