/**
 * A secret stored after the first-answer snapshot was written (an OAuth login or refresh since the
 * last run: no file the early index stamps) must not reach the client through that snapshot: the
 * first tools/list of the next start (the early face's, or the real face's from the file cache)
 * holds none of the secrets this start knows. Before, a tool description the last run stored while
 * the value was no secret yet was served again as it was, by the early face and, once that stood
 * down, by the real face (the stored tokens were read only when the server was connected).
 * (A value put in an envFile since was kept out already: the index stamps the envFile, and the real
 * face did not serve it either; checked by hand, no test here.)
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const NAMED = join(import.meta.dir, "..", "fixtures", "servers", "named-tools-server.ts")
// no token shape (no digit): a plain argument, until the envFile names it a secret
const TOKEN = "orchard-plum-quince-pear-lime"

/** The text of the first tools/list of a start (a warm one: from the snapshot), and whether the early face gave it. */
async function firstList(env: Record<string, string>, config: string): Promise<{ text: string; early: boolean }> {
  const c = await connectBinary(["serve", "--config", config], env)
  try {
    const text = JSON.stringify(await c.client.listTools())
    await waitFor("ready", () => c.stderr().includes('"msg":"ready"'))
    return { text, early: c.stderr().includes('"earlyList":true') }
  } finally {
    await c.close()
  }
}

test("a token an OAuth login stored after the snapshot was written is not served from it", async () => {
  const env = sandboxEnv()
  const dir = env.HOME!
  const config = join(dir, "config.yaml")
  const url = "http://127.0.0.1:9/mcp"
  writeFileSync(
    config,
    `servers:\n  a: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(NAMED)}, "--tools", "t", "--label", "${TOKEN}"] }\n  r: { url: "${url}" }\ntoolkit: { enabled: "off" }\nplugins: { enabled: false }\n`,
  )
  let warm = false
  for (let i = 0; i < 6 && !warm; i++) {
    const r = await firstList(env, config)
    expect(r.text).toContain(TOKEN)
    warm = r.early
  }
  expect(warm).toBe(true)
  // `auth login r` since: the stored access token is that text
  const oauth = join(dir, ".local", "state", "mcp-orchestrator", "oauth")
  mkdirSync(oauth, { recursive: true, mode: 0o700 })
  writeFileSync(join(oauth, "r.json"), JSON.stringify({ v: 1, server: "r", url, tokens: { access_token: TOKEN, token_type: "Bearer" }, savedAt: new Date().toISOString() }), { mode: 0o600 })
  const after = await firstList(env, config)
  expect(after.text).not.toContain(TOKEN)
}, 90_000)
