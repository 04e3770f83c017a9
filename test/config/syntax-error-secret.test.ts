/**
 * Regression (qa36): a JSON config with a syntax error quoted the offending token, and the commonest
 * such error is a value written without its quotes — a password (`"DB_PASSWORD": hunter2x`) or a
 * key. A file that does not parse registers none of its secrets, so nothing masked it: it reached
 * stderr (the client's MCP log), `doctor`, and, when the file was edited while serving, the
 * rejected reload's errors in `orchestrator_status` — the model. Now a token under a secret-named
 * key, one that looks like a credential, or a registered value is described, not quoted; any other
 * (`"mode": fast`) is still quoted. Through the compiled binary.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const BARE = "hunter2CanaryQA36"
const SHAPED = "QA36shaped9x8Y7z6W5v4U3"

function run(args: string[], env: Record<string, string>): string {
  const p = Bun.spawnSync([BIN, ...args], { env, cwd: env.HOME, stdin: "ignore" })
  return p.stdout.toString() + p.stderr.toString()
}

test("a syntax error names a secret's key and never quotes its value; other tokens stay quoted", () => {
  const env = sandboxEnv()
  const named = join(env.HOME!, "named.json")
  writeFileSync(named, `{\n "servers": {\n  "db": { "command": "node", "env": { "DB_PASSWORD": ${BARE} } }\n }\n}\n`)
  const shaped = join(env.HOME!, "shaped.json")
  writeFileSync(shaped, `{ "servers": { "a": { "command": "node", "args": ["--x", ${SHAPED}] } } }\n`)
  const colon = join(env.HOME!, "colon.json")
  writeFileSync(colon, `{ "servers": { "a": { "command": "node", "env": { "API_KEY" "${BARE}" } } } }\n`)
  const plain = join(env.HOME!, "plain.json")
  writeFileSync(plain, `{ "servers": { "a": { "command": "node", "env": { "MODE": fast } } } }\n`)

  for (const args of [["serve", "--config", named], ["doctor", "--no-start", "--config", named], ["doctor", "--json", "--no-start", "--config", named]]) {
    const out = run(args, env)
    expect(out).not.toContain(BARE)
    expect(out).toContain('named.json:3:')
    expect(out).toMatch(/not shown: \\?"DB_PASSWORD\\?" names a secret/)
  }
  const s = run(["serve", "--config", shaped], env)
  expect(s).not.toContain(SHAPED)
  expect(s).toContain("a value is not in double quotes (not shown: it looks like a credential)")
  const c = run(["serve", "--config", colon], env)
  expect(c).not.toContain(BARE)
  expect(c).toContain('expected ":" after the key, found a value (not shown: "API_KEY" names a secret)')
  // an ordinary word is still quoted: the message says what to fix
  expect(run(["serve", "--config", plain], env)).toContain("unexpected `fast` (strings and keys need double quotes)")
}, 30_000)

test("an edit that breaks the config while serving: the rejected reload (the file watch) in orchestrator_status does not quote the secret", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: {} }))
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    // the file watch is up once the status names the file it watches
    const status0 = async () => JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    for (let i = 0; i < 200 && !(await status0()).includes('"watching":"'); i++) await Bun.sleep(50)
    writeFileSync(cfg, `{\n "toolkit": { "enabled": "off" },\n "servers": { "db": { "command": "node", "env": { "DB_PASSWORD": ${BARE} } } }\n}\n`)
    let status = ""
    for (let i = 0; i < 200 && !status.includes('"rejected"'); i++) {
      const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
      status = JSON.stringify(r)
      if (!status.includes('"rejected"')) await Bun.sleep(50)
    }
    expect(status).toContain('"rejected"')
    expect(status).toContain("names a secret")
    expect(status).not.toContain(BARE)
    expect(c.stderr()).not.toContain(BARE)
  } finally {
    await c.close()
  }
}, 30_000)
