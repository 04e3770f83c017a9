/**
 * A tool name the client still holds (Cursor never re-lists mid-session) whose server changed: the
 * answer says why it cannot be called, not a bare "Unknown tool". Its server was redefined by a
 * reload and no longer lists it (the reason and its tools now), its entry is invalid (the entry's
 * problems with key and file:line, disabled or not), it is disabled, or its new definition fails to
 * start (the last error). Through the binary, a real SDK client and the npm reference servers.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const NM = join(ROOT, "node_modules", "@modelcontextprotocol")
const EVERYTHING = join(NM, "server-everything", "dist", "index.js")
const MEMORY = join(NM, "server-memory", "dist", "index.js")
const node = JSON.stringify(process.execPath)

type Result = { content?: { text?: string }[]; isError?: boolean }
const open: Connected[] = []
beforeAll(ensureBuilt, 120_000)
afterAll(async () => {
  for (const c of open) await c.close()
})

const lineOf = (text: string, needle: string): number => text.split("\n").findIndex((l) => l.includes(needle)) + 1

/** The answer to a call, as text: a tool error's text, or a JSON-RPC error's message. */
async function answer(c: Connected, name: string, args: Record<string, unknown> = {}): Promise<string> {
  try {
    const r = (await c.client.callTool({ name, arguments: args })) as Result
    return `${r.isError ? "ERROR " : ""}${(r.content ?? []).map((x) => x.text ?? "").join("")}`
  } catch (e) {
    return `THROWN ${(e as Error).message}`
  }
}

test("unknown-tool answers name the reason: redefined server (its tools now), invalid entry (key, file:line, expected), disabled, failing to start", async () => {
  const e = sandboxEnv()
  const cfg = join(e.HOME!, "config.yaml")
  const memory = `  memory:\n    command: ${node}\n    args: [${JSON.stringify(MEMORY)}]\n    env: { MEMORY_FILE_PATH: ${JSON.stringify(join(e.HOME!, "m.json"))} }\n`
  const everything = `  everything:\n    command: ${node}\n    args: [${JSON.stringify(EVERYTHING)}, stdio]\n`
  const bad = `  bad:\n    comand: npx\n  offbad:\n    disabled: true\n    args: "x"\n    command: node\n  off:\n    disabled: true\n    command: node\n`
  const text = `toolkit: { enabled: "off" }\nservers:\n${everything}${memory}${bad}`
  writeFileSync(cfg, text)
  const c = await connectBinary(["serve", "--config", cfg], e)
  open.push(c)
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("memory__read_graph")

  // left out as invalid: the entry, where, and what was expected — directly and through call_tool
  const invalid = await answer(c, "bad__search")
  expect(invalid).toContain("CONFIG_INVALID")
  expect(invalid).toContain(`Server bad is not started: its config entry servers.bad (${cfg}:${lineOf(text, "  bad:")}) is invalid, so bad__search cannot be called`)
  expect(invalid).toContain(`servers.bad.comand (${cfg}:${lineOf(text, "comand")}): unknown key; did you mean "command"?`)
  expect(await answer(c, "call_tool", { name: "bad__search", arguments: {} })).toContain(`servers.bad.comand (${cfg}:${lineOf(text, "comand")})`)
  const offBad = await answer(c, "offbad__x")
  expect(offBad).toContain("Server offbad is disabled, and its config entry servers.offbad")
  expect(offBad).toContain(`servers.offbad.args (${cfg}:${lineOf(text, 'args: "x"')}): expected an array of strings`)
  expect(await answer(c, "off__x")).toContain("SERVER_DISABLED")

  // memory redefined (its command now runs server-everything): its old tools are gone, and the answer says why and what it has now
  writeFileSync(cfg, `toolkit: { enabled: "off" }\nservers:\n${everything}${memory.replace(JSON.stringify(MEMORY), `${JSON.stringify(EVERYTHING)}, stdio`)}${bad}`)
  await waitFor("memory redefined", async () => (await c.client.listTools()).tools.some((t) => t.name === "memory__echo"), 30_000)
  const gone = await answer(c, "memory__read_graph")
  expect(gone).toContain("Unknown tool: memory__read_graph (server memory was restarted (its definition changed in the config) and no longer lists read_graph; its tools now: memory__echo")
  expect(gone).toContain("in all")
  // a typo of a tool it has now: the plain answer with the close match (its old definition had no such tool either)
  expect(await answer(c, "memory__echoo")).toContain("Unknown tool: memory__echoo (did you mean memory__echo?)")

  // redefined to a command that fails: its tools' calls say the server is unavailable, with the start error
  writeFileSync(cfg, `toolkit: { enabled: "off" }\nservers:\n${everything}  memory:\n    command: /nonexistent/mcpo-no-such-server\n${bad}`)
  const down = await waitFor("memory redefined to a failing command", async () => {
    const a = await answer(c, "memory__echo")
    return a.includes("SERVER_UNAVAILABLE") || a.includes("SPAWN_FAILED") ? a : undefined
  }, 30_000)
  expect(down).toContain("mcpo-no-such-server")
}, 90_000)

test("a disabled server whose enabled entry of the same name was left out (mcpServers.x beside servers.x): the answer names that entry and which to keep", async () => {
  const e = sandboxEnv()
  const cfg = join(e.HOME!, "config.yaml")
  const text = `toolkit: { enabled: "off" }\nservers:\n  twin:\n    disabled: true\n    command: ${node}\n    args: [${JSON.stringify(MEMORY)}]\nmcpServers:\n  twin:\n    command: ${node}\n    args: [${JSON.stringify(MEMORY)}]\n`
  writeFileSync(cfg, text)
  const c = await connectBinary(["serve", "--config", cfg], e)
  open.push(c)
  const said = await answer(c, "twin__read_graph")
  expect(said).toContain("SERVER_DISABLED")
  expect(said).toContain(`the other entry of that name, mcpServers.twin (${cfg}:${lineOf(text, "mcpServers:") + 1}) is left out: `)
  expect(said).toContain("defined in servers too")
  expect(said).toContain("remove the disabled servers.twin if mcpServers.twin is the one meant")
}, 30_000)
