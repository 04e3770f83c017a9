/**
 * Regression (QA: a rename that forgot a reference was refused without a hint): `memory:` renamed
 * to `mem:` in the file, while `toolsets.a.servers` (or `warm`) still named `memory`, was refused
 * with `"memory" is not a configured server` only: the close-spelling hint cannot see a rename to
 * another name. The refusal now says the rename it sees and the key to update. The real config
 * loader runs; the proxy is a stand-in (nothing starts).
 */
import { expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger } from "../../src/core/index.ts"
import { ConfigReloader, type ReloaderOptions } from "../../src/app/reload.ts"
import { tempDir } from "../helpers/binary.ts"

const proxy = {
  addServer: () => {},
  removeServer: async () => {},
  refilter: () => {},
  pool: { get: () => undefined, applySettings: () => {}, warm: () => {} },
} as unknown as ReloaderOptions["proxy"]

async function reloader(text: string, lines: string[] = []): Promise<{ file: string; r: ConfigReloader }> {
  const file = join(tempDir("mcpo-rename-refs-"), "config.yaml")
  writeFileSync(file, text)
  const loaded = loadConfig({ configPath: file, env: { HOME: "/nonexistent" } })
  const logHub = createLogHub("warn", (l) => void lines.push(l))
  const r = new ConfigReloader({ loaded, load: () => loaded.reload!(), proxy, logHub, log: createLogger(logHub, "reload"), nested: false, watch: false, settleMs: 0 })
  await r.reload("idle", true)
  return { file, r }
}

const head = 'toolkit: { enabled: "off" }\n'
const spec = (args: string): string => `{ command: node, args: [${args}] }`

test("a server renamed while toolsets and warm still name it: the refusal names the rename and each key to update", async () => {
  const { file, r } = await reloader(`${head}toolset: a\ntoolsets:\n  a: { servers: [memory] }\n  b: { servers: [memory, other] }\nwarm: [memory]\nservers:\n  memory: ${spec("m.js")}\n  other: ${spec("o.js")}\n`)
  try {
    writeFileSync(file, `${head}toolset: a\ntoolsets:\n  a: { servers: [memory] }\n  b: { servers: [memory, other] }\nwarm: [memory]\nservers:\n  mem: ${spec("m.js")}\n  other: ${spec("o.js")}\n`)
    await r.reload("file changed", true)
    const errors = r.status().errors ?? []
    expect(r.status().last).toBe("rejected")
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatch(/^toolsets\.a\.servers\.0 \(.*config\.yaml:4\): "memory" is not a configured server; did you rename it to mem\? update toolsets\.a\.servers$/)
    expect(errors[1]).toMatch(/^toolsets\.b\.servers\.0 .*"memory" is not a configured server; did you rename it to mem\? update toolsets\.b\.servers$/)
    expect(errors[2]).toMatch(/^warm .*"memory" is not a configured server; did you rename it to mem\? update warm$/)
  } finally {
    await r[Symbol.asyncDispose]()
  }
})

test("a rename that edits the entry too (its env) is still told; a name the file never had keeps the spelling hint", async () => {
  const { file, r } = await reloader(`${head}toolsets:\n  a: { servers: [memory] }\nservers:\n  memory: ${spec("m.js")}\n  good: ${spec("g.js")}\n`)
  try {
    writeFileSync(file, `${head}toolsets:\n  a: { servers: [memory, goood] }\nservers:\n  m2: { command: node, args: [m.js], env: { A: "1" } }\n  good: ${spec("g.js")}\n`)
    await r.reload("file changed", true)
    expect(r.status().errors).toEqual([expect.stringMatching(/"memory" is not a configured server; did you rename it to m2\? update toolsets\.a\.servers$/), expect.stringMatching(/"goood" is not a configured server; did you mean "good"\?$/)])
  } finally {
    await r[Symbol.asyncDispose]()
  }
})

test("a server removed (not renamed) while a toolset names it: no rename is guessed", async () => {
  const { file, r } = await reloader(`${head}toolsets:\n  a: { servers: [memory] }\nservers:\n  memory: ${spec("m.js")}\n  other: ${spec("o.js")}\n`)
  try {
    writeFileSync(file, `${head}toolsets:\n  a: { servers: [memory] }\nservers:\n  other: ${spec("o.js")}\n  fresh: ${spec("f.js")}\n`)
    await r.reload("file changed", true)
    expect(r.status().errors).toEqual([expect.stringMatching(/"memory" is not a configured server$/)])
  } finally {
    await r[Symbol.asyncDispose]()
  }
})

test("a rename applied while a toolset filter still names the old server: a warning names each glob and the one to write", async () => {
  const lines: string[] = []
  const { file, r } = await reloader(`${head}toolsets:\n  a: { tools: { allow: ["memory__*", "other__x"], deny: ["memory__delete_*"] } }\nservers:\n  memory: ${spec("m.js")}\n  other: ${spec("o.js")}\n`, lines)
  try {
    writeFileSync(file, `${head}toolsets:\n  a: { tools: { allow: ["memory__*", "other__x"], deny: ["memory__delete_*"] } }\nservers:\n  mem: ${spec("m.js")}\n  other: ${spec("o.js")}\n`)
    await r.reload("file changed", true)
    expect(r.status().last).toBe("applied")
    const problems = lines.map((l) => JSON.parse(l) as { problem?: string }).flatMap((l) => (l.problem ? [l.problem] : []))
    expect(problems).toEqual([
      'toolsets.a.tools.allow.0: "memory__*" names server memory, which this file renamed to mem, so it matches none of its tools now; did you mean "mem__*"? update toolsets.a.tools.allow',
      'toolsets.a.tools.deny.0: "memory__delete_*" names server memory, which this file renamed to mem, so it matches none of its tools now; did you mean "mem__delete_*"? update toolsets.a.tools.deny',
    ])
  } finally {
    await r[Symbol.asyncDispose]()
  }
})
