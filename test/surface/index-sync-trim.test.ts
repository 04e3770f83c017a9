/**
 * Indexing a fleet for the first search leaves tens of MiB of tokenizing garbage (qa289: 50 × 100
 * recorded tools, RSS 5 s after the first search_tools 232.7 MiB without a trim, 196.7 with it):
 * a re-index asks for the idle trim (core/idle-trim), which runs once the process is quiet.
 */
import { expect, test } from "bun:test"
import { trimCount, trimWhenQuiet } from "../../src/core/index.ts"
import { IndexSync, type Tool } from "../../src/proxy/index.ts"

test("a re-index asks for the idle trim", async () => {
  const items: Tool[] = [{ name: "a__read_file", description: "read a file", inputSchema: { type: "object" } }]
  const routes = new Map([["a__read_file", { server: "a", name: "read_file" }]])
  const before = trimCount()
  new IndexSync().sync({ items, routes } as never)
  // the trim waits for 1 s of quiet (nothing is read in this process); a generous bound
  for (let i = 0; i < 150 && trimCount() === before; i++) await Bun.sleep(100)
  expect(trimCount()).toBe(before + 1)
}, 30_000)

test("the first build of an index is trimmed after even when a trim ran just before (the start's)", async () => {
  const wait = async (n: number) => {
    for (let i = 0; i < 150 && trimCount() < n; i++) await Bun.sleep(100)
  }
  // a trim that just ran (as a start's does, once its lists are in)
  const start = trimCount()
  trimWhenQuiet(0)
  await wait(start + 1)
  expect(trimCount()).toBe(start + 1)
  const items: Tool[] = [{ name: "b__list_issues", description: "list issues", inputSchema: { type: "object" } }]
  const routes = new Map([["b__list_issues", { server: "b", name: "list_issues" }]])
  new IndexSync().sync({ items, routes } as never)
  await wait(start + 2)
  expect(trimCount()).toBe(start + 2)
}, 30_000)
