/**
 * The stored first answer (tools-<key>.snapshot.json) as broken machines leave it: cut short,
 * empty, garbage, its answer changed, a directory in its place. Each is not used (the servers are
 * asked), and a warning names the file and what is wrong; a file that cannot be written (a
 * directory in its place, a read-only directory) is said once per file, never thrown. Before, all of
 * it was silent: a directory in the file's place cost every later start its head start, unsaid.
 * Another config's or version's answer is no damage: not used, nothing said.
 */
import { expect, test } from "bun:test"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Tool } from "@modelcontextprotocol/client"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { loadConfig } from "../../src/config/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { captureLog } from "../proxy/helpers.ts"

const tool = (name: string): Tool => ({ name, inputSchema: { type: "object", properties: {} } })

function stored() {
  const dir = tempDir("mcpo-snapd-")
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
  const loaded = loadConfig({ env })
  const s = new ToolSnapshot(loaded, env)
  s.save([tool("a"), tool("b")])
  s.flush()
  const path = s.path!
  const good = readFileSync(path)
  const next = () => {
    const { log, records } = captureLog()
    return { s: new ToolSnapshot(loaded, env, undefined, log), warned: () => records.filter((r) => r.level === "warn") }
  }
  return { path, good, next }
}

test("a stored answer cut short, empty, garbage or changed is not used, and the warning names the file and what is wrong", () => {
  const { path, good, next } = stored()
  expect(next().s.read()?.map((t) => t.name)).toEqual(["a", "b"])
  const text = good.toString("utf8")
  const cases: Array<[string, Buffer | string, string]> = [
    ["cut short", good.subarray(0, good.length - 20), "cut short"],
    ["empty", "", "empty"],
    ["garbage", Buffer.from([0x90, 0x9f, 0x21, 0x00, 0xff]), "cut short"],
    ["header not JSON", `{"v":2,"version":${text.slice(text.indexOf('"version":') + 10)}`.replace('"v":2,', '"v":2,,'), "not JSON"],
    ["answer changed", text.replace('"name":"b"', '"name":"c"'), "checksum"],
    ["answer cut in the middle", text.replace(',{"name":"b"', ""), "bytes"],
  ]
  for (const [what, bytes, problem] of cases) {
    writeFileSync(path, bytes)
    const n = next()
    expect([what, n.s.readAnswer()]).toEqual([what, undefined])
    expect([what, n.warned()]).toMatchObject([what, [{ msg: expect.stringContaining("stored first answer damaged"), path, problem: expect.stringContaining(problem) }]])
  }
  // written again by a complete answer: used, and nothing to say
  const n = next()
  n.s.save([tool("a")])
  n.s.flush()
  const after = next()
  expect(after.s.read()?.map((t) => t.name)).toEqual(["a"])
  expect(after.warned()).toEqual([])
})

test("another version's answer is not used and is no damage", () => {
  const { path, good, next } = stored()
  writeFileSync(path, good.toString("utf8").replace(/"version":"[^"]*"/, '"version":"0.0.1-other"'))
  const n = next()
  expect(n.s.readAnswer()).toBeUndefined()
  expect(n.warned()).toEqual([])
})

test("a directory in the stored answer's place: said when read and, once, when a write fails; never thrown", () => {
  const { path, next } = stored()
  rmSync(path)
  mkdirSync(path)
  const n = next()
  expect(n.s.readAnswer()).toBeUndefined()
  for (const names of [["x"], ["y"]]) {
    n.s.save(names.map(tool))
    n.s.flush()
  }
  const w = n.warned()
  expect(w.map((r) => r.msg)).toEqual([expect.stringContaining("stored first answer damaged"), expect.stringContaining("cannot store the first tools/list answer")])
  expect(w[0]).toMatchObject({ path, problem: expect.stringContaining("not a file") })
  expect(w[1]).toMatchObject({ path, error: expect.stringContaining("EISDIR") })
})
