/**
 * A downstream that closes its stdout and keeps running can never answer again: its session ends
 * at once (the call in flight fails saying so, not at its timeout), the process is stopped, and the
 * pool starts it again for the next call.
 */
import { expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { alive, config, ctx, ROOT, until } from "../proxy/helpers.ts"

const SERVER = join(ROOT, "test", "faults", "servers", "closeout-server.mjs")

test("a server that closes its stdout but keeps running: the call fails naming that, the process is stopped, the next call runs on a new one", async () => {
  const pids = join(tempDir("mcpo-closeout-"), "pids")
  // a call timeout long enough that failing by it cannot be mistaken for the fix (it is what the old code did)
  const servers = { co: { command: "node", args: [SERVER, pids], timeout: 20_000 } }
  await using proxy = createProxy({ config: config({ servers, pool: { restartDelay: 50 } }), log: silentLogger, closeGraceMs: 200 })
  expect((await proxy.listTools()).map((t) => t.name)).toContain("co__close_output")
  const first = Number(readFileSync(pids, "utf8").trim())
  const err = (await proxy.callTool("co__close_output", {}, ctx()).catch((e: unknown) => e)) as { code?: string; message?: string }
  expect(err.code).toBe("SERVER_EXITED")
  expect(err.message).toContain("closed its output (stdout) but kept running")
  // the process that can no longer answer is stopped
  expect(await until(() => !alive(first), 10_000)).toBe(true)
  // and the server is usable again (a new process)
  const r = await proxy.callTool("co__echo", { message: "again" }, ctx())
  expect(r).toEqual({ content: [{ type: "text", text: "again" }] })
  expect(readFileSync(pids, "utf8").trim().split("\n").length).toBe(2)
}, 30_000)
