/**
 * A tools/list answer over proxy.maxMessageBytes (one server listing thousands of tools) was replaced
 * by a JSON-RPC error: the client's first list, the one Cursor keeps, held no tool at all, not even
 * orchestrator_status or the other servers'. Now the tools of the server taking the most room are
 * left out until the answer fits; the rest are listed, the ones left out are named under
 * notInYourList and callable by name. The compiled binary, the SDK's real Client over stdio,
 * list-gate-server (`--many`) and the smallest limit the config takes; nothing is timed.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const LIMIT = 64 * 1024

type Row = { name: string; notInYourList?: { total: number; names: string[] } }

beforeAll(ensureBuilt, 120_000)

test("a first tools/list over proxy.maxMessageBytes leaves out the big server's tools, not every tool", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    proxy: { listWait: "10s", maxMessageBytes: LIMIT },
    servers: { big: { command: process.execPath, args: [GATE_SERVER, "--many", "1000"] }, small: { command: process.execPath, args: [GATE_SERVER] } },
  })
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    // ours and the small server's all listed; the big server's in part
    for (const n of ["orchestrator_status", "call_tool", "small__echo", "small__held_alpha"]) expect(names).toContain(n)
    const big = names.filter((n) => n.startsWith("big__")).length
    expect(big).toBeGreaterThan(0)
    expect(big).toBeLessThan(1005)
    await waitFor("the warning naming the limit", () => c.stderr().includes("tools/list answer over proxy.maxMessageBytes"))

    // what the answer left out is named to this connection, and answers by name
    const st = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[]; notInYourList?: { tools: number } }
    const row = st.servers.find((s) => s.name === "big")!
    expect(row.notInYourList!.total).toBe(1005 - big)
    expect(st.servers.find((s) => s.name === "small")!.notInYourList).toBeUndefined()
    const left = row.notInYourList!.names[0]!
    expect(names).not.toContain(left)
    const called = (await c.client.callTool({ name: "call_tool", arguments: { name: "big__echo", arguments: { message: "still here" } } })) as { content: { text: string }[] }
    expect(called.content[0]!.text).toBe("still here")

    // a reload adding another server rebuilds the answer (more of big's tools left out): the
    // warning is not said again for the same cut server (the status has the numbers)
    writeConfig(env, {
      toolkit: { enabled: "off" },
      proxy: { listWait: "10s", maxMessageBytes: LIMIT },
      servers: { big: { command: process.execPath, args: [GATE_SERVER, "--many", "1000"] }, small: { command: process.execPath, args: [GATE_SERVER] }, other: { command: process.execPath, args: [GATE_SERVER] } },
    })
    await waitFor("other's tools named to this connection", async () => {
      const s = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: Row[] }
      return (s.servers.find((r) => r.name === "other")?.notInYourList?.total ?? 0) > 0
    })
    // a client that lists again (not Cursor) gets the rebuilt answer, still without the big server's whole list
    const again = (await c.client.listTools()).tools.map((t) => t.name)
    expect(again).toContain("other__echo")
    expect(again.filter((n) => n.startsWith("big__")).length).toBeLessThan(big)
    expect(c.stderr().split("\n").filter((l) => l.includes("tools/list answer over proxy.maxMessageBytes")).length).toBe(1)
  } finally {
    await c.close()
  }
}, 90_000)
