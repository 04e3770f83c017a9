/**
 * Regression (QA qa268): a config pasted from another MCP client in that client's shape failed with
 * nothing that said how to write it here:
 * - `servers:` (or `mcpServers:`) written as a list of `- name: x` items: only "expected a mapping
 *   of names to mappings, got a list";
 * - Continue's `experimental.modelContextProtocolServers`, VS Code settings.json's `mcp` section,
 *   Zed's `context_servers`, Codex's `mcp_servers`: only "unknown key; expected one of log, …".
 * Each now names what it is and the rewrite, with its file and line.
 */
import { describe, expect, test } from "bun:test"
import { loadConfig } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const { file } = configDir("mcpo-other-shapes-")
const SHAPE = "`NAME: { command, args?, env? }` or `NAME: { url, headers? }`"

describe("another client's config shape names the rewrite", () => {
  test("servers (or mcpServers) written as a list", () => {
    for (const key of ["servers", "mcpServers"]) {
      const p = file(`${key}:\n  - name: mem\n    command: npx\n`)
      expect(problems(() => loadConfig({ configPath: p, env: {} }))).toEqual([
        `${key} (${p}:1): expected a mapping of names to mappings, got a list; write each server as a key of its own, its name as the key: \`${key}: { memory: { command: npx, args: [-y, @modelcontextprotocol/server-memory] } }\` (in YAML \`memory:\` indented under \`${key}:\`, not \`- name: memory\`)`,
      ])
    }
  })

  test("Continue's, VS Code's, Zed's and Codex's server sections", () => {
    const cont = file(JSON.stringify({ experimental: { modelContextProtocolServers: [{ transport: { type: "stdio", command: "npx", args: [] } }] } }), "json")
    expect(problems(() => loadConfig({ configPath: cont, env: {} }))).toEqual([
      `experimental (${cont}:1): unknown key (Continue's \`experimental.modelContextProtocolServers\` list); write each of its items under \`servers\` as ${SHAPE}, taking command and args from the item's \`transport\``,
    ])
    const vs = file('{\n  "mcp": { "servers": { "a": { "command": "node" } } }\n}\n', "json")
    expect(problems(() => loadConfig({ configPath: vs, env: {} }))[0]).toStartWith(`mcp (${vs}:2): unknown key (VS Code's settings.json \`mcp\` section`)
    const zed = file("context_servers:\n  a: { command: node }\n")
    expect(problems(() => loadConfig({ configPath: zed, env: {} }))[0]).toBe(`context_servers (${zed}:1): unknown key (Zed's \`context_servers\` map); rename it \`servers\`, each entry ${SHAPE}`)
    const codex = file("mcp_servers:\n  a: { command: node }\n")
    expect(problems(() => loadConfig({ configPath: codex, env: {} }))[0]).toStartWith(`mcp_servers (${codex}:1): unknown key (a \`mcp_servers\` map (Codex CLI)); rename it \`servers\``)
  })

  test("an `experimental` key of another shape is not called Continue's", () => {
    const p = file("experimental: { x: 1 }\n")
    expect(problems(() => loadConfig({ configPath: p, env: {} }))[0]).toStartWith(`experimental (${p}:1): unknown key; expected one of `)
  })
})
