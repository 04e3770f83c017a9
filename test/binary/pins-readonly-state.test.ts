/**
 * Regression (QA qa360): a state directory this user cannot write (read-only, another user's) made
 * the pins store warn "cannot write the tool pins file" at every write of one session (three in
 * two seconds of a first start), though it is meant to say a lasting failure once: it compared the
 * error messages, and each named the write's temp file, a random name every time. core/atomic-write
 * now names the file written instead of its temp in the error (for every caller: the user never
 * asked for `pins.json.<pid>.<random>.tmp`), so the failure is said once and the later ones at
 * debug. The compiled binary as nobody (root here: chmod does not deny root), the SDK's real Client.
 */
import { beforeAll, expect, test } from "bun:test"
import { chmodSync, mkdirSync } from "node:fs"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { connectAsNobody, IS_ROOT, NOBODY, nobodyServer } from "../helpers/nobody-server.ts"
import { BIN, ensureBuilt, listUntil, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

test.skipIf(process.platform !== "linux")("a read-only state directory: the pins write failure is one warning, naming pins.json, not its temp file", async () => {
  const env = sandboxEnv({ MCPO_LOG_LEVEL: "debug" })
  env.XDG_STATE_HOME = join(env.HOME!, "state")
  const stateDir = join(env.XDG_STATE_HOME, "mcp-orchestrator")
  mkdirSync(stateDir, { recursive: true })
  // the cache read-only too (a read-only home): its start writes the pins three times
  const cacheDir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator")
  mkdirSync(cacheDir, { recursive: true })
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: nobodyServer(env.HOME!) } })
  if (IS_ROOT) execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, env.HOME!])
  for (const d of [stateDir, cacheDir]) chmodSync(d, 0o555)
  const { client, stderr } = await connectAsNobody(BIN, ["serve", "--config", cfg], env)
  const failures = () => stderr().split("\n").filter((l) => l.includes("cannot write the tool pins file"))
  try {
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
    await waitFor("the first pins write to fail", () => failures().length >= 1, 30_000)
  } finally {
    // the shutdown writes them again (the pins still unsaved)
    await client.close()
    await waitFor("a second pins write to fail", () => failures().length >= 2, 30_000).finally(() => {
      for (const d of [stateDir, cacheDir]) chmodSync(d, 0o700)
    })
  }
  const lines = failures()
  expect(lines.filter((l) => l.includes('"level":"warn"')).length).toBe(1)
  for (const l of lines) expect(l).not.toContain(".tmp")
  expect(lines[0]).toContain(join(stateDir, "pins.json"))
}, 90_000)

// QA qa360 too: the warm start after it (the cache writable, so the lists were stored) warned twice
// at every start: "tool pins file is missing while tool lists are stored (deleted?)", a wrong
// guess (it was never written: its directory cannot be), and then the write's failure. Now the
// missing file is said at info when its directory cannot be written; the write's warning is the one.
test.skipIf(process.platform !== "linux")("a read-only state directory, warm start: one warning, not also \"deleted?\"", async () => {
  const env = sandboxEnv()
  env.XDG_STATE_HOME = join(env.HOME!, "state")
  const stateDir = join(env.XDG_STATE_HOME, "mcp-orchestrator")
  mkdirSync(stateDir, { recursive: true })
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { memory: nobodyServer(env.HOME!) } })
  if (IS_ROOT) execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, env.HOME!])
  chmodSync(stateDir, 0o555)
  try {
    for (const start of ["first", "warm"]) {
      const { client, stderr } = await connectAsNobody(BIN, ["serve", "--config", cfg], env)
      try {
        expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
        await waitFor("the pins write to fail", () => stderr().includes("cannot write the tool pins file"), 30_000)
      } finally {
        await client.close()
      }
      if (start === "first") continue
      const warnings = stderr().split("\n").filter((l) => /"level":"(warn|error)"/.test(l))
      expect(warnings.length).toBe(1)
      expect(warnings[0]).toContain("cannot write the tool pins file")
    }
  } finally {
    chmodSync(stateDir, 0o700)
  }
}, 120_000)
