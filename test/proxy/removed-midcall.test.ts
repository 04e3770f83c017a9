/**
 * A call in flight on a server that is removed (a config reload, the Toolkit) is told that: the
 * server was removed while it ran — not how the child then ended ("exited with code 0" after its
 * stdin closed), which reads as a crash of the server.
 */
import { expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ctx, fault } from "./helpers.ts"

test("a call in flight on a removed server fails with CLOSED 'was removed', not SERVER_EXITED", async () => {
  await using proxy = createProxy({ config: config({ servers: { f: fault() } }), log: silentLogger, closeGraceMs: 200 })
  expect((await proxy.listTools()).map((t) => t.name)).toContain("f__sleep")
  const call = proxy.callTool("f__sleep", { ms: 5000 }, ctx()).catch((e: unknown) => e)
  await Bun.sleep(100)
  await proxy.removeServer("f")
  const err = (await call) as { code?: string; message?: string }
  expect(err.code).toBe("CLOSED")
  expect(err.message).toContain("server f was removed")
  expect(err.message).not.toContain("exited with code")
})
