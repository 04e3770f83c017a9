/**
 * A stdio server that ends at start asking for a command-line argument (server-postgres without its
 * database URL, a CLI printing its usage) fails its start naming `servers.NAME.args` as the fix, not
 * "check the command and environment". pool/args-hint on real servers' wording, and a start through
 * the pool of a process that says what server-postgres says and exits.
 */
import { afterEach, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { argsHint } from "../../src/pool/args-hint.ts"

let pool: Pool | undefined
afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

test("servers asking for an argument are recognised; other failures are not", () => {
  for (const asks of ["Please provide a database URL as a command-line argument", "Usage: mcp-server-sqlite <db-path>", "error: missing required argument 'path'", "Error: at least one directory argument is required"]) {
    expect(argsHint(asks, "pg")?.remedy).toStartWith("Add it to servers.pg.args")
  }
  for (const other of ["Error: GITHUB_TOKEN is required", "[1] Fatal error: TypeError: fetch failed", "Invalid argument type for tool x", "npm error 404 Not Found"]) {
    expect(argsHint(other, "x")).toBeUndefined()
  }
})

test("a start that ends asking for an argument names servers.NAME.args", async () => {
  const config = ConfigSchema.parse({ pool: { restartDelay: "10m" } })
  pool = new Pool({ config, log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
  const script = "console.error('Please provide a database URL as a command-line argument'); process.exit(1)"
  const session = pool.add({ name: "pg", source: "config", spec: { command: process.execPath, args: ["-e", script] } } as never)
  const e = (await session.ensure().then(
    () => undefined,
    (x: unknown) => x,
  )) as { message: string; remedy?: string }
  expect(e.message).toContain("Please provide a database URL as a command-line argument")
  expect(e.remedy).toContain("servers.pg.args")
}, 30_000)
