/**
 * Regression (QA: rapid config edits could silently lose the last one): 15 edits 150 ms apart,
 * alternating in-place writes and atomic renames, each naming one server r0…r14. The reloader
 * recorded the file as it was after applying, so an edit that landed during a reload counted as
 * seen: the last reload applied r13, status said "applied", and `r14__echo` was an unknown tool
 * for good. After every burst the running config must be the file's last content. The race is
 * made deterministic in test/app/reload-last-write.test.ts; here, through the compiled binary:
 * the QA scenario, several bursts in a row (it lost an edit in about one run in three), and a
 * large file (~0.3 s to load) whose last edit is written at moments spread over the reload of the
 * edit before (it lost an edit in every run). Timing only provokes the race: no assertion is
 * about time.
 */
import { beforeAll, expect, test } from "bun:test"
import { renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")
const BURSTS = 4
const EDITS = 15
/** Disabled entries: a large file takes a while to load, the window in which an edit was lost. */
const bulk = (n: number): string => Array.from({ length: n }, (_, i) => `  off${i}: { command: "true", args: ["${i}"], disabled: true }\n`).join("")

type Reload = { last?: string; applied: number; watching: string | null }
async function status(c: Connected): Promise<{ servers: string[]; reload?: Reload }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  return ((r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { servers: string[]; reload?: Reload } }).config
}

const enabled = (servers: string[]): string[] => servers.filter((n) => !n.startsWith("off"))

/** A serve over a config naming one server; `write` edits it as editors do. */
async function world(extra = ""): Promise<{ c: Connected; write: (name: string, how?: "in-place" | "rename") => void; settled: (name: string) => Promise<void> }> {
  const dir = tempDir("mcpo-reload-last-")
  const config = join(dir, "config.yaml")
  const text = (name: string): string =>
    `toolkit: { enabled: "off" }\nplugins: { enabled: false }\nservers:\n  ${name}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, `${name}.log`)])} }\n${extra}`
  let seq = 0
  const write = (name: string, how: "in-place" | "rename" = "in-place"): void => {
    if (how === "in-place") return writeFileSync(config, text(name))
    const tmp = join(dir, `.config.yaml.${seq++}.tmp`)
    writeFileSync(tmp, text(name))
    renameSync(tmp, config)
  }
  writeFileSync(config, text("start"))
  const c = await connectBinary(["serve", "--config", config], sandboxEnv())
  await waitFor("the config file watched", async () => (await status(c)).reload?.watching === config)
  /** Waits until `name` is the running config's one server, the last reload applied, and its tool answers. */
  const settled = async (name: string): Promise<void> => {
    const st = await waitFor(`${name} running`, async () => {
      const s = await status(c)
      return enabled(s.servers).join() === name && s.reload?.last === "applied" ? s : undefined
    })
    expect(enabled(st.servers)).toEqual([name])
    expect((await c.client.callTool({ name: `${name}__echo`, arguments: { tag: name } })).content).toEqual([{ type: "text", text: name }])
  }
  return { c, write, settled }
}

test(`${BURSTS} bursts of ${EDITS} edits 150 ms apart, alternating in-place writes and renames: each ends with the last edit applied`, async () => {
  const { c, write, settled } = await world()
  try {
    for (let burst = 0; burst < BURSTS; burst++) {
      let last = ""
      for (let i = 0; i < EDITS; i++) {
        last = `b${burst}r${i}`
        write(last, i % 2 ? "rename" : "in-place")
        await Bun.sleep(150)
      }
      await settled(last)
    }
  } finally {
    await c.close()
  }
}, 90_000)

test("the last edit lands while the reload of the one before runs (at a spread of moments): it is applied", async () => {
  const { c, write, settled } = await world(bulk(1000))
  try {
    // the reload of `b` starts when the 150 ms debounce ends and takes a while (a large file);
    // `c` is written at moments spread over that reload, so some land in the middle of it
    for (let round = 0; round < 6; round++) {
      write(`x${round}a`)
      await settled(`x${round}a`)
      write(`x${round}b`, round % 2 ? "rename" : "in-place")
      await Bun.sleep(180 + 25 * round)
      write(`x${round}c`, round % 2 ? "in-place" : "rename")
      await settled(`x${round}c`)
    }
  } finally {
    await c.close()
  }
}, 120_000)
