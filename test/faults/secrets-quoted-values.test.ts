/**
 * @module test/faults/secrets-quoted-values
 * A value configured inside its own quotes (`API_KEY: "'<key>'"`, copied from a shell's
 * `export API_KEY='<key>'`): the child gets the quotes, and what it prints of the key (an API's
 * "invalid key <key>", a parser that strips them) need not hold them. The value inside the quotes is
 * masked as the value is. Before qa359 only the quoted spelling was registered, and a server that
 * failed naming the bare key showed it in the error the client got, in `orchestrator_status`'s
 * `lastError` and in the log. Compiled binary, a real `sh` as the failing server.
 */
import { expect, test } from "bun:test"
import { connectBinary, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const KEY = `Qk${crypto.randomUUID().replace(/-/g, "").slice(0, 14)}Zx`
// prints the key without its quotes on stderr, as a client library refusing it would, and exits
// (no `${…}` in it: the config resolves those in args)
const SCRIPT = `k=$(printf %s "$API_KEY" | tr -d "'"); echo "error: invalid API key $k (401 from api.example)" >&2; exit 1`

test("a key configured in quotes is masked where a failing server names it bare", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, servers: { quoted: { command: "sh", args: ["-c", SCRIPT], env: { API_KEY: `'${KEY}'` } } } })
  const c = await connectBinary(["serve", "--config", cfg], env)
  let seen = ""
  try {
    const r = await c.client.callTool({ name: "call_tool", arguments: { name: "quoted__anything", arguments: {} } }).catch((e: unknown) => String(e))
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    seen = JSON.stringify(r) + status
    // the server's words did reach the client, its key masked
    expect(seen).toContain("invalid API key [REDACTED]")
  } finally {
    await c.close()
  }
  expect(seen).not.toContain(KEY)
  expect(c.stderr()).not.toContain(KEY)
}, 60_000)
