/**
 * Credentials written as `NAME=VALUE` inside a longer configured text are secrets too: a connection
 * string under an ordinary env name (`DATABASE_URL=Server=…;User Id=sa;Password=…;`, libpq's
 * `host=… password=…`), docker's `--env=API_KEY=…` argument, a connection string as an argument. A
 * downstream that prints its environment and argv (servers/leaky-server.ts, as server-everything's
 * get-env does) must not hand them to the client, nor may the log, through the compiled binary.
 * So must a value put in from a secret variable (`${env:STRIPE_SECRET_KEY}`, `${DEPLOY_TOKEN}`)
 * wherever it lands: an argument after an ordinary flag, part of a longer argument.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const LEAKY = join(import.meta.dir, "servers", "leaky-server.ts")
const tag = (t: string): string => `${t}${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`
// Ordinary-looking passwords (not credential-shaped): only their names say they are secrets.
const C = { ado: tag("adoPw"), libpq: tag("pqPw"), dockerEnv: tag("envKey"), argConn: tag("argPw"), stripe: tag("rk_live_"), deploy: tag("deploy") }

let env: Record<string, string>
let configPath: string
let c: Connected | undefined

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv({ STRIPE_SECRET_KEY: C.stripe, DEPLOY_TOKEN: C.deploy })
  const config = {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    warm: ["leaky"],
    servers: {
      leaky: {
        command: process.execPath,
        args: [LEAKY, `--env=LEAK_API_KEY=${C.dockerEnv}`, `Server=db;Database=app;Password=${C.argConn};`, "--stripe", "${env:STRIPE_SECRET_KEY}", "--target=prod:${DEPLOY_TOKEN}"],
        env: { LEAK_DATABASE_URL: `Server=tcp:db,1433;User Id=sa;Password=${C.ado};Encrypt=true`, LEAK_PG: `host=db user=app password=${C.libpq} dbname=app` },
      },
    },
  }
  configPath = writeConfig(env, config)
})

afterAll(async () => {
  if (!c) return
  await c.close()
  const pid = c.pid
  for (let i = 0; pid !== undefined && i < 100 && isAlive(pid); i++) await Bun.sleep(100)
})

describe("NAME=VALUE credentials inside configured text", () => {
  test("a downstream printing its env and argv shows none of them; the log neither", async () => {
    c = await connectBinary(["serve", "--config", configPath], env)
    await listUntil(c.client, "leaky__env")
    const answers = [JSON.stringify(await c.client.callTool({ name: "leaky__env", arguments: {} })), JSON.stringify(await c.client.callTool({ name: "leaky__fail_result", arguments: {} }))]
    for (const a of answers) {
      expect(a).toContain("Password=[REDACTED]")
      expect(a).toContain("User Id=sa") // the rest of the string stays readable
      expect(a).toContain("--target=prod:[REDACTED]")
      expect(Object.entries(C).filter(([, v]) => a.includes(v))).toEqual([])
    }
    await c.close()
    expect(c.stderr()).toContain("leaky-server starting")
    expect(Object.entries(C).filter(([, v]) => c!.stderr().includes(v))).toEqual([])
  }, 60_000)

  test("a reload that is rejected keeps the running servers' variable secrets redacted", async () => {
    const b = await connectBinary(["serve", "--config", configPath], env)
    try {
      await listUntil(b.client, "leaky__env")
      // the first list may come from the stored answer before the config is even loaded: the
      // rewrite below must come after the load (and the reloader's start), not race it
      for (let i = 0; i < 600 && !b.stderr().includes('"msg":"ready"'); i++) await Bun.sleep(50)
      expect(b.stderr()).toContain('"msg":"ready"')
      const good = await Bun.file(configPath).text()
      // the new file no longer uses the variables, and is refused: the running server still has them
      writeFileSync(configPath, JSON.stringify({ ...JSON.parse(good), servers: { leaky: { command: 5 } } }))
      for (let i = 0; i < 200 && !b.stderr().includes("config reload rejected"); i++) await Bun.sleep(50)
      expect(b.stderr()).toContain("config reload rejected")
      const a = JSON.stringify(await b.client.callTool({ name: "leaky__env", arguments: {} }))
      expect(a).toContain("--target=prod:[REDACTED]")
      expect([C.stripe, C.deploy].filter((v) => a.includes(v))).toEqual([])
      writeFileSync(configPath, good)
    } finally {
      await b.close()
    }
  }, 60_000)
})
