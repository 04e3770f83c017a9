/**
 * A stdio server that, once up, ends by itself with code 0 and without a word (a launcher or
 * wrapper, a server done after its first session: test/faults/servers/quitting-server.ts). Its
 * remedy, in its last error for later calls and orchestrator_status, said "The server crashed on its
 * own", which code 0 and silence contradict; it now says it stopped serving by itself and what
 * commands do that (as a start that ends so already did). One that said why before its code 0
 * keeps the crash wording, with its words quoted.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { BUN, captureLog, config, until } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "..", "faults", "servers", "quitting-server.ts")

async function endedBy(tool: string) {
  const { log, records } = captureLog()
  const p = new Pool({ config: config({ pool: { restartDelay: "10s" } }), log })
  const s = p.add({ name: "q", source: "config", spec: { command: BUN, args: [SERVER] } as ServerSpec })
  expect(await p.call("q", "tools/call", { name: "ok", arguments: {} }, {})).toMatchObject({ content: [{ text: "ok" }] })
  await p.call("q", "tools/call", { name: tool, arguments: {} }, {}).catch(() => undefined)
  expect(await until(() => records.some((r) => r.msg === "downstream ended unexpectedly"), 10_000)).toBe(true)
  return { p, s }
}

describe("a server that ends by itself with code 0 once up", () => {
  test("without a word: its remedy says it stopped serving, not that it crashed", async () => {
    const { p, s } = await endedBy("quit")
    await using _ = p
    expect(s.lastError).toBe("server q exited with code 0")
    expect(s.lastRemedy).toContain("stopped serving rather than crashed")
    expect(s.lastRemedy).not.toContain("crashed on its own")
  }, 30_000)

  test("saying why: its words are quoted, the crash wording stays", async () => {
    const { p, s } = await endedBy("crash")
    await using _ = p
    expect(s.lastError).toContain("fatal: the index is corrupt")
    expect(s.lastRemedy ?? "").not.toContain("stopped serving rather than crashed")
  }, 30_000)
})
