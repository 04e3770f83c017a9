/**
 * A configured server that starts but never answers tools/list costs a start `proxy.listWait` once,
 * not at every start (proxy/silence). The compiled binary, started several times over the same cache
 * like Cursor does, with the SDK Client; servers: a fixture listing at once ("quick") and one holding
 * tools/list until a file appears ("held"), so nothing depends on timing but one lower bound, the
 * contract: a start that waits takes at least most of listWait (4 s). A start that must not wait
 * runs with listWait raised to 10 minutes, so a wait shows as the test's own timeout.
 * 1. the held server is waited for (listWait), does not list, and is noted when the run ends;
 * 2. the next start answers its first tools/list at once without it, says so (a log line, its
 *    orchestrator_status row), still starts it; when it lists, its tools are announced, callable,
 *    and its note is dropped;
 * 3. the start after that has its tools in its first answer;
 * and a changed definition of the held server (other args) is waited for again.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const BUN = process.execPath
const LIST_WAIT_MS = 4000
/** The listWait of a start that must not wait: far beyond the test's timeout. */
const NEVER_MS = 600_000

beforeAll(ensureBuilt, 120_000)

function writeConfig(env: Record<string, string>, heldArgs: string[], listWaitMs = LIST_WAIT_MS): string {
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(
    cfg,
    [
      "toolkit:",
      '  enabled: "off"',
      "proxy:",
      `  listWait: ${listWaitMs}`,
      // a first start ever waits for its first page of tools up to firstListWait (proxy/first-start): as long as listWait here
      `  firstListWait: ${listWaitMs}`,
      "servers:",
      "  quick:",
      `    command: ${BUN}`,
      `    args: ["${GATE_SERVER}"]`,
      "  held:",
      `    command: ${BUN}`,
      `    args: [${heldArgs.map((a) => JSON.stringify(a)).join(", ")}]`,
      "",
    ].join("\n"),
  )
  return cfg
}

/** The held server's silence note on disk (cache entries are keyed `tools:downstream-silence:held@<definition hash>`). */
function silenceNotes(env: Record<string, string>): number {
  const dir = join(env.XDG_CACHE_HOME!, "mcp-orchestrator", "entries")
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".entry") && readFileSync(join(dir, f), "utf8").includes('"key":"tools:downstream-silence:held@')).length
  } catch {
    return 0
  }
}

/** Starts the binary and times its first tools/list. */
async function start(cfg: string, env: Record<string, string>) {
  const c = await connectBinary(["serve", "--config", cfg], env)
  const t0 = performance.now()
  const names = (await c.client.listTools()).tools.map((t) => t.name)
  return { ...c, names, ms: performance.now() - t0 }
}

const held = (names: string[]) => names.filter((n) => n.startsWith("held__"))

describe("a server that never listed in the last run is not waited for at the next start", () => {
  test("waited for once; the next start answers at once, still starts it, and takes its tools when it lists", async () => {
    const env = sandboxEnv()
    const gate = join(env.HOME!, "gate-open")
    const cfg = writeConfig(env, [GATE_SERVER, "--gate", gate])

    // 1. no stored list: the first list waits listWait for it, in vain; the run's end notes it
    const first = await start(cfg, env)
    try {
      expect(first.ms).toBeGreaterThan(LIST_WAIT_MS * 0.75)
      expect(first.names).toContain("quick__echo")
      expect(held(first.names)).toEqual([])
    } finally {
      await first.close()
    }
    expect(silenceNotes(env)).toBe(1)

    // 2. noted: answered without waiting for it (listWait now far beyond the test's timeout: only
    // the note can make this list answer; the note is keyed by the server's definition, not listWait)
    writeConfig(env, [GATE_SERVER, "--gate", gate], NEVER_MS)
    const second = await start(cfg, env)
    try {
      expect(second.names).toContain("quick__echo")
      expect(held(second.names)).toEqual([])
      const status = (await second.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: { servers: { name: string; state: string; notWaitedFor?: string }[] } }
      const row = () => status.structuredContent!.servers.find((s) => s.name === "held")!
      expect(row().notWaitedFor).toContain("did not list its tools in the last run")
      for (let i = 0; i < 750 && !second.stderr().includes("not waited for: it did not list its tools in the last run"); i++) await Bun.sleep(20)
      const line = second.stderr().split("\n").find((l) => l.includes("not waited for: it did not list its tools in the last run"))
      expect(line).toContain('"server":"held"')

      // it is still started; when it lists, its tools are announced, listed and callable, and the note goes
      let announced = false
      second.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        announced = true
      })
      writeFileSync(gate, "")
      for (let i = 0; i < 500 && !announced; i++) await Bun.sleep(20)
      expect(announced).toBe(true)
      expect((await second.client.listTools()).tools.map((t) => t.name)).toContain("held__held_alpha")
      expect(await second.client.callTool({ name: "held__echo", arguments: { message: "late" } })).toMatchObject({ content: [{ type: "text", text: "late" }] })
      for (let i = 0; i < 500 && silenceNotes(env) > 0; i++) await Bun.sleep(20)
      expect(silenceNotes(env)).toBe(0)
      const after = (await second.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: { servers: { name: string; notWaitedFor?: string }[] } }
      expect(after.structuredContent!.servers.find((s) => s.name === "held")!.notWaitedFor).toBeUndefined()
    } finally {
      await second.close()
    }

    // 3. its tools are in the next start's first answer
    const third = await start(cfg, env)
    try {
      expect(third.names).toContain("held__held_alpha")
    } finally {
      await third.close()
    }
  }, 90_000)

  test("a changed definition of the server is waited for again", async () => {
    const env = sandboxEnv()
    const gate = join(env.HOME!, "gate-never")
    const cfg = writeConfig(env, [GATE_SERVER, "--gate", gate])
    const first = await start(cfg, env)
    await first.close()
    expect(silenceNotes(env)).toBe(1)

    // other args: another server as far as the stored lists and the note go
    writeConfig(env, [GATE_SERVER, "--gate", gate, "--list-log", join(env.HOME!, "lists.log")])
    const second = await start(cfg, env)
    try {
      expect(second.ms).toBeGreaterThan(LIST_WAIT_MS * 0.75)
      expect(held(second.names)).toEqual([])
      expect(second.stderr()).not.toContain("not waited for")
    } finally {
      await second.close()
    }
  }, 90_000)
})
