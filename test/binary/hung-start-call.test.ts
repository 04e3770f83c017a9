/**
 * A call of a tool known from the list stored in an earlier run, whose server now hangs at its start
 * (its connectTimeout longer than the call's budget). The call is answered within its budget, counted
 * from its arrival: before, the check of the live listing after the failure waited `proxy.listWait`
 * more, so the answer came after a client's own timeout (Cursor's 60 s) and the user saw a bare client
 * timeout. Once a start has hung past its connectTimeout, the next calls fail at once saying the server
 * hangs at start and when it is tried next, instead of each waiting a whole new start that hangs too;
 * the restarts go on in the background, and a server that answers again is used again.
 * The compiled binary with the SDK Client; no timed assertions: the client's own request timeout
 * (far from ours) is the oracle of "answered before the client gives up", and the order of answers.
 */
import { beforeAll, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, resultText, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")
const TASKS = join(ROOT, "test", "fixtures", "servers", "task-server.ts")

test("a stored tool of a server hanging at start: answered within its budget, then at once naming the hang, and used again once it answers", async () => {
  const env = sandboxEnv()
  const gate = join(env.HOME!, "gate")
  writeFileSync(gate, "")
  const config = (listWait: string): unknown => ({
    toolkit: { enabled: "off" },
    // listWait longer than the call's budget: a wait for the listing past the budget shows
    pool: { callTimeout: "3s", restartDelay: "300ms", breakerFailures: 50 },
    proxy: { listWait },
    servers: { x: { command: process.execPath, args: [FAULT, "--boot-gate", gate], connectTimeout: "5s" } },
  })
  const cfg = writeConfig(env, config("10s"))
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await first.client.listTools()).tools.map((t) => t.name)).toContain("x__echo")
  } finally {
    await first.close()
  }
  // the server now hangs at its start (it reads nothing until the gate file is back)
  rmSync(gate)
  const c = await connectBinary(["serve", "--config", cfg], env)
  // the client gives up 8 s after our 3 s budget (Cursor: 60 s for a 60 s default budget)
  const call = (): Promise<string> =>
    c.client.callTool({ name: "x__echo", arguments: { message: "hi" } }, undefined, { timeout: 11_000 }).then(resultText, (e: unknown) => `client: ${String(e)}`)
  try {
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("x__echo")
    const one = await call()
    // ours, not the client's timeout: within the call's budget, nothing sent
    expect(one).not.toContain("client:")
    expect(one).toContain("server x")
    expect(one).toContain("it was not sent")
    // what to do is about the start, not the tool's timeout
    expect(one).toContain("waiting for the server to start")
    expect(one).toContain("did not get ready within this call's budget")

    // the first start fails at its connectTimeout; from then on calls fail at once naming the hang
    let hung = ""
    const seen: string[] = []
    for (let i = 0; i < 20 && !hung.includes("hung at its last start"); i++) {
      hung = await call()
      seen.push(hung.slice(0, 80))
      if (!hung.includes("hung at its last start")) await Bun.sleep(200)
    }
    expect(hung, seen.join("\n")).toContain("[SERVER_UNAVAILABLE] server x hung at its last start: it did not answer initialize within servers.x.connectTimeout (5 s)")
    expect(hung).toMatch(/restarted in the background with backoff \((a start is under way now, for [\d.]+ s so far, up to 5 s|next attempt in [\d.]+ s)\)/)
    expect(hung).toContain("this tools/call was not sent")
    expect(hung).toContain("raise servers.x.connectTimeout")
    // and the next ones too, while its restarts keep hanging (never a wait of a whole start)
    const again = await call()
    expect(again).toContain("hung at its last start")

    // the server answers again: a background restart brings it up, and calls go through
    writeFileSync(gate, "")
    let ok = ""
    for (let i = 0; i < 100 && ok !== "hi"; i++) {
      ok = await call()
      if (ok !== "hi") await Bun.sleep(200)
    }
    expect(ok).toBe("hi")
  } finally {
    await c.close()
  }
}, 120_000)

test("a stored tool that must be called as a task, its server hanging at start: the wait for its capabilities is the call's, then fast failures", async () => {
  const env = sandboxEnv()
  const gate = join(env.HOME!, "gate")
  writeFileSync(gate, "")
  // the task server reads nothing until the gate file exists: a start that hangs while it is gone
  const run = `while [ ! -f '${gate}' ]; do sleep 0.05; done; exec '${process.execPath}' '${TASKS}'`
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    pool: { callTimeout: "3s", restartDelay: "300ms", breakerFailures: 50 },
    proxy: { listWait: "10s" },
    servers: { t: { command: "/bin/sh", args: ["-c", run], connectTimeout: "5s" } },
  })
  const first = await connectBinary(["serve", "--config", cfg], env)
  try {
    expect((await first.client.listTools()).tools.map((t) => t.name)).toContain("t__fail-task")
  } finally {
    await first.close()
  }
  rmSync(gate)
  const c = await connectBinary(["serve", "--config", cfg], env)
  const call = (): Promise<string> =>
    c.client.callTool({ name: "t__fail-task", arguments: {} }, undefined, { timeout: 11_000 }).then(resultText, (e: unknown) => `client: ${String(e)}`)
  try {
    expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("t__fail-task")
    const one = await call()
    expect(one).not.toContain("client:")
    expect(one).toContain("server t")
    expect(one).toContain("it was not sent")
    let hung = ""
    for (let i = 0; i < 20 && !hung.includes("hung at its last start"); i++) {
      hung = await call()
      if (!hung.includes("hung at its last start")) await Bun.sleep(200)
    }
    expect(hung).toContain("[SERVER_UNAVAILABLE] server t hung at its last start")
    expect(hung).toContain("this tools/call was not sent")
  } finally {
    await c.close()
  }
}, 120_000)
