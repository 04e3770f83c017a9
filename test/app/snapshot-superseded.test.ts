/**
 * A stored first answer marked superseded (a server's changed list is being stored: app/orchestrator
 * `onToolsStored`) is not served until a complete answer replaces it: an answer that was waiting for
 * its write (built before that list) is dropped, a mark made after `close` (a server listing while the
 * orchestrator stops) still holds, and the next complete answer written (or found identical) clears it.
 */
import { expect, test } from "bun:test"
import { existsSync } from "node:fs"
import { join } from "node:path"
import type { Tool } from "@modelcontextprotocol/client"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { loadConfig } from "../../src/config/index.ts"
import { tempDir } from "../helpers/binary.ts"

const tool = (name: string): Tool => ({ name, inputSchema: { type: "object", properties: {} } })

function snapshot() {
  const dir = tempDir("mcpo-snaps-")
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
  const loaded = loadConfig({ env })
  const s = new ToolSnapshot(loaded, env)
  return { s, loaded, env, names: () => new ToolSnapshot(loaded, env).read()?.map((t) => t.name), marked: () => existsSync(`${s.path}.superseded`) }
}

test("a pending answer built before a changed list is dropped; the mark holds until a complete answer is written", () => {
  const { s, names, marked } = snapshot()
  s.save([tool("a")], undefined, { complete: true })
  s.flush()
  expect(names()).toEqual(["a"])
  s.save([tool("a"), tool("b")], undefined, { complete: true })
  s.superseded("a")
  s.flush()
  expect(marked()).toBe(true)
  expect(names()).toBeUndefined()
  s.save([tool("a"), tool("c")], undefined, { complete: true })
  s.flush()
  expect(marked()).toBe(false)
  expect(names()).toEqual(["a", "c"])
})

test("a complete answer identical to the stored one clears the mark", () => {
  const { s, names, marked } = snapshot()
  const chunks = [new TextEncoder().encode(JSON.stringify({ tools: [tool("a")] }))]
  s.save([tool("a")], chunks, { complete: true })
  s.flush()
  s.superseded("a")
  expect(names()).toBeUndefined()
  s.save([tool("a")], [new TextEncoder().encode(JSON.stringify({ tools: [tool("a")] }))], { complete: true })
  s.flush()
  expect(marked()).toBe(false)
  expect(names()).toEqual(["a"])
})

test("a list stored after close still marks the answer superseded", () => {
  const { s, names } = snapshot()
  s.save([tool("a")], undefined, { complete: true })
  s.close()
  expect(names()).toEqual(["a"])
  s.superseded("a")
  expect(names()).toBeUndefined()
})

test("a server's stored list dropped takes its mark with it (the stores know nothing newer of it); another server's mark stays", () => {
  const { s, names, marked } = snapshot()
  s.save([tool("a")], undefined, { complete: true })
  s.flush()
  s.superseded("x")
  s.superseded("y")
  s.dropped("x")
  expect(names()).toBeUndefined()
  s.dropped("y")
  expect(marked()).toBe(false)
  expect(names()).toEqual(["a"])
})

test("an answer held until the aggregate is complete, built before a changed list, is not stored when it completes (it would clear the mark)", () => {
  const { s, names, marked } = snapshot()
  s.save([tool("a")], undefined, { complete: true })
  s.flush()
  const built = { complete: false }
  s.save([tool("a"), tool("old")], undefined, built)
  s.superseded("x")
  built.complete = true
  s.completed()
  s.flush()
  expect(marked()).toBe(true)
  expect(names()).toBeUndefined()
})

test("two windows: a complete answer clears the marks of its own window and those made before it started, never another window's made since", async () => {
  const { s: earlier, loaded, env, names, marked } = snapshot()
  earlier.save([tool("a")], undefined, { complete: true })
  earlier.flush()
  await Bun.sleep(20)
  const other = new ToolSnapshot(loaded, env)
  other.superseded("x")
  // the earlier window's answer (its servers list the old tools) leaves the other window's mark
  earlier.save([tool("a"), tool("z")], undefined, { complete: true })
  earlier.flush()
  expect(marked()).toBe(true)
  expect(names()).toBeUndefined()
  // a window started after the mark built its answer from the stores: it clears it
  await Bun.sleep(20)
  const later = new ToolSnapshot(loaded, env)
  later.save([tool("a"), tool("new")], undefined, { complete: true })
  later.flush()
  expect(marked()).toBe(false)
  expect(names()).toEqual(["a", "new"])
  // and a window's own mark goes with its own complete answer
  other.superseded("x")
  other.save([tool("a"), tool("newer")], undefined, { complete: true })
  other.flush()
  expect(marked()).toBe(false)
})
