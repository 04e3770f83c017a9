/**
 * A call of a name no tool has says which tool it most likely meant (QA 7b): a server's own tool name
 * without its prefix (`echo` for `ev__echo`) or the name in another case, as `describe_tools` does;
 * only tools this connection may call, and no guess when nothing is close.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { createProxy, type Proxy } from "../../src/proxy/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { ctx, everythingStdio } from "./helpers.ts"

let proxy: Proxy

beforeAll(async () => {
  const config = ConfigSchema.parse({ servers: { ev: { ...everythingStdio, tools: { deny: ["get-env"] } } } })
  proxy = createProxy({ config, log: silentLogger, closeGraceMs: 300 })
  await proxy.listTools()
})
afterAll(async () => await proxy[Symbol.asyncDispose]())

const message = async (name: string): Promise<string> => {
  try {
    await proxy.callTool(name, {}, ctx())
    return "(no error)"
  } catch (e) {
    return (e as Error).message
  }
}

test("a server's tool name without its prefix, or the exposed name in another case: the exposed name is suggested", async () => {
  expect(await message("echo")).toBe("Unknown tool: echo (did you mean ev__echo?)")
  expect(await message("EV__ECHO")).toBe("Unknown tool: EV__ECHO (did you mean ev__echo?)")
}, 30_000)

test("the same words in another spelling (separator, camelCase, kebab-case, a client's prefix): the exposed name is suggested", async () => {
  // QA 9b: a model writes the names it guesses like this; each got a bare "Unknown tool"
  for (const n of ["ev_get_sum", "ev.get-sum", "ev/get_sum", "getSum", "get_sum", "mcp__ev__get-sum", "EvGetSum"]) {
    expect(await message(n)).toBe(`Unknown tool: ${n} (did you mean ev__get-sum?)`)
  }
  // the hidden tool stays unnamed whatever the spelling
  expect(await message("getEnv")).toBe("Unknown tool: getEnv")
}, 30_000)

test("nothing close, or only a tool this connection may not call: no guess", async () => {
  expect(await message("nosuch__tool")).toBe("Unknown tool: nosuch__tool")
  expect(await message("get-env")).toBe("Unknown tool: get-env")
}, 30_000)
