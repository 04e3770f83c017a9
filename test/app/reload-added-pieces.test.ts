/**
 * Regression (QA: a server added in pieces started half-written): appending `fs:` with
 * `command: node` and, a moment later, its `args` line started `node` with no args at once (a
 * reload that only adds servers applied at once), then restarted it under the proper definition
 * once the file had held still. A new entry is now held for the settle time like a reload that
 * stops servers, and started once, as finally written; a call waiting for it (settled(), as a call
 * of a tool not known yet does) applies it at once. The real config loader runs; the proxy is a
 * stand-in that records what it starts.
 */
import { expect, test } from "bun:test"
import { appendFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger } from "../../src/core/index.ts"
import { ConfigReloader, type ReloaderOptions } from "../../src/app/reload.ts"
import { tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const head = `toolkit: { enabled: "off" }\nservers:\n  a: { command: node, args: [a.js] }\n`

async function rig(settleMs: number): Promise<{ file: string; r: ConfigReloader; started: Array<{ name: string; args?: string[] }> }> {
  const file = join(tempDir("mcpo-added-pieces-"), "config.yaml")
  writeFileSync(file, head)
  const loaded = loadConfig({ configPath: file, env: { HOME: "/nonexistent" } })
  const started: Array<{ name: string; args?: string[] }> = []
  const proxy = {
    addServer: (d: { name: string; spec: { args?: string[] } }) => void started.push({ name: d.name, args: d.spec.args }),
    removeServer: async () => {},
    refilter: () => {},
    pool: { get: () => undefined, applySettings: () => {}, warm: () => {} },
  } as unknown as ReloaderOptions["proxy"]
  const logHub = createLogHub("error", () => {})
  const r = new ConfigReloader({ loaded, load: () => loaded.reload!(), proxy, logHub, log: createLogger(logHub, "reload"), nested: false, watch: false, settleMs })
  await r.reload("idle", true)
  return { file, r, started }
}

test("a new entry written in two pieces is held, and a call waiting for it starts it at once, as written last", async () => {
  const { file, r, started } = await rig(600_000)
  try {
    appendFileSync(file, "  fs:\n    command: node\n")
    await r.reload("file changed", true)
    expect(started).toEqual([])
    expect(r.status().held).toMatch(/^would start fs; .*a call of its tools comes/)
    appendFileSync(file, "    args: [fs.js]\n")
    await r.reload("file changed", true)
    expect(started).toEqual([])
    // a call of a tool not known yet waits on settled(): the held addition applies now
    await r.settled()
    expect(started).toEqual([{ name: "fs", args: ["fs.js"] }])
    expect(r.status()).toMatchObject({ last: "applied", applied: 1 })
    expect(r.status().held).toBeUndefined()
  } finally {
    await r[Symbol.asyncDispose]()
  }
})

test("with no call waiting, a new entry starts once the file has held still for the settle time", async () => {
  const { file, r, started } = await rig(3000)
  try {
    appendFileSync(file, "  fs:\n    command: node\n")
    await r.reload("file changed", true)
    appendFileSync(file, "    args: [fs.js]\n")
    await r.reload("file changed", true)
    expect(started).toEqual([])
    await waitFor("fs started", () => started.length > 0, 30_000)
    expect(started).toEqual([{ name: "fs", args: ["fs.js"] }])
  } finally {
    await r[Symbol.asyncDispose]()
  }
})

test("SIGHUP applies an addition at once", async () => {
  const { file, r, started } = await rig(600_000)
  try {
    appendFileSync(file, "  fs: { command: node, args: [fs.js] }\n")
    await r.reload("SIGHUP")
    expect(started).toEqual([{ name: "fs", args: ["fs.js"] }])
  } finally {
    await r[Symbol.asyncDispose]()
  }
})
