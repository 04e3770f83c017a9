/**
 * A call of a name no tool has says which tool it most likely meant (QA 7b): a server's own tool name
 * without its prefix (`echo` for `ev__echo`) or the name in another case, as `describe_tools` does;
 * only tools this connection may call; a typo a letter or two away (QA 13); no guess when nothing
 * is close, and then the message says where names are found.
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
  expect(await message("getEnv")).toBe("Unknown tool: getEnv (find names with search_tools)")
}, 30_000)

test("a typo (a letter or two wrong, missing, extra or swapped): the closest exposed name is suggested", async () => {
  // QA 13: `ev__echoo` got a bare "Unknown tool", though `echo` got a guess
  expect(await message("ev__echoo")).toBe("Unknown tool: ev__echoo (did you mean ev__echo?)")
  expect(await message("ev__get-smu")).toBe("Unknown tool: ev__get-smu (did you mean ev__get-sum?)")
  expect(await message("ev__get-su")).toBe("Unknown tool: ev__get-su (did you mean ev__get-sum?)")
  expect(await message("ev__toggle-simulated-loging")).toBe("Unknown tool: ev__toggle-simulated-loging (did you mean ev__toggle-simulated-logging?)")
  // swapped letters; the server's own name, typed wrong
  expect(await message("ev__ehco")).toBe("Unknown tool: ev__ehco (did you mean ev__echo?)")
  expect(await message("get-summ")).toBe("Unknown tool: get-summ (did you mean ev__get-sum?)")
  // a hidden tool is never named, however close
  expect(await message("ev__get-envv")).toBe("Unknown tool: ev__get-envv (find names with search_tools)")
}, 30_000)

test("letters written as non-alphanumerics (a name from before a fold of accented letters): the exposed name is suggested", async () => {
  // QA 157: the previous release exposed `ünïcode_tööl` as `s___n_code_t__l`, now `s__unicode_tool`
  // more letters so written than a typo allows for
  expect(await message("ev__t_ggl_-s_m_l_t_d-l_gg_ng")).toBe("Unknown tool: ev__t_ggl_-s_m_l_t_d-l_gg_ng (did you mean ev__toggle-simulated-logging?)")
  expect(await message("ev__g_t-__m")).toBe("Unknown tool: ev__g_t-__m (did you mean ev__get-sum?)")
  // separators alone do not stand for letters of a hidden tool either
  expect(await message("ev__g_t-__v")).toBe("Unknown tool: ev__g_t-__v (find names with search_tools)")
}, 30_000)

test("nothing close, or only a tool this connection may not call: no guess, but where to find names", async () => {
  expect(await message("nosuch__tool")).toBe("Unknown tool: nosuch__tool (find names with search_tools)")
  expect(await message("get-env")).toBe("Unknown tool: get-env (find names with search_tools)")
  // short names have no room for a typo: "ad" is not "ev__add"'s neighbour, nor "sum" a typo of anything
  expect(await message("ad")).toBe("Unknown tool: ad (find names with search_tools)")
}, 30_000)

test("the same words in another order, the tool under a wrong server prefix, a word more or less: the exposed name is suggested", async () => {
  // QA 47: a model reorders a name's words, abbreviates or mistakes the server, or adds the object
  // it means; each got "find names with search_tools", though the tool was plain to see
  expect(await message("ev__sum-get")).toBe("Unknown tool: ev__sum-get (did you mean ev__get-sum?)")
  expect(await message("everything__get-sum")).toBe("Unknown tool: everything__get-sum (did you mean ev__get-sum?)")
  expect(await message("ev__get-sum-numbers")).toBe("Unknown tool: ev__get-sum-numbers (did you mean ev__get-sum?)")
  expect(await message("ev__tiny-image")).toBe("Unknown tool: ev__tiny-image (did you mean ev__get-tiny-image?)")
  // a hidden tool stays unnamed in every one of these spellings
  expect(await message("ev__env-get")).toBe("Unknown tool: ev__env-get (find names with search_tools)")
  expect(await message("ev__get-env-vars")).toBe("Unknown tool: ev__get-env-vars (find names with search_tools)")
  // a word the server's tools do not have is no guess
  expect(await message("ev__delete-everything")).toBe("Unknown tool: ev__delete-everything (find names with search_tools)")
}, 30_000)

test("a hidden tool closer to the name than a callable one: the callable one is suggested, the hidden one never", async () => {
  // QA 51: the guess was filtered after the closest name was chosen, so a hidden closest name
  // (get-env, one letter from "get-enm") left no guess though get-sum (two letters) is callable
  expect(await message("ev__get-enm")).toBe("Unknown tool: ev__get-enm (did you mean ev__get-sum?)")
}, 30_000)

test("an unknown prompt name says which prompt it most likely meant, else where the names are (a bare 'Unknown prompt: x' before)", async () => {
  const promptMessage = async (name: string): Promise<string> => {
    try {
      await proxy.getPrompt(name, undefined, ctx())
      return "(no error)"
    } catch (e) {
      return (e as Error).message
    }
  }
  expect(await promptMessage("simple-prompt")).toBe("Unknown prompt: simple-prompt (did you mean ev__simple-prompt?)")
  expect(await promptMessage("ev__simple_prompt")).toBe("Unknown prompt: ev__simple_prompt (did you mean ev__simple-prompt?)")
  expect(await promptMessage("ev__simple-promt")).toBe("Unknown prompt: ev__simple-promt (did you mean ev__simple-prompt?)")
  expect(await promptMessage("nothing_like_it")).toBe("Unknown prompt: nothing_like_it (prompts/list names the prompts; a server's prompt is named <server>__<prompt>)")
}, 30_000)
