/**
 * The stored first answer (app/tool-snapshot) never lags what the per-server stores know. A run
 * stores a server's changed list at once, and rewrites the first answer a moment later (debounced);
 * a run killed in between (SIGKILL, a crash) used to leave the old first answer, and the next start
 * served it (Cursor keeps it for the whole session) although the store had the new tool. The first
 * answer is now marked superseded before the changed list is stored, and a start does not serve it
 * then: its first answer is built from the stores and the servers.
 *
 * Three runs of the compiled binary with the SDK Client, one cache; two fixture servers: `f` lists
 * `held_extra` once a file exists at its start, `s` answers initialize only while a gate file exists
 * (in runs 2 and 3 it never does: a server slower to start than the session lasts, its stored list
 * standing in for it).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

const ENDS = ["SIGKILL", "SIGTERM", "stdin EOF"] as const

test.each(ENDS)("a run ended (%s) right after a server's list changed: the next start's first answer has the new tool", async (end) => {
  const env = sandboxEnv()
  const extra = join(env.HOME!, "extra")
  const gate = join(env.HOME!, "gate")
  const cfg = join(env.HOME!, "config.yaml")
  const server = (flags: string[]) => `    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([GATE_SERVER, ...flags])}`
  writeFileSync(cfg, ['toolkit:\n  enabled: "off"', "proxy:\n  listWait: 3s", "warm: [f]", "servers:", "  f:", server(["--extra-if", extra]), "  s:", server(["--init-gate", gate]), ""].join("\n"))
  const snapshots = (): string[] => (existsSync(join(env.XDG_CACHE_HOME!)) ? readdirSync(join(env.XDG_CACHE_HOME!), { recursive: true }).map(String).filter((f) => f.includes(".snapshot.json")) : [])

  // 1. a complete run: both servers list; the first answer is stored
  writeFileSync(gate, "")
  const one = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await one.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("f__held_alpha")
    expect(names).toContain("s__held_alpha")
    expect(names).not.toContain("f__held_extra")
  } finally {
    await one.close()
  }
  expect(snapshots()).toHaveLength(1)

  // 2. `s` no longer starts in time; `f` has a tool more. Answered from the stored answer, then the
  // real list (f live, s stored: complete) differs: list_changed; killed at once
  rmSync(gate)
  writeFileSync(extra, "")
  const two = await connectBinary(["serve", "--config", cfg], env)
  let changed!: () => void
  const told = new Promise<void>((r) => (changed = r))
  two.client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed())
  const first = (await two.client.listTools()).tools.map((t) => t.name)
  expect(first).not.toContain("f__held_extra")
  await told
  if (end === "stdin EOF") await two.close()
  else {
    process.kill(two.pid!, end)
    await two.close().catch(() => {})
  }

  // 3. the next start's first answer holds the new tool (and s's stored ones)
  const three = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await three.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("f__held_extra")
    expect(names).toContain("s__held_alpha")
  } finally {
    await three.close()
  }
  // that complete run stored its answer again (no longer superseded): the next start is answered from it
  expect(snapshots().filter((f) => f.endsWith(".superseded"))).toEqual([])
  const four = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await four.client.listTools()).tools.map((t) => t.name)).toContain("f__held_extra")
  } finally {
    await four.close()
  }
}, 90_000)
