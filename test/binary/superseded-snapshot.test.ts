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
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
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

/** Waits (bounded) until `done` holds; whether it did is for the caller to check. */
async function until(done: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await Bun.sleep(50)
}

const marksOf = (env: Record<string, string>): string[] => readdirSync(env.XDG_CACHE_HOME!, { recursive: true }).map(String).filter((f) => f.includes(".superseded"))

test("a server whose changed list was stored, then dropped by its crash, and that never lists again, no longer keeps every start from the stored first answer", async () => {
  const env = sandboxEnv()
  const extra = join(env.HOME!, "extra")
  const gateB = join(env.HOME!, "gate-b")
  const gateC = join(env.HOME!, "gate-c")
  const cfg = join(env.HOME!, "config.yaml")
  const server = (flags: string[]) => `    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([GATE_SERVER, ...flags])}`
  writeFileSync(cfg, ['toolkit:\n  enabled: "off"', "proxy:\n  listWait: 2s", "pool:\n  restartDelay: 30s", "warm: [b, c]", "servers:", "  b:", server(["--extra-if", extra, "--init-gate", gateB]), "  c:", server(["--init-gate", gateC]), ""].join("\n"))
  const stored = (): boolean => readdirSync(env.XDG_CACHE_HOME!, { recursive: true }).map(String).some((f) => f.endsWith(".snapshot.json"))

  // 1. a complete run stores the first answer; then c crashes (its stored list dropped) and never
  // starts again: later runs' answers stay incomplete (never written), the stored one stands
  writeFileSync(gateB, "")
  writeFileSync(gateC, "")
  const one = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await one.client.listTools()).tools.map((t) => t.name)).toContain("c__held_alpha")
    await until(stored)
    rmSync(gateC)
    await one.client.callTool({ name: "c__crash", arguments: {} }).catch(() => {})
  } finally {
    await one.close()
  }

  // 2. b lists a tool more (its changed list stored: the answer is marked superseded by b), then
  // crashes: its stored list is dropped; it never starts again either
  writeFileSync(extra, "")
  const two = await connectBinary(["serve", "--config", cfg], env)
  await until(() => marksOf(env).length > 0)
  expect(marksOf(env).length).toBeGreaterThan(0)
  rmSync(gateB)
  await two.client.callTool({ name: "b__crash", arguments: {} }).catch(() => {})
  // b's stored list goes with its crash, and its mark with it (bounded: without that, it stays)
  await until(() => marksOf(env).length === 0)
  process.kill(two.pid!, "SIGKILL")
  await two.close().catch(() => {})

  // 3. nothing the stores know is missing from the stored answer: it is the first answer, b's
  // tools in it (before, the mark stayed for good: every start built its list anew and answered
  // without b, after waiting for it)
  const three = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await three.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("b__held_alpha")
    expect(names).toContain("c__held_alpha")
  } finally {
    await three.close()
  }
}, 120_000)

test("two windows: one whose servers list the old tools does not clear the other's mark; the next start's first answer has the new tool", async () => {
  const env = sandboxEnv()
  const extra = join(env.HOME!, "extra")
  const cfg = join(env.HOME!, "config.yaml")
  const server = (flags: string[]) => `    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([GATE_SERVER, ...flags])}`
  writeFileSync(cfg, ['toolkit:\n  enabled: "off"', "proxy:\n  listWait: 3s", "warm: [a]", "servers:", "  a:", server(["--extra-if", extra]), ""].join("\n"))

  // 0. a complete run stores the first answer (no held_extra)
  const zero = await connectBinary(["serve", "--config", cfg], env)
  await zero.client.listTools()
  await zero.close()

  // 1. window W2 starts: its `a` lists the old tools
  const w2 = await connectBinary(["serve", "--config", cfg], env)
  await w2.client.callTool({ name: "a__echo", arguments: { message: "up" } })
  // 2. window W1 starts after `a` gained a tool: it stores the new list (marked), then is killed
  writeFileSync(extra, "")
  const w1 = await connectBinary(["serve", "--config", cfg], env)
  let changed!: () => void
  const told = new Promise<void>((r) => (changed = r))
  w1.client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed())
  await w1.client.listTools()
  await told
  expect(marksOf(env).length).toBeGreaterThan(0)
  process.kill(w1.pid!, "SIGKILL")
  await w1.close().catch(() => {})
  // 3. W2 lists (complete, the old tools) and ends: its answer is written, the mark stays
  expect((await w2.client.listTools()).tools.map((t) => t.name)).not.toContain("a__held_extra")
  await w2.close()

  // 4. the next start's first answer has the tool the store has
  const three = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await three.client.listTools()).tools.map((t) => t.name)).toContain("a__held_extra")
  } finally {
    await three.close()
  }
}, 120_000)

test("two windows: one whose copy of a server lists the old tools, writing after the other stored and wrote the new ones, leaves the next start a first answer with the new tool", async () => {
  const env = sandboxEnv()
  const extraA = join(env.HOME!, "extra-a")
  const extraB = join(env.HOME!, "extra-b")
  const cfg = join(env.HOME!, "config.yaml")
  const server = (flags: string[]) => `    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([GATE_SERVER, ...flags])}`
  writeFileSync(cfg, ['toolkit:\n  enabled: "off"', "proxy:\n  listWait: 3s", "warm: [a, b]", "servers:", "  a:", server(["--extra-if", extraA]), "  b:", server(["--extra-if", extraB]), ""].join("\n"))
  const answer = (): string => {
    const f = readdirSync(env.XDG_CACHE_HOME!, { recursive: true }).map(String).find((n) => n.endsWith(".snapshot.json"))
    return f ? readFileSync(join(env.XDG_CACHE_HOME!, f), "utf8") : ""
  }
  const listChanged = (c: Awaited<ReturnType<typeof connectBinary>>): Promise<void> => new Promise<void>((r) => c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => r()))

  // 1. window W2 starts first (an empty cache): its answer is stored, both servers with the old tools
  const w2 = await connectBinary(["serve", "--config", cfg], env)
  await w2.client.listTools()
  await until(() => answer().includes("b__held_alpha"))
  // 2. `a` gains a tool; window W1 stores its new list and writes the answer with it
  writeFileSync(extraA, "")
  const w1 = await connectBinary(["serve", "--config", cfg], env)
  const told1 = listChanged(w1)
  await w1.client.listTools()
  await told1
  expect((await w1.client.listTools()).tools.map((t) => t.name)).toContain("a__held_extra")
  await until(() => answer().includes("a__held_extra"))
  expect(answer()).toContain("a__held_extra")
  await w1.close()
  // 3. in W2, `b` gains a tool (restarted after a crash): W2 writes its answer, its `a` still the old one
  writeFileSync(extraB, "")
  const told2 = listChanged(w2)
  await w2.client.callTool({ name: "b__crash", arguments: {} }).catch(() => {})
  await told2
  const names2 = (await w2.client.listTools()).tools.map((t) => t.name)
  expect(names2).toContain("b__held_extra")
  expect(names2).not.toContain("a__held_extra")
  await until(() => answer().includes("b__held_extra"))
  await w2.close()

  // 4. the next start's first answer has both new tools (before, W2's answer was served: no a__held_extra)
  const three = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await three.client.listTools()).tools.map((t) => t.name)
    expect(names).toContain("a__held_extra")
    expect(names).toContain("b__held_extra")
  } finally {
    await three.close()
  }
}, 120_000)
