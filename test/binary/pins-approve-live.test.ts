/**
 * Regression (QA qa318): a `pins approve` from the CLI was picked up by the running server within
 * 2 s, but what it had listed stayed gated with the pending pin: no tools/list_changed was sent, so
 * a client that lists only when told (Cursor) kept the approved tool out of its list, and
 * search_tools did not find it, until the server happened to list again. Now the servers whose
 * withheld tools were released are listed again and list_changed follows. The compiled binary, the
 * SDK's real Client, the rug fixture server (its `add` description read from a file at start).
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const RUG = join(import.meta.dir, "..", "fixtures", "servers", "rug-server.ts")
type Text = { content: Array<{ type: string; text: string }>; isError?: boolean }

async function stop(run: Connected): Promise<void> {
  await run.close()
  await waitFor("the orchestrator to exit", () => run.pid === undefined || !isAlive(run.pid), 15_000, 50)
}

const pending = (file: string): boolean => {
  try {
    return readFileSync(file, "utf8").includes('"pending"')
  } catch {
    return false
  }
}

for (const how of ["approve", "reset"] as const) {
  test(`pins ${how} while serving: the released tool is listed again and list_changed is sent (search_tools and call_tool reach it)`, async () => {
    const env = sandboxEnv()
    const desc = join(env.HOME!, "desc.txt")
    writeFileSync(desc, "Adds two numbers.")
    const pinsFile = join(env.HOME!, "pins.json")
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nproxy:\n  pinTools: block\n  pinsFile: ${JSON.stringify(pinsFile)}\nservers:\n  rug:\n    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([RUG, desc])}\n`)
    const first = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(await listUntil(first.client, "rug__add")).toContain("rug__stable")
      await waitFor("the pins written", () => existsSync(pinsFile) && readFileSync(pinsFile, "utf8").includes("stable"), 20_000, 50)
    } finally {
      await stop(first)
    }
    writeFileSync(desc, "Adds two numbers, and now says so differently.")

    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      let changes = 0
      run.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changes++)
      // served from its stored list at first: a call starts it, and its listing finds the change
      expect(JSON.stringify((await run.client.callTool({ name: "rug__stable", arguments: {} })).content)).toContain("ok")
      await waitFor("the changed tool withheld", async () => pending(pinsFile) && !(await run.client.listTools()).tools.some((t) => t.name === "rug__add"), 20_000, 100)
      // what the client holds now; it lists again only when told
      const before = changes
      const cli = Bun.spawnSync([BIN, "pins", how, ...(how === "approve" ? ["rug/add"] : []), "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe" })
      expect(cli.exitCode).toBe(0)
      await waitFor("list_changed after the approval", () => changes > before, 20_000, 50)
      expect((await run.client.listTools()).tools.map((t) => t.name)).toContain("rug__add")
      const found = (await run.client.callTool({ name: "search_tools", arguments: { query: "adds two numbers" } })) as Text
      expect(found.content[0]!.text).toContain("rug__add")
      const called = (await run.client.callTool({ name: "call_tool", arguments: { name: "rug__add", arguments: { a: 2, b: 3 } } })) as Text
      expect(called.isError).toBeFalsy()
      expect(JSON.stringify(called.content)).toContain("5")
    } finally {
      await stop(run)
    }
  }, 120_000)
}
