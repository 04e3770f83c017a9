/**
 * The stored first answer records each server's list fingerprint (app/orchestrator `listPrints`),
 * and the next writer compares its own with them (app/tool-snapshot `compare`):
 * - an answer in which a server whose tools the stored answer has has no list (its stored list was
 *   dropped by a crash, and a silence or failure note counts it as listed with no tools) is not
 *   stored: the stored answer, with that server's tools, stays the first answer;
 * - a window whose copy of a server lists otherwise than the answer another window wrote since,
 *   without having stored that list itself, marks the answer it writes superseded by that server
 *   (a start after it builds its list from the stores, which have the newer list).
 */
import { expect, test } from "bun:test"
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import type { Tool } from "@modelcontextprotocol/client"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { loadConfig } from "../../src/config/index.ts"
import { tempDir } from "../helpers/binary.ts"

const tool = (name: string): Tool => ({ name, inputSchema: { type: "object", properties: {} } })
const COMPLETE = { complete: true }

function setup() {
  const dir = tempDir("mcpo-snaplists-")
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
  const loaded = loadConfig({ env })
  const window = (): ToolSnapshot => new ToolSnapshot(loaded, env)
  const path = window().path!
  const marks = (): string[] => (existsSync(`${path}.superseded`) ? readdirSync(`${path}.superseded`) : [])
  return { window, marks, names: () => window().read()?.map((t) => t.name) }
}

test("an answer lacking a server whose tools the stored answer has (no list now) is not stored; the stored one stays", () => {
  const { window, names } = setup()
  const w = window()
  w.save([tool("a__x"), tool("c__held")], undefined, COMPLETE, { a: "1:aa", c: "1:cc" })
  w.flush()
  expect(names()).toEqual(["a__x", "c__held"])
  // c's stored list dropped, a note counts it as listed with no tools: the aggregate is "complete"
  w.save([tool("a__x")], undefined, COMPLETE, { a: "1:aa" })
  w.flush()
  expect(names()).toEqual(["a__x", "c__held"])
  // a later start likewise
  const next = window()
  next.save([tool("a__x")], undefined, COMPLETE, { a: "1:aa" })
  next.flush()
  expect(names()).toEqual(["a__x", "c__held"])
  // once c lists again (its list stored), the answer is stored
  next.superseded("c")
  next.save([tool("a__x"), tool("c__other")], undefined, COMPLETE, { a: "1:aa", c: "1:cd" })
  next.flush()
  expect(names()).toEqual(["a__x", "c__other"])
})

test("a stored answer marked superseded (served by no start) is replaced even by one lacking such a server", () => {
  const { window, names, marks } = setup()
  const w = window()
  w.save([tool("a__x"), tool("c__held")], undefined, COMPLETE, { a: "1:aa", c: "1:cc" })
  w.flush()
  w.superseded("a")
  w.save([tool("a__x"), tool("a__y")], undefined, COMPLETE, { a: "2:ab" })
  w.flush()
  expect(marks()).toEqual([])
  expect(names()).toEqual(["a__x", "a__y"])
})

test("a server that had no tools in the stored answer may have no list in the next one", () => {
  const { window, names } = setup()
  const w = window()
  w.save([tool("a__x")], undefined, COMPLETE, { a: "1:aa", e: "0:ee" })
  w.flush()
  w.superseded("a")
  w.save([tool("a__x"), tool("a__y")], undefined, COMPLETE, { a: "2:ab" })
  w.flush()
  expect(names()).toEqual(["a__x", "a__y"])
})

test("two windows: the one whose copy of a server lists the old tools marks its answer superseded by it; the next start's clears it", async () => {
  const { window, names, marks } = setup()
  const zero = window()
  zero.save([tool("a__x")], undefined, COMPLETE, { a: "1:old" })
  zero.flush()
  // both windows running; w1's `a` gained a tool: it stores the list (marked), then writes its answer
  const w2 = window()
  const w1 = window()
  await Bun.sleep(20)
  w1.superseded("a")
  w1.save([tool("a__x"), tool("a__extra")], undefined, COMPLETE, { a: "2:new" })
  w1.flush()
  expect(marks()).toEqual([])
  expect(names()).toEqual(["a__x", "a__extra"])
  // w2 (its `a` lists the old tools; another server's change makes it write) writes after
  await Bun.sleep(20)
  w2.save([tool("a__x"), tool("b__y")], undefined, COMPLETE, { a: "1:old", b: "1:bb" })
  w2.flush()
  expect(marks().length).toBe(1)
  // not served: a start builds its list from the stores (which have a's new list)
  expect(names()).toBeUndefined()
  // w2's next answers (a still old) leave that mark
  w2.save([tool("a__x"), tool("b__z")], undefined, COMPLETE, { a: "1:old", b: "1:bz" })
  w2.flush()
  expect(names()).toBeUndefined()
  // a window started after it writes its complete answer: the mark goes
  await Bun.sleep(20)
  const later = window()
  later.save([tool("a__x"), tool("a__extra"), tool("b__z")], undefined, COMPLETE, { a: "2:new", b: "1:bz" })
  later.flush()
  expect(marks()).toEqual([])
  expect(names()).toEqual(["a__x", "a__extra", "b__z"])
})

test("a window that stored a server's changed list after the stored answer was written replaces it unmarked", async () => {
  const { window, names, marks } = setup()
  const w1 = window()
  const w2 = window()
  w1.save([tool("a__x")], undefined, COMPLETE, { a: "1:old" })
  w1.flush()
  await Bun.sleep(20)
  w2.superseded("a")
  w2.save([tool("a__x"), tool("a__extra")], undefined, COMPLETE, { a: "2:new" })
  w2.flush()
  expect(marks()).toEqual([])
  expect(names()).toEqual(["a__x", "a__extra"])
})

test("a list stored after the answer that shows it (the stored lists were read first) keeps that answer; one it lacks is dropped", () => {
  const { window, names, marks } = setup()
  const w = window()
  w.save([tool("a__x")], undefined, COMPLETE, { a: "1:old" })
  w.flush()
  // the answer showing a's new list is waiting for its write when that list is stored
  w.save([tool("a__x"), tool("a__extra")], undefined, COMPLETE, { a: "2:new" })
  w.superseded("a", "2:new")
  w.flush()
  expect(marks()).toEqual([])
  expect(names()).toEqual(["a__x", "a__extra"])
  // an answer without the list being stored is dropped, and the mark holds
  w.save([tool("a__x"), tool("a__extra"), tool("b__y")], undefined, COMPLETE, { a: "2:new", b: "1:bb" })
  w.superseded("a", "3:newer")
  w.flush()
  expect(marks().length).toBe(1)
  expect(names()).toBeUndefined()
})
