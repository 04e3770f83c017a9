/**
 * run_code's description signs the tools it can reach. The first tools/list (the one Cursor keeps
 * for the whole session) waits for the servers' lists (proxy.listWait): the description was read
 * before that wait, so a first answer that listed a slow server's tools said in run_code "No tools
 * are reachable right now". Both come from after the wait now.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const FAULT = join(import.meta.dir, "..", "fixtures", "servers", "fault-server.ts")
let c: Connected | undefined

beforeAll(async () => {
  await ensureBuilt()
})
afterAll(async () => {
  await c?.close()
})

test("the first tools/list after waiting for a slow server: run_code names its tools", async () => {
  const env = sandboxEnv()
  const config = writeConfig(env, { toolkit: { enabled: "off" }, proxy: { listWait: "20s" }, servers: { slow: { command: process.execPath, args: [FAULT, "--slow-boot", "1500"] } } })
  c = await connectBinary(["serve", "--config", config], env)
  const { tools } = await c.client.listTools()
  expect(tools.some((t) => t.name === "slow__echo")).toBe(true)
  const runCode = tools.find((t) => t.name === "run_code")!
  expect(runCode.description).not.toContain("No tools are reachable right now")
  expect(runCode.description).toContain("slow__echo(")
}, 60_000)
