/**
 * A remembered 2025-11-25 verdict for a server that now speaks 2026-07-28 only and ignores
 * `initialize` (answers nothing): one start waits out its connect timeout, the verdict is dropped,
 * and the next start probes (server/discover) and is up as modern. Before, the verdict was kept and
 * every start waited the whole connect timeout, failing.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"

const ODD = join(import.meta.dir, "..", "faults", "servers", "odd-modern-server.ts")
let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

describe("a stale remembered legacy verdict", () => {
  test("a modern-only server that ignores initialize costs one connect timeout, not every start", async () => {
    const spec = { command: process.execPath, args: [ODD], env: { ODD: "ignore-initialize" } }
    const eras = new MemoryEraStore()
    eras.set(spec as never, "legacy")
    const config = ConfigSchema.parse({ pool: { connectTimeout: "3s", restartDelay: 20, restartDelayMax: 100 } })
    pool = new Pool({ config, log: silentLogger, eras, closeGraceMs: 200 })
    const session = pool.add({ name: "odd", source: "config", spec } as never)
    const first = await session.ensure().then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    )
    expect(first?.code).toBe("CONNECT_FAILED")
    // says what happened and that the next start is different
    expect(first?.message).toContain("did not answer initialize")
    expect(first?.message).toContain("remembered 2025-11-25 verdict was dropped")
    expect(eras.get(spec as never)).toBeUndefined()
    // the next start probes: up in the 2026-07-28 era, and remembered so
    const tools = (await pool.call("odd", "tools/list", undefined, { idempotent: true, listing: true })) as { tools: { name: string }[] }
    expect(tools.tools.map((t) => t.name)).toContain("ok")
    expect(session.era?.era).toBe("modern")
    expect(eras.get(spec as never)).toBe("modern")
  }, 30_000)
})
