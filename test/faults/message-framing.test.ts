/**
 * A stdio downstream that does not end each message with a line feed: two messages glued on one
 * line (`{…}{…}`), a message ended by a bare carriage return, an answer with no line break after it
 * while the server waits, an answer with noise after it on its line. Through the compiled binary
 * with the SDK (v1) Client, next to the real server-memory. Such a line used to be skipped whole as
 * noise (every message on it lost), and a message without its line feed sat unread until the next
 * one came (then both were lost): a tools/list answered so left the server out of the first answer
 * (Cursor never lists again), a call waited out its whole timeout (20 s here). Now each JSON value
 * is read on its own (core/json-values, core/line-framer `joined`, `pendingWhole`). A server writing
 * each message pretty-printed over several lines never started (its `initialize` answer skipped line
 * by line: `pool.connectTimeout`, 30 s, and the first tools/list waited for it); now its lines are
 * held until the brackets close (`holdFrom`).
 * Fixture: test/faults/servers/framing-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { beside, ensureBuilt, resultText, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "framing-server.ts")
const text = resultText

beforeAll(ensureBuilt, 120_000)

describe("a downstream's messages without a line feed after each", () => {
  let c: Connected
  let first: string[]
  beforeAll(async () => {
    ;({ c, first } = await beside({
      odd: { command: process.execPath, args: [SERVER] },
      pretty: { command: process.execPath, args: [SERVER, "--pretty"] },
    }))
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("a tools/list glued to a notification and ended by a bare carriage return is in the first answer", () => {
    expect(first).toEqual(expect.arrayContaining(["odd__glued", "odd__cr_only", "odd__no_newline", "odd__trailing", "odd__fine", "mem__read_graph"]))
  })

  test("a server writing each message pretty-printed over several lines starts at once, its tools in the first answer and callable", async () => {
    expect(first).toEqual(expect.arrayContaining(["pretty__glued", "pretty__fine"]))
    const r = (await c.client.callTool({ name: "pretty__fine", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(text(r)).toBe("called fine")
  }, 30_000)

  test("each answer is read at once, whatever ends it", async () => {
    for (const name of ["glued", "cr_only", "no_newline", "trailing", "fine"]) {
      const r = (await c.client.callTool({ name: `odd__${name}`, arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
      expect(text(r)).toBe(name === "fine" ? "called fine" : name)
      expect(r.isError).toBeFalsy()
    }
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
  }, 60_000)
})
