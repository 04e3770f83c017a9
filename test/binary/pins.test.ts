/**
 * Tool pins through the built binary: new pins are written shortly after they are taken, or at
 * shutdown, so a session that ends right after its first list (as Cursor's often do) leaves them on
 * disk for the next start's rug-pull check.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv } from "../helpers/binary.ts"
import { EVERYTHING } from "../proxy/helpers.ts"

beforeAll(ensureBuilt, 120_000)

test("a session that ends right after its first list leaves its new pins on disk", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  ev:\n    command: node\n    args: ["${EVERYTHING}", "stdio"]\n`)
  const run = await connectBinary(["serve", "--config", cfg], env)
  expect(await listUntil(run.client, "ev__echo")).toContain("ev__echo")
  await run.close()
  for (let i = 0; i < 100 && run.pid !== undefined && isAlive(run.pid); i++) await Bun.sleep(50)
  const file = join(env.HOME!, ".local", "state", "mcp-orchestrator", "pins.json")
  expect(existsSync(file)).toBe(true)
  const pins = JSON.parse(readFileSync(file, "utf8")) as { servers: Record<string, Record<string, { hash: string }>> }
  expect(Object.keys(pins.servers.ev ?? {})).toContain("echo")
}, 30_000)
