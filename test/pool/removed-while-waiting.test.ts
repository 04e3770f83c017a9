/**
 * A server removed (a config reload, the Toolkit gateway) while its start waits for room under
 * pool.maxSessions (the least recently used session is being closed for it, which takes that
 * server's grace periods): the start ends there, abandoned, and spawns nothing. Before, it went on
 * once the room was made: the removed server's process was spawned and ran its whole handshake
 * (up to pool.connectTimeout when it did not answer) before it was closed. The servers are
 * test/faults/servers/request-log-server (real processes, read from /proc); the one made room for
 * ignores stdin's end, so its close holds until the test ends it.
 */
import { afterEach, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { isAbandoned, MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { pidsWhere } from "../helpers/proc.ts"
import { waitFor } from "../helpers/wait.ts"

const SERVER = join(import.meta.dir, "..", "faults", "servers", "request-log-server.ts")

let pool: Pool | undefined
afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

test.skipIf(process.platform !== "linux")("removed while it waits for room under pool.maxSessions: the start is abandoned and nothing is spawned", async () => {
  const dir = tempDir("mcpo-removed-waiting-")
  const spec = (name: string, ...extra: string[]) => ({ command: process.execPath, args: [SERVER, "--log", join(dir, `${name}.log`), ...extra] })
  // a long grace: closing `a` (which ignores stdin's end) holds until the test kills it
  pool = new Pool({ config: ConfigSchema.parse({ pool: { maxSessions: 1, connectTimeout: "5m", restartDelay: "10m" } }), log: silentLogger, closeGraceMs: 300_000, eras: new MemoryEraStore() })
  const a = pool.add({ name: "a", source: "config", spec: spec("a", "--ignore-eof") } as never)
  await a.ensure()
  const aPid = a.pid!
  // `h` holds its initialize answer forever: a spawned `h` would hold its start for pool.connectTimeout
  const h = pool.add({ name: "h", source: "config", spec: spec("h", "--hold", join(dir, "never")) } as never)
  const start = h.ensure().then(
    () => undefined,
    (e: unknown) => e,
  )
  // `a` is being closed to make room for `h` (its state left "ready"; its process is still there)
  await waitFor("a closed to make room", () => a.state === "idle" || undefined)
  expect(pidsWhere((f) => f[2] === String(aPid) && f[0] !== "Z")).not.toEqual([])
  const removing = pool.remove("h")
  // the room is made now
  process.kill(-aPid, "SIGKILL")
  const e = await start
  expect(isAbandoned(e)).toBe(true)
  await removing
  // nothing of h's ever ran: no process got a request
  expect(existsSync(join(dir, "h.log")) ? readFileSync(join(dir, "h.log"), "utf8") : "").toBe("")
  expect(h.state).toBe("closed")
}, 30_000)
