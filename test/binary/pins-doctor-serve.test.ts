/**
 * `doctor` and `serve` pin the same thing: the definition as the server sent it. A definition serve
 * repairs (a schema without `type`, a draft-07 `$schema`, hidden characters in a description…) was
 * pinned by doctor as its repaired copy and by serve as sent: two hashes for one definition, so
 * each run after the other re-pinned it — "definition changed since it was first seen (possible
 * rug pull)" on an unchanged server, and in `block` mode the tool withheld from the model.
 * Through the built binary, with a raw downstream whose list mixes clean and repaired definitions.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { BUN, ROOT } from "../proxy/helpers.ts"

const BAD = join(ROOT, "test", "faults", "servers", "bad-tools-server.ts")

beforeAll(ensureBuilt, 120_000)

test("doctor, serve, doctor, serve: no pin changes, no rug-pull warning, the same tools listed each time (block mode)", async () => {
  const env = sandboxEnv()
  const pinsFile = join(env.HOME!, "pins.json")
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { bad: { command: BUN, args: [BAD] } }, warm: ["bad"], proxy: { pinTools: "block", pinsFile } }))
  const doctor = (): string => {
    const r = Bun.spawnSync([BIN, "doctor", "--config", cfg, "--json"], { env, cwd: env.HOME })
    return r.stdout.toString() + r.stderr.toString()
  }
  const serve = async (): Promise<{ names: string[]; log: string }> => {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = (await run.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("bad__")).sort()
      return { names, log: run.stderr() }
    } finally {
      await run.close()
    }
  }
  const pending = (): string[] => {
    if (!existsSync(pinsFile)) return []
    const file = JSON.parse(readFileSync(pinsFile, "utf8")) as { servers: Record<string, Record<string, { pending?: unknown }>> }
    return Object.entries(file.servers.bad ?? {}).flatMap(([tool, p]) => (p.pending !== undefined ? [tool] : []))
  }
  const RUG = /definition changed|rug pull|TOOL_DEFINITION_CHANGED/i

  expect(doctor()).not.toMatch(RUG)
  const pinnedByDoctor = existsSync(pinsFile) ? Object.keys((JSON.parse(readFileSync(pinsFile, "utf8")) as { servers: Record<string, object> }).servers.bad ?? {}) : []
  expect(pinnedByDoctor.length).toBeGreaterThan(5) // doctor listed and pinned them
  const first = await serve()
  expect(first.log).not.toMatch(RUG)
  expect(pending()).toEqual([])
  expect(first.names).toContain("bad__draft07")
  expect(first.names).toContain("bad__untyped_schema")
  expect(doctor()).not.toMatch(RUG)
  expect(pending()).toEqual([])
  const second = await serve()
  expect(second.log).not.toMatch(RUG)
  expect(second.names).toEqual(first.names)
  expect(pending()).toEqual([])
}, 120_000)
