/**
 * Regression (qa179): a server entry with neither `command` nor `url` was told only "expected a
 * stdio server {command, …} or a remote server {url, …}": it did not say that a key is missing,
 * which one its `type` needs, nor what the entry has. Now every such entry (the whole config
 * invalid, or one entry left out while the others run, or an mcp.json entry read for import) names
 * its key path, its file and line, the key missing and what it holds.
 */
import { describe, expect, test } from "bun:test"
import { loadConfig, serverEntryProblems } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const { file } = configDir("mcpo-missing-key-")
const COMMAND = "`command` (the program to run, for a stdio server {command, args?, env?, cwd?})"
const URL_KEY = "`url` (the http:// or https:// endpoint, for an HTTP/SSE server {url, transport?, headers?})"

describe("a server entry without command or url names the missing key, the file and what is expected", () => {
  test("every entry invalid: the config error", () => {
    const p = file(["servers:", "  a: { args: [x], env: { K: v } }", "  b: { type: sse, headers: { X-Team: t } }", "  c: {}", ""].join("\n"))
    expect(problems(() => loadConfig({ configPath: p, env: {} }))).toEqual([
      `servers.a (${p}:2): missing required key: ${COMMAND} or ${URL_KEY}; it has only \`args\`, \`env\``,
      `servers.b (${p}:3): missing required key ${URL_KEY}, as its \`type: sse\` says; it has only \`type\`, \`headers\``,
      `servers.c (${p}:4): missing required key: ${COMMAND} or ${URL_KEY}; the entry is empty`,
    ])
  })

  test("one entry left out while the others run (Cursor's mcp.json shape): its problem says the same", () => {
    const p = file('{\n  "mcpServers": {\n    "ok": { "command": "node" },\n    "remote": { "type": "streamableHttp" }\n  }\n}\n', "json")
    const loaded = loadConfig({ configPath: p, env: {} })
    expect(loaded.invalidServers?.map((i) => [i.entry, i.source, i.problems.map((x) => x.problem)])).toEqual([
      ["mcpServers.remote", `${p}:4`, [`missing required key ${URL_KEY}, as its \`type: streamableHttp\` says; it has only \`type\``]],
    ])
  })

  test("an entry read for import (cursor connect --import)", () => {
    expect(serverEntryProblems({ args: ["-y", "pkg"] })).toEqual([`missing required key: ${COMMAND} or ${URL_KEY}; it has only \`args\``])
  })
})
