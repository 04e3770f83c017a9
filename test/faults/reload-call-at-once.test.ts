/**
 * A server added to the config file and used at once (an agent that writes the entry and calls the
 * new server's tool next; Cursor, which lists once, reaches it through call_tool and search_tools):
 * a call of a name not known yet, and search_tools, wait for a config reload that is due (a file
 * change within its debounce, or whose watch event has not come in yet), running or held, then see
 * the new server. Before, the call sent right after the write answered "Unknown tool: b__echo (did
 * you mean a__echo?)" and the search had none of b's tools. A server added by an edit that also
 * stops others (held until the file holds still) is waited for the same way.
 * The binary, the SDK's real Client listing once, raw JSON-RPC fixture servers.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, resultText, ROOT, sandboxEnv } from "../helpers/binary.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

beforeAll(ensureBuilt, 120_000)

/** A config file of these servers (each the fixture server), as YAML. */
const yaml = (names: string[]): string =>
  ["toolkit:", '  enabled: "off"', "servers:", ...names.flatMap((n) => [`  ${n}:`, `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(GATE_SERVER)}]`]), ""].join("\n")

test("a server added to the file is reachable by the very next call_tool and search_tools", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, yaml(["a"]))
  await using c = Object.assign(await connectBinary(["serve", "--config", cfg], env), {
    async [Symbol.asyncDispose]() {
      await c.close()
    },
  })
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("a__echo")
  const call = async (name: string) => resultText(await c.client.callTool({ name: "call_tool", arguments: { name, arguments: { message: "hi" } } }))

  // added, called at once (the same tick as the write): routed to the new server
  writeFileSync(cfg, yaml(["a", "b"]))
  expect(await call("b__echo")).toBe("hi")

  // added, searched at once: its tools are in the catalog
  writeFileSync(cfg, yaml(["a", "b", "c"]))
  expect(resultText(await c.client.callTool({ name: "search_tools", arguments: { query: "echo the message", server: "c" } }))).toContain("c__echo")

  // a and b dropped, d added: the reload is held (it would stop servers) until the file holds still;
  // d's call waits for it, then a is gone
  writeFileSync(cfg, yaml(["c", "d"]))
  expect(await call("d__echo")).toBe("hi")
  expect(await call("a__echo")).toContain("SERVER_REMOVED")
}, 60_000)
