/**
 * Two state files used to be taken as empty in silence when damaged: protocol-eras.json (pool/era-store)
 * and the Cursor import record (app/cursor-record). Each is now said once, naming the file and what is
 * done: the era file is ignored and rebuilt (a warning); the import record is ignored by `disconnect`
 * and kept aside (`*.corrupt`) by the next `connect --import` (a note in the command's output).
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { FileEraStore } from "../../src/pool/index.ts"
import { importOf, recordImport, recordPath } from "../../src/app/cursor-record.ts"

const dir = mkdtempSync(join(tmpdir(), "qa-damage-said-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function capture(): { log: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger(createLogHub("debug", (l) => lines.push(JSON.parse(l) as Record<string, unknown>)), "t")
  return { log, lines }
}

for (const [label, content] of [
  ["not JSON", "{ half a file"],
  ["not an object", "[1,2,3]"],
] as const) {
  test(`a protocol-eras.json that is ${label}: one warning naming the file, and the file rebuilt`, () => {
    const state = join(dir, `eras-${label.replace(/ /g, "-")}`)
    mkdirSync(state, { recursive: true })
    const file = join(state, "protocol-eras.json")
    writeFileSync(file, content)
    const { log, lines } = capture()
    const store = new FileEraStore(state, log)
    expect(store.get({ command: "a", args: [] } as never)).toBeUndefined()
    store.set({ command: "a", args: [] } as never, "modern")
    store.set({ command: "b", args: [] } as never, "modern")
    const warns = lines.filter((l) => l.level === "warn")
    expect(warns.length).toBe(1)
    expect(warns[0]!.path).toBe(file)
    expect(String(warns[0]!.msg)).toContain("rebuilt")
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")) as object).length).toBe(2)
  })
}

test("an absent protocol-eras.json is no warning", () => {
  const { log, lines } = capture()
  const store = new FileEraStore(join(dir, "eras-absent"), log)
  expect(store.get({ command: "a", args: [] } as never)).toBeUndefined()
  expect(lines.filter((l) => l.level === "warn")).toEqual([])
})

test("a damaged Cursor import record: disconnect's read says it is ignored; connect's write keeps it aside, and says so", () => {
  const env = { XDG_STATE_HOME: join(dir, "cursor-state"), HOME: dir }
  const rec = recordPath(env)
  mkdirSync(dirname(rec), { recursive: true })
  writeFileSync(rec, '{"version":1,"files":{"/x/mcp.json":{"entry":"mo","servers":{"gh":{"env":{"TOKEN":"s')
  const notes: string[] = []
  expect(importOf(env, join(dir, "mcp.json"), (n) => notes.push(n))).toBeUndefined()
  expect(notes.length).toBe(1)
  expect(notes[0]).toContain(rec)
  expect(notes[0]).toContain("ignored")
  const written: string[] = []
  recordImport(env, join(dir, "mcp.json"), { entry: "mo", servers: { a: { command: "x" } } }, (n) => written.push(n))
  expect(written.length).toBe(1)
  expect(written[0]).toContain(`${rec}.corrupt`)
  // what the damaged record held is still there for the user; the new record is whole
  expect(readFileSync(`${rec}.corrupt`, "utf8")).toContain('"TOKEN"')
  expect(importOf(env, join(dir, "mcp.json"))?.servers).toEqual({ a: { command: "x" } })
  expect(existsSync(rec)).toBe(true)
})
