/**
 * A warm start whose first tools/list comes from the last run's snapshot (the early face's, or the
 * face's while the services start) while the server now has a tool more: the connection's first
 * list is the snapshot the client was sent, so orchestrator_status names the new tool under
 * `notInYourList` (Cursor keeps that first list for the whole session) and a call starts the
 * server, whose live list then has it. The compiled binary, the SDK's real Client over stdio, list-gate-server
 * with `--extra-if`: the snapshot and the live list differ by construction, nothing is timed.
 * And the other way round: a tool the snapshot lists that the server no longer has. Its first call
 * (which starts the server) used to get the server's own answer to a name it does not know (here
 * -32601 "no tools/call"); it now gets, as every later call did, the unknown-tool error saying the
 * server no longer lists it and what it lists now.
 */
import { beforeAll, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

type Row = { name: string; notInYourList?: { total: number; names: string[] } }
type Status = { servers: Row[]; notInYourList?: { tools: number } }

beforeAll(ensureBuilt, 120_000)

test("warm start: a tool the server has since the snapshot is named as not in the client's list", async () => {
  const env = sandboxEnv()
  const extra = join(env.HOME!, "extra")
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, proxy: { listWait: "10s" }, servers: { held: { command: process.execPath, args: [GATE_SERVER, "--extra-if", extra] } } })

  // the first run stores its complete answer (no held_extra) for the next start
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect(await listUntil(first.client, "held__echo")).not.toContain("held__held_extra")
  } finally {
    await first.close()
  }

  // the server has a tool more now (its command line, so the config, unchanged)
  writeFileSync(extra, "")
  const warm = await connectBinary(["serve", "--config", cfg], env)
  try {
    const listed = (await warm.client.listTools()).tools.map((t) => t.name)
    // the snapshot's answer: the client's list lacks the new tool for its whole session
    expect(listed).toContain("held__echo")
    expect(listed).not.toContain("held__held_extra")
    // a call starts the server (its stored list answered until then): its live list has the tool more
    expect(((await warm.client.callTool({ name: "held__echo", arguments: { message: "hi" } })) as { isError?: boolean }).isError).toBeFalsy()
    const st = await waitFor("held__held_extra to be named as not in the client's list", async () => {
      const s = (await warm.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as Status
      return s.servers.find((r) => r.name === "held")?.notInYourList ? s : undefined
    })
    expect(st.servers.find((r) => r.name === "held")!.notInYourList).toEqual({ total: 1, names: ["held__held_extra"] })
    expect(st.notInYourList!.tools).toBe(1)
  } finally {
    await warm.close()
  }
}, 90_000)

test("warm start: the first call of a tool the snapshot lists and the server no longer has says so", async () => {
  const env = sandboxEnv()
  const extra = join(env.HOME!, "extra")
  writeFileSync(extra, "")
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, proxy: { listWait: "10s" }, servers: { held: { command: process.execPath, args: [GATE_SERVER, "--extra-if", extra] } } })
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect(await listUntil(first.client, "held__held_extra")).toContain("held__held_extra")
  } finally {
    await first.close()
  }

  rmSync(extra)
  const warm = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await warm.client.listTools()).tools.map((t) => t.name)).toContain("held__held_extra")
    // the first call starts the server: its live list lacks the tool
    const err = await warm.client.callTool({ name: "held__held_extra", arguments: {} }).then(
      (r) => JSON.stringify(r),
      (e: Error) => e.message,
    )
    expect(err).toContain("-32602")
    expect(err).toContain("Unknown tool: held__held_extra")
    expect(err).toContain("server held no longer lists held_extra")
    expect(err).toContain("held__echo")
  } finally {
    await warm.close()
  }
}, 90_000)
