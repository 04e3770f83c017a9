/**
 * A warm start (lists from the store, servers lazy): a `resources/read` of a URI no stored list
 * holds starts only the servers whose stored lists could hold it (a resource of its origin, a
 * template reaching it: proxy/uri-reach), not every server known from the store. A URI none could
 * hold is answered `Resource not found` without starting anything; one of a server's origin starts
 * that server alone. Before, each such read started every server and waited for their listings.
 * The compiled binary with the SDK Client; two runs, one cache; three SDK v2 servers with resources
 * (`mem://<n>/note`, template `mem://<n>/ask/{topic}`) and two raw servers with none.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { childrenOf, connectBinary, ensureBuilt, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
const WITH_RESOURCES = ["a", "b", "c"]

/** Requests each resource server received (its MODERN_LOG lines). */
function received(home: string): Record<string, number> {
  return Object.fromEntries(WITH_RESOURCES.map((n) => [n, existsSync(join(home, `${n}.log`)) ? readFileSync(join(home, `${n}.log`), "utf8").split("\n").filter(Boolean).length : 0]))
}

test("warm start: a read of a URI no stored list could hold starts no server; one of a server's origin starts that server alone", async () => {
  const env = sandboxEnv()
  const home = env.HOME!
  const servers: Record<string, unknown> = {}
  for (const n of WITH_RESOURCES) servers[n] = { command: process.execPath, args: [MODERN, "stdio"], env: { MODERN_NAME: n, MODERN_LOG: join(home, `${n}.log`) } }
  for (const n of ["p", "q"]) servers[n] = { command: process.execPath, args: [NAMED, "--label", n, "--tools", "t"] }
  const cfg = writeConfig(env, { servers, toolkit: { enabled: "off" }, plugins: { enabled: false } })
  // the first run lists every server (their lists are stored)
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await first.client.listResources()).resources.map((r) => r.uri).sort()).toEqual(["mem://a/note", "mem://b/note", "mem://c/note"])
  } finally {
    await first.close()
  }
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    // answered from the store: nothing started
    expect((await c.client.listResources()).resources).toHaveLength(3)
    const before = received(home)
    const none = await c.client.readResource({ uri: "zzz://nothing" }).then(
      () => "answered",
      (e: unknown) => String(e),
    )
    expect(none).toContain("Resource not found: no server behind mcp-orchestrator serves zzz://nothing")
    expect(childrenOf(c.pid!)).toEqual([])
    expect(received(home)).toEqual(before)
    // a URI of b's origin: b may have added it since; only b is started (and says it has none)
    const ofB = await c.client.readResource({ uri: "mem://b/other" }).then(
      () => "answered",
      (e: unknown) => String(e),
    )
    expect(ofB).toContain("Resource not found")
    const after = received(home)
    expect(after.b).toBeGreaterThan(before.b!)
    expect({ a: after.a, c: after.c }).toEqual({ a: before.a, c: before.c })
    expect(childrenOf(c.pid!)).toHaveLength(1)
  } finally {
    await c.close()
  }
}, 90_000)
