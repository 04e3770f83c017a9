/**
 * `cache clear` forgets the stored first answer too: before, it removed the cache entries but left
 * `tools-<key>.snapshot.json` (and the early face's index) beside them, so the next start still
 * answered its first tools/list with the tools the user had just cleared.
 */
import { beforeAll, expect, test } from "bun:test"
import { readdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

beforeAll(ensureBuilt, 120_000)

test("after cache clear, a start whose server is still booting lists none of the tools it had stored", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  // the downstream answers nothing until the gate file exists: the test decides when it has booted
  const gate = join(env.HOME!, "booted")
  writeFileSync(
    cfg,
    `toolkit:\n  enabled: "off"\nproxy:\n  listWait: 1s\n  firstListWait: 1s\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--boot-gate", "${gate}"]\n`,
  )
  writeFileSync(gate, "")
  const first = await connectBinary(["serve", "--config", cfg], env)
  expect(await listUntil(first.client, "slow__echo")).toContain("slow__echo")
  await first.close()
  const cacheDir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  expect(readdirSync(cacheDir).some((f) => /^tools-[0-9a-f]+\.snapshot\.json$/.test(f))).toBe(true)

  const cleared = Bun.spawnSync([BIN, "cache", "clear", "--config", cfg], { env, cwd: env.HOME })
  expect(cleared.exitCode).toBe(0)
  expect(cleared.stdout.toString()).toMatch(/^removed \d+ entries and 1 stored first answer from /)
  expect(readdirSync(cacheDir).filter((f) => f !== "entries")).toEqual([])

  // the server held before its initialize for the whole start: a list naming its tools could only
  // come from what was stored
  rmSync(gate)
  const second = await connectBinary(["serve", "--config", cfg], env)
  try {
    const listed = (await second.client.listTools()).tools.map((t) => t.name)
    expect(listed.filter((n) => n.startsWith("slow__"))).toEqual([])
  } finally {
    await second.close()
  }
}, 60_000)

test("cache clear --kind servers leaves the stored first answers", async () => {
  const env = sandboxEnv()
  const dir = join(env.HOME!, "c")
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `cache:\n  dir: ${dir}\n`)
  Bun.spawnSync(["mkdir", "-p", join(dir, "tools-0123456789abcdef.snapshot.json.superseded")])
  writeFileSync(join(dir, "tools-0123456789abcdef.snapshot.json"), "{}")
  writeFileSync(join(dir, "early-00ff.json"), "{}")
  const one = Bun.spawnSync([BIN, "cache", "clear", "--kind", "servers", "--json", "--config", cfg], { env, cwd: env.HOME })
  expect(JSON.parse(one.stdout.toString())).toMatchObject({ removed: 0, firstAnswers: 0, kind: "servers" })
  expect(readdirSync(dir).sort()).toEqual(["early-00ff.json", "tools-0123456789abcdef.snapshot.json", "tools-0123456789abcdef.snapshot.json.superseded"])
  const all = Bun.spawnSync([BIN, "cache", "clear", "--json", "--config", cfg], { env, cwd: env.HOME })
  expect(JSON.parse(all.stdout.toString())).toMatchObject({ removed: 0, firstAnswers: 1, kind: null })
  expect(readdirSync(dir)).toEqual([])
}, 30_000)
