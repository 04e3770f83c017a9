/**
 * @module test/faults/secrets-shell-args
 * A key written into a command line that an argument carries — a shell's `-c` script
 * (`sh -c "exec bun server.ts --api-key X"`, the common way to set something up before a server
 * starts) — or attached to a flag whose separate value would be read (`--header=X-Api-Key: X`) is
 * a configured secret: the server that prints its argv (env-echo's `whoami`) does not hand it to the
 * model, the log does not show it. Before qa359 the script was judged as one argument (no flag, no
 * credential look) and the attached header value was not read as a header: both keys came back in
 * the tool result. Compiled binary, real SDK Client, a real `sh`.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const ECHO = join(import.meta.dir, "..", "fixtures", "servers", "env-echo-server.ts")
const tag = crypto.randomUUID().replace(/-/g, "").slice(0, 8)
const SCRIPT_KEY = `Sk${tag}Jh`
const HEADER_KEY = `Hd${tag}Vm`

test("a key inside a -c script or attached to --header= reaches neither the model nor the log", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    servers: {
      scripted: { command: "sh", args: ["-c", `mkdir -p data1 && exec '${process.execPath}' '${ECHO}' --api-key ${SCRIPT_KEY} --dir data1`] },
      attached: { command: process.execPath, args: [ECHO, `--header=X-Api-Key: ${HEADER_KEY}`] },
    },
  })
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const scripted = await c.client.callTool({ name: "scripted__whoami", arguments: {} })
    // the child got it (its argv, masked in what comes back); `data1` after mkdir -p is no password
    expect(JSON.parse((scripted.content as { text: string }[])[0]!.text).argv).toEqual(["--api-key", "[REDACTED]", "--dir", "data1"])
    const attached = await c.client.callTool({ name: "attached__whoami", arguments: {} })
    expect(JSON.parse((attached.content as { text: string }[])[0]!.text).argv).toEqual(["--header=X-Api-Key: [REDACTED]"])
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    for (const v of [SCRIPT_KEY, HEADER_KEY]) expect(JSON.stringify([scripted, attached]) + status).not.toContain(v)
  } finally {
    await c.close()
  }
  for (const v of [SCRIPT_KEY, HEADER_KEY]) expect(c.stderr()).not.toContain(v)
}, 60_000)
