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

// config reload (app/config-apply): the call is told what happened to its server, in the config's terms
test("a reload that removes the server: the call hears it was removed from the config; one that changes it: restarted, not removed", async () => {
  const { applyDiff } = await import("../../src/app/config-apply.ts")
  const { diffConfig } = await import("../../src/app/config-diff.ts")
  const { createLogHub } = await import("../../src/core/index.ts")
  const running = config({ servers: { f: fault(), g: fault() } })
  await using proxy = createProxy({ config: running, log: silentLogger, closeGraceMs: 200 })
  const names = (await proxy.listTools()).map((t) => t.name)
  expect(names).toContain("f__sleep")
  expect(names).toContain("g__sleep")
  const onF = proxy.callTool("f__sleep", { ms: 5000 }, ctx()).catch((e: unknown) => e)
  const onG = proxy.callTool("g__sleep", { ms: 5000 }, ctx()).catch((e: unknown) => e)
  await Bun.sleep(100)
  // f is gone from the next config; g's definition changed (another argument)
  const next = config({ servers: { g: { ...fault(), args: [...fault().args, "--changed"] } } })
  await Promise.all(applyDiff(running, next, diffConfig(running, next), { proxy, logHub: createLogHub("error", () => {}), nested: false }))
  const errF = (await onF) as { code?: string; message?: string }
  const errG = (await onG) as { code?: string; message?: string }
  expect(errF.code).toBe("CLOSED")
  expect(errF.message).toContain("server f was removed from the config")
  expect(errG.code).toBe("CLOSED")
  expect(errG.message).toContain("server g was restarted: its definition changed in the config")
  expect(errG.message).not.toContain("removed")
}, 30_000)

// a call never sent (it waits out a restart backoff) when a reload redefines its server: it goes to the new server at once
test("a call waiting out a crash's restart backoff when a reload redefines the server is answered by the new server, not CLOSED", async () => {
  const { applyDiff } = await import("../../src/app/config-apply.ts")
  const { diffConfig } = await import("../../src/app/config-diff.ts")
  const { createLogHub } = await import("../../src/core/index.ts")
  // a backoff far longer than the test: without the hand-over the call would sleep it out, then fail CLOSED
  const running = config({ servers: { f: fault() }, pool: { restartDelay: 50_000, restartDelayMax: 50_000, callTimeout: 55_000 } })
  await using proxy = createProxy({ config: running, log: silentLogger, closeGraceMs: 200 })
  expect((await proxy.listTools()).map((t) => t.name)).toContain("f__crash")
  expect(((await proxy.callTool("f__crash", {}, ctx()).catch((e: unknown) => e)) as { code?: string }).code).toBe("SERVER_EXITED")
  expect(proxy.pool.get("f")?.state).toBe("backoff")
  const waiting = proxy.callTool("f__echo", { message: "after the reload" }, ctx()).catch((e: unknown) => e)
  const next = config({ servers: { f: { ...fault(), args: [...fault().args, "--changed"] } }, pool: running.pool })
  await Promise.all(applyDiff(running, next, diffConfig(running, next), { proxy, logHub: createLogHub("error", () => {}), nested: false }))
  const r = (await waiting) as { content?: { text?: string }[]; code?: string; message?: string }
  expect(r.message).toBeUndefined()
  expect(JSON.stringify(r.content)).toContain("after the reload")
}, 30_000)
