/**
 * A server that floods its stderr while it starts, then says why it gives up and exits: the start
 * failure quotes its last words, read after the whole of its stderr was (before, its exit was
 * reported while megabytes of it were still in the pipe: the quote was a line from the middle).
 */
import { afterEach, describe, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"

let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

const FLOOD = `const { writeSync } = require("node:fs"); for (let i = 0; i < 100000; i++) writeSync(2, "loading module " + i + " of 100000\\n"); writeSync(2, "Error: LICENSE_KEY is not set\\n"); process.exit(3)`

describe("stderr flood at start", () => {
  test("the start failure quotes the last thing the server said, after a flood of stderr", async () => {
    pool = new Pool({ config: ConfigSchema.parse({ pool: { restartDelay: "10s" } }), log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
    const session = pool.add({ name: "flood", source: "config", spec: { command: process.execPath, args: ["-e", FLOOD] } } as never)
    const e = await session.ensure().then(
      () => undefined,
      (x: { code?: string; message?: string }) => x,
    )
    expect(e?.code).toBe("CONNECT_FAILED")
    expect(e?.message).toContain("exited with code 3")
    expect(e?.message).toContain("LICENSE_KEY is not set")
  }, 30_000)
})
