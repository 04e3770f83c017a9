/**
 * Regression (QA qa19, first hour): a stdio server whose command is found but whose `#!` interpreter
 * is not on its PATH (`npx` is `#!/usr/bin/env node`; an editor started from the desktop may lack
 * node on its PATH) was caught by `doctor` only; at serve time the call said "cannot write to
 * downstream: EPIPE". The start failure now names the missing interpreter with doctor's remedy.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

test("a call to a server whose `#!/usr/bin/env node` has no node on PATH names node, its PATH and the remedy", async () => {
  const dir = tempDir("mcpo-no-node-")
  const bin = join(dir, "bin")
  mkdirSync(bin)
  // an npm-installed server's launcher, as npx is: run by node through env
  writeFileSync(join(bin, "mcp-server-notes"), "#!/usr/bin/env node\nrequire('@modelcontextprotocol/server-memory')\n", { mode: 0o755 })
  const cfg = join(dir, "config.yaml")
  writeFileSync(cfg, `toolkit: { enabled: off }\nservers:\n  notes:\n    command: mcp-server-notes\n    env: { PATH: "${bin}" }\n`)
  const c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
  try {
    const r = (await c.client.callTool({ name: "call_tool", arguments: { name: "notes__read_graph", arguments: {} } })) as { content: Array<{ text: string }>; isError?: boolean }
    expect(r.isError).toBe(true)
    const text = r.content[0]!.text
    expect(text).toContain(`server notes failed to start: mcp-server-notes (servers.notes.command) is a script run by "node" (#!/usr/bin/env node), and no program named "node" is on its PATH (${bin})`)
    expect(text).toContain("Install node, or set PATH in servers.notes.env to include the directory that holds it")
  } finally {
    await c.close()
  }
}, 60_000)
