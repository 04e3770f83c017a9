/**
 * Regression (QA qa305): two windows (two orchestrators on one cache, each started in its own
 * project) whose copies of a server list differently — a stdio server without a `cwd` of its own
 * runs in the project's directory — stored their lists under one key: each listing replaced the
 * other window's list (a flip-flop of writes and superseded first answers), and a start answering
 * from the stored lists served the other project's tools first (the answer Cursor keeps). The
 * stored list's key now holds the working directory for such a server, as the persisted first
 * answer's does. The compiled binary, the SDK's real Client, test/fixtures/servers/cwd-server.ts.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const CWD_SERVER = join(import.meta.dir, "..", "fixtures", "servers", "cwd-server.ts")

async function stop(run: Connected): Promise<void> {
  await run.close()
  await waitFor("the orchestrator to exit", () => run.pid === undefined || !isAlive(run.pid), 15_000, 50)
}

test("two windows in two projects keep their own stored list of a server that runs in the project", async () => {
  const shared = sandboxEnv()
  const window = (name: string): Record<string, string> => {
    const home = join(shared.HOME!, name)
    mkdirSync(home, { recursive: true })
    // the same config and cache; each window started in its own project (connectBinary: cwd HOME)
    return { ...shared, HOME: home }
  }
  const alpha = window("alpha")
  const beta = window("beta")
  const cfg = join(shared.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  proj:\n    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([CWD_SERVER])}\n`)
  const cacheDir = join(shared.XDG_CACHE_HOME!, "mcp-orchestrator")
  const listedIn = async (env: Record<string, string>, tool: string): Promise<void> => {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      // beta's start served alpha's stored list, and its server (lazy) was never asked: alpha's tools for good
      expect(await listUntil(run.client, tool)).toContain(tool)
    } finally {
      await stop(run)
    }
  }
  await listedIn(alpha, "proj__in_alpha")
  await listedIn(beta, "proj__in_beta")

  // the persisted first answers gone (a version update, `cache clear` of them): the next starts answer from the stored lists
  for (const f of readdirSync(cacheDir)) if (f.endsWith(".snapshot.json") || f.startsWith("early-")) rmSync(join(cacheDir, f))
  for (const [env, own, other] of [[alpha, "proj__in_alpha", "proj__in_beta"], [beta, "proj__in_beta", "proj__in_alpha"]] as const) {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      const first = (await run.client.listTools()).tools.map((t) => t.name)
      expect(first).toContain(own)
      expect(first).not.toContain(other)
    } finally {
      await stop(run)
    }
  }
}, 120_000)
