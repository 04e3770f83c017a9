/**
 * Calls queued on a server (every slot taken: maxInFlight) when a config reload changes it: they
 * were never sent, so they go to the restarted server and get its answers; the call in flight ends
 * CLOSED "restarted … retry it" (a tool call is not sent twice). A server removed or disabled while
 * calls wait says so to each of them. Through the binary, a real SDK client and server-everything;
 * each step waits on orchestrator_status's `queued` count, not on time.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

type Result = { content?: { type: string; text?: string }[]; isError?: boolean }
type StatusOut = { servers: { name: string; queued: number; inFlight: number }[] }

const open: Connected[] = []
beforeAll(ensureBuilt, 120_000)
afterAll(async () => {
  for (const c of open) await c.close()
})

const text = (r: Result | string): string => (typeof r === "string" ? r : (r.content ?? []).map((c) => c.text ?? "").join(""))

const node = JSON.stringify(process.execPath)
/** A server entry running server-everything; `extra`: more keys of it. */
const entry = (name: string, extra = ""): string => `  ${name}:\n    command: ${node}\n    args: [${JSON.stringify(EVERYTHING)}, stdio]\n${extra}`

/** One serve with `everything` limited to one call in flight, and `other` (the file stays valid without everything); `write` rewrites the file. */
async function serve(): Promise<{ c: Connected; write: (servers: string) => void }> {
  const e = sandboxEnv()
  const cfg = join(e.HOME!, "config.yaml")
  const write = (servers: string): void => writeFileSync(cfg, `toolkit: { enabled: "off" }\nservers:\n${servers}`)
  write(entry("everything", "    maxInFlight: 1\n") + entry("other"))
  const c = await connectBinary(["serve", "--config", cfg], e)
  open.push(c)
  expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("everything__echo")
  return { c, write }
}

async function row(c: Connected): Promise<StatusOut["servers"][number] | undefined> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: StatusOut }
  return r.structuredContent.servers.find((s) => s.name === "everything")
}

/** A long call in flight (its one slot) and `n` echo calls queued behind it. */
async function inFlightAndQueued(c: Connected, n: number): Promise<{ long: Promise<Result | string>; queued: Promise<Result | string>[] }> {
  const settle = (p: Promise<unknown>): Promise<Result | string> => p.then((r) => r as Result, (e: unknown) => `THROWN ${String(e)}`)
  const long = settle(c.client.callTool({ name: "everything__trigger-long-running-operation", arguments: { duration: 600, steps: 2 } }, undefined, { timeout: 120_000 }))
  await waitFor("the long call in flight", async () => (await row(c))?.inFlight === 1, 40_000)
  const queued = Array.from({ length: n }, (_, i) => settle(c.client.callTool({ name: "everything__echo", arguments: { message: `queued ${i}` } }, undefined, { timeout: 120_000 })))
  // (conditions, not times: at load 14 the default 10 s ran out)
  let last: unknown
  const ended: string[] = []
  for (const [i, p] of [long, ...queued].entries()) void p.then((r) => ended.push(`${i === 0 ? "long" : `queued ${i - 1}`}: ${text(r).slice(0, 200)}`))
  // at least n: a listing of the server (a relist server-everything's notifications asked for) can
  // wait behind the long call too (seen in CI: queued 3 for 2 calls)
  await waitFor(`${n} calls queued`, async () => (last = await row(c)) && (last as { queued: number }).queued >= n, 40_000).catch((e: Error) => {
    // what the row and the calls said, for a failure seen once under load (CI, 2026-12-05)
    throw new Error(`${e.message}; last row ${JSON.stringify(last)}; calls ended: ${JSON.stringify(ended)}`)
  })
  return { long, queued }
}

describe("calls queued when a reload changes, removes or disables their server", () => {
  test("redefined: the queued calls are answered by the restarted server; the call in flight ends CLOSED 'retry it'", async () => {
    const { c, write } = await serve()
    const { long, queued } = await inFlightAndQueued(c, 3)
    write(entry("everything", "    maxInFlight: 1\n    env: { CHANGED: '1' }\n") + entry("other"))
    const l = await long
    expect(text(l)).toContain("server everything was restarted: its definition changed in the config")
    expect(text(l)).toContain("retry it")
    const answers = await Promise.all(queued)
    expect(answers.map(text)).toEqual(["Echo: queued 0", "Echo: queued 1", "Echo: queued 2"])
    expect(answers.every((a) => typeof a !== "string" && a.isError !== true)).toBe(true)
    // the restarted server answers new calls too
    expect(text((await c.client.callTool({ name: "everything__echo", arguments: { message: "after" } })) as Result)).toBe("Echo: after")
  }, 90_000)

  test("removed: each queued call hears its server was removed from the config (nothing to send it to)", async () => {
    const { c, write } = await serve()
    const { long, queued } = await inFlightAndQueued(c, 2)
    write(entry("other"))
    for (const r of [await long, ...(await Promise.all(queued))]) expect(text(r)).toContain("server everything was removed from the config")
  }, 90_000)

  test("disabled: each queued call hears its server was disabled, and later calls answer SERVER_DISABLED", async () => {
    const { c, write } = await serve()
    const { long, queued } = await inFlightAndQueued(c, 2)
    write(entry("everything", "    maxInFlight: 1\n    disabled: true\n") + entry("other"))
    for (const r of [await long, ...(await Promise.all(queued))]) expect(text(r)).toContain("server everything was disabled in the config (servers.everything.disabled: true)")
    const later = (await c.client.callTool({ name: "everything__echo", arguments: { message: "x" } })) as Result
    expect(later.isError).toBe(true)
    expect(text(later)).toContain("SERVER_DISABLED")
  }, 90_000)
})
