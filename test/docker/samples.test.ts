/**
 * @module test/docker/samples.test
 * Parses each real Toolkit data sample in ../shared/toolkit-samples (skipped when absent). Files
 * that are not `docker mcp` output (CLI references, client configs, compose files) are listed with
 * the reason they are skipped, so a new sample cannot be silently ignored.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { ParserRegistry, type ParseKind } from "../../src/docker/index.ts"

const SAMPLES = resolve(import.meta.dir, "..", "..", "..", "shared", "toolkit-samples")
const present = existsSync(SAMPLES)

/** Sample → kind, and a check of something specific in the normalized result. */
const PARSED: Record<string, [ParseKind, (v: unknown) => void]> = {
  "legacy-catalog-minimal.custom-catalog.yaml": ["catalog", (v) => expect(v).toMatchObject({ servers: [{ name: "duckduckgo", type: "server", title: "DuckDuckGo" }] })],
  "legacy-catalog-remote-server.yaml": ["catalog", (v) => expect(v).toMatchObject({ servers: [{ name: "gitmcpmoby", type: "remote", remote: { url: "https://gitmcp.io/moby/moby", transportType: "http" } }] })],
  "legacy-catalog-entry-playwright-full-fields.yaml": ["catalog", (v) => expect(v).toMatchObject({ servers: [{ name: "playwright", longLived: true }] })],
  "legacy-catalog-with-config-secrets-env.yaml": [
    "catalog",
    (v) => expect(v).toMatchObject({ name: "my-mcp-catalog", title: "My MCP Catalog", servers: [{ name: "my-mcp", secrets: [{ name: "my-mcp.SECRET_KEY", env: "SECRET_KEY" }], config: [{ name: "my-mcp", required: ["mode"] }] }] }),
  ],
  "registry.yaml": ["servers", (v) => expect((v as Array<{ name: string }>).map((s) => s.name)).toContain("SQLite")],
  "config.yaml": ["config", (v) => expect(v).toMatchObject({ filesystem: { paths: ["/Users/slim"] }, "rust-mcp-filesystem": { allow_write: true } })],
  "toolsUrl-format.database-server.tools.json": [
    "tools",
    (v) => expect((v as unknown[])[0]).toEqual({ name: "query_database", description: expect.any(String), inputSchema: { type: "object", properties: { query: { type: "string", description: expect.any(String) } }, required: ["query"] } }),
  ],
  "server-entry.file-ref.yaml": ["inspect", (v) => expect(v).toMatchObject({ name: "my-mcp", tools: [], readme: "" })],
  "server-entry.file-ref.json": ["inspect", (v) => expect(v).toMatchObject({ name: "my-mcp", tools: [], readme: "" })],
}

const NOT_TOOLKIT_OUTPUT: Record<string, string> = {
  "INDEX.md": "index",
  "cli-ref.catalog-show.legacy.yaml": "CLI reference, not output",
  "cli-ref.gateway-run.legacy-tree.yaml": "CLI reference, not output",
  "cli-ref.secret-ls.yaml": "CLI reference, not output",
  "cli-ref.server-ls.legacy.yaml": "CLI reference, not output",
  "cli-ref.tools-call.yaml": "CLI reference, not output",
  "cli-ref.tools.yaml": "CLI reference, not output",
  "client-config.embedded.yml": "client connect configuration",
  "client-connect.after-add.json": "client config file",
  "client-connect.before.json": "client config file",
  "cursor-mcp.json.connected.json": "client config file",
  "cursor-mcp.json.with-profile.json": "client config file",
  "vscode-mcp.json.after-add.json": "client config file",
  "gateway-compose.streaming-client.yaml": "compose file",
  "gateway-compose.toolkit-files-sse.yaml": "compose file",
  "mcp-registry-server.filesystem.json": "MCP Registry v0 API document",
  "mcp-registry-server.remote.json": "MCP Registry v0 API document",
  "mcp-registry-src.database-server.server.yaml": "catalog generator source",
  "mcp-registry-src.github-official.server.yaml": "catalog generator source",
  "mcp-registry-src.notion-remote.server.yaml": "catalog generator source",
}

describe.skipIf(!present)("real Toolkit samples", () => {
  const reg = new ParserRegistry()
  const files = present ? readdirSync(SAMPLES).sort() : []

  test("every sample is either parsed or skipped for a stated reason", () => {
    const unknown = files.filter((f) => !(f in PARSED) && !(f in NOT_TOOLKIT_OUTPUT))
    expect(unknown).toEqual([])
  })

  for (const f of files.filter((x) => x in PARSED)) {
    test(f, () => {
      const [kind, check] = PARSED[f] as [ParseKind, (v: unknown) => void]
      check(reg.parse(kind, readFileSync(join(SAMPLES, f), "utf8"), { command: f }))
    })
  }
})
