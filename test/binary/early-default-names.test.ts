/**
 * Regression (QA 248): a run without any config file stores its first answer (no servers), stamped
 * with the files that must stay absent for it to hold. The stamps named config.yaml, config.yml and
 * config.json but not config.jsonc, the fourth default name: a config.jsonc written before the next
 * start left that start's first tools/list answered from the stale store, without its servers
 * (Cursor keeps that answer for the whole session). Every default name is stamped now.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "..", "faults", "servers", "request-log-server.ts")

describe("a config written in the default location between two runs", () => {
  for (const name of ["config.jsonc", "config.json", "config.yml"]) {
    test(`${name}, after a run without any config: the next first answer has its servers`, async () => {
      const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
      const first = await connectBinary(["serve"], env)
      try {
        expect((await first.client.listTools()).tools.map((t) => t.name)).not.toContain("a__echo")
      } finally {
        await first.close()
      }
      const dir = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator")
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, name), JSON.stringify({ servers: { a: { command: process.execPath, args: [SERVER, "--log", join(env.HOME!, "a.log")] } } }))
      const second = await connectBinary(["serve"], env)
      try {
        expect((await second.client.listTools()).tools.map((t) => t.name)).toContain("a__echo")
      } finally {
        await second.close()
      }
    }, 60_000)
  }
})
