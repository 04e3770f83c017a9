/**
 * Regression (QA: a config file written in pieces was applied half-way): a file appended to with
 * pauses longer than the 150 ms debounce (a script's `echo >>` lines, a slow network drive, an
 * editor's non-atomic save) parsed after its first piece, so the servers not yet written were
 * removed (their processes killed, their tools gone) and started again when the rest came. A
 * reload that would stop servers is now held until the file has held still for the settle time;
 * one that adds servers is held too (unless a call waits for it), and SIGHUP applies at once. No assertion is about
 * time: the test waits for the held state (orchestrator_status → config.reload.held), proves the
 * server still answers from its first process, then writes the rest.
 */
import { beforeAll, expect, test } from "bun:test"
import { appendFileSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")

type Reload = { last?: string; applied: number; watching: string | null; held?: string }
async function status(c: Connected): Promise<{ servers: string[]; reload?: Reload }> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: unknown; content: Array<{ text: string }> }
  return ((r.structuredContent ?? JSON.parse(r.content[0]!.text)) as { config: { servers: string[]; reload?: Reload } }).config
}

/** `settle`: the config's reload.settle — long where the test must act while a reload is held (no race with the settle time), short where it waits for one to apply. */
async function world(settle: string): Promise<{ c: Connected; config: string; head: string; entry: (name: string) => string; starts: (name: string) => number }> {
  const head = `toolkit: { enabled: "off" }\nplugins: { enabled: false }\nreload: { settle: ${settle} }\nwarm: [a]\nservers:\n`
  const dir = tempDir("mcpo-reload-pieces-")
  const config = join(dir, "config.yaml")
  const entry = (name: string): string => `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(dir, `${name}.log`)])} }\n`
  writeFileSync(config, `${head}${entry("a")}${entry("b")}`)
  const starts = (name: string): number => {
    try {
      return readFileSync(join(dir, `${name}.log`), "utf8").split("\n").filter((l) => l.includes('"initialize"')).length
    } catch {
      return 0
    }
  }
  const c = await connectBinary(["serve", "--config", config], sandboxEnv())
  await waitFor("the config file watched", async () => (await status(c)).reload?.watching === config)
  await waitFor("a started", () => starts("a") === 1)
  // b starts on first use
  expect((await c.client.callTool({ name: "b__echo", arguments: { tag: "b" } })).content).toEqual([{ type: "text", text: "b" }])
  return { c, config, head, entry, starts }
}

const echo = async (c: Connected, name: string): Promise<unknown> => (await c.client.callTool({ name: `${name}__echo`, arguments: { tag: name } })).content

test("a file rewritten in pieces (the second after a pause): the server of the second piece is never stopped", async () => {
  const { c, config, head, entry, starts } = await world("10m")
  try {
    // an editor's non-atomic save: truncate, write the first part, pause, write the rest
    writeFileSync(config, `${head}${entry("a")}`)
    const held = await waitFor("the half-written file held", async () => (await status(c)).reload?.held)
    expect(held).toContain("would stop b")
    // b still runs, from its first process
    expect((await status(c)).servers.sort()).toEqual(["a", "b"])
    expect(await echo(c, "b")).toEqual([{ type: "text", text: "b" }])
    appendFileSync(config, entry("b"))
    await waitFor("nothing held", async () => (await status(c)).reload?.held === undefined)
    expect(await echo(c, "b")).toEqual([{ type: "text", text: "b" }])
    expect(await echo(c, "a")).toEqual([{ type: "text", text: "a" }])
    expect([starts("a"), starts("b")]).toEqual([1, 1])
    expect((await status(c)).reload?.applied).toBe(0)
  } finally {
    await c.close()
  }
}, 60_000)

test("a server really removed is removed once the file holds still; one added is started once it holds still too", async () => {
  const { c, config, head, entry, starts } = await world("1s")
  try {
    // an addition is held for the settle time too (test/app/reload-added-pieces), then started
    appendFileSync(config, entry("c"))
    await waitFor("c added", async () => (await status(c)).servers.includes("c"))
    expect(await echo(c, "c")).toEqual([{ type: "text", text: "c" }])
    writeFileSync(config, `${head}${entry("a")}${entry("c")}`)
    await waitFor("b removed", async () => {
      const s = await status(c)
      return !s.servers.includes("b") && s.reload?.last === "applied" && s.reload.held === undefined
    }, 20_000)
    const r = (await c.client.callTool({ name: "b__echo", arguments: { tag: "b" } })) as { isError?: boolean; content: Array<{ text: string }> }
    expect(r.isError).toBe(true)
    expect(r.content[0]!.text).toContain("removed from the config")
    expect(starts("a")).toBe(1)
  } finally {
    await c.close()
  }
}, 60_000)

test("SIGHUP applies a held reload at once (the user says the file is complete)", async () => {
  const { c, config, head, entry } = await world("10m")
  try {
    writeFileSync(config, `${head}${entry("a")}`)
    await waitFor("the reload held", async () => (await status(c)).reload?.held)
    process.kill(c.pid!, "SIGHUP")
    const s = await waitFor("b removed by SIGHUP", async () => {
      const s = await status(c)
      return !s.servers.includes("b") ? s : undefined
    })
    expect(s.reload?.held).toBeUndefined()
    expect(s.reload?.last).toBe("applied")
  } finally {
    await c.close()
  }
}, 60_000)
