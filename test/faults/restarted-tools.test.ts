/**
 * A call made right after a server crashed, of a tool its restarted process no longer lists (the
 * client still holds the old list): it fails saying the server restarted and what it lists now,
 * nothing sent to the new process. Before: the call went there and got its raw -32602 "Unknown tool:
 * report", or, from a server that ignores names it does not know, hung until the call's timeout.
 * The compiled binary with the SDK's Client; a raw stdio fixture (servers/shrinking-server.ts).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { answerText, connectBinary, ensureBuilt, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "shrinking-server.ts")

for (const mode of ["error", "hang"] as const) {
  test(`restarted without the tool (${mode === "error" ? "it answers -32602" : "it never answers unknown names"}): the call says so, with its tools now, and is not sent`, async () => {
    const env = sandboxEnv()
    const marker = join(env.HOME!, "restarted")
    const cfg = writeConfig(env, {
      toolkit: { enabled: "off" },
      pool: { restartDelay: "100ms" },
      servers: { x: { command: process.execPath, args: [SERVER, marker, mode], timeout: 8000 } },
    })
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("x__report")
      // it crashes in this call; the next one comes while it restarts
      expect(await answerText(c.client.callTool({ name: "x__crash", arguments: {} }))).toContain("exited with code 1")
      const direct = await answerText(c.client.callTool({ name: "x__report", arguments: {} }))
      expect(direct).toContain("Unknown tool: x__report (server x was restarted (its process ended and a new one was started, which lists other tools) and no longer lists report; its tools now: x__echo")
      // through call_tool too, and the restarted server still serves what it lists
      const surfaced = await answerText(c.client.callTool({ name: "call_tool", arguments: { name: "x__report", arguments: {} } }))
      expect(surfaced).toContain("no longer lists report")
      expect(await answerText(c.client.callTool({ name: "x__echo", arguments: {} }))).toContain("echo: ok")
      // report never reached the restarted process
      expect(existsSync(marker)).toBe(true)
      expect(readFileSync(`${marker}.calls`, "utf8").split("\n").filter(Boolean)).toEqual(["crash", "echo"])
    } finally {
      await c.close()
    }
  }, 60_000)
}
