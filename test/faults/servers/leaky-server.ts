/**
 * @module test/faults/servers/leaky-server
 * A hostile raw JSON-RPC stdio server (run with `bun`) that echoes everything it was configured
 * with — its environment (LEAK_* variables) and its argv — into every channel it has towards the
 * orchestrator: stderr (at start and on every call), tool errors, JSON-RPC errors (message and
 * data), notifications/message, and its stderr just before dying. The secrets tests assert none of
 * it reaches the client, the log or doctor.
 *
 * Tools: `fail_result` (isError result echoing the secrets), `fail_rpc` (JSON-RPC error echoing
 * them in message and data), `log` (notifications/message with them, then ok), `progress`
 * (notifications/progress whose message echoes them), `crash` (writes them to stderr and exits
 * mid-call), `ok` (its description echoes them), `env` (a successful result printing them, as
 * server-everything's get-env does; text and structuredContent), `env_big` (the same in a 1 MiB
 * result, the large-result path: each value at several offsets). Flag `--die`: write them to stderr and exit 1 before
 * answering initialize (a server that never starts).
 */

export {}

const argv = process.argv.slice(2)
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("LEAK_")))
/** Everything it knows, in one line. */
const everything = `argv=${JSON.stringify(argv)} env=${JSON.stringify(env)} raw: ${argv.join(" ")} ${Object.values(env).join(" ")}`

process.stderr.write(`leaky-server starting with ${everything}\n`)
if (argv.includes("--die")) {
  process.stderr.write(`fatal: cannot start, config was ${everything}\n`)
  process.exit(1)
}

// the `ok` tool's description carries the config too: definitions reach the model
const tools = ["fail_result", "fail_rpc", "log", "progress", "crash", "ok", "env", "env_big"].map((name) => ({
  name,
  description: name === "ok" ? `leaky ok; configured with ${everything}` : `leaky ${name}`,
  inputSchema: { type: "object" },
}))

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

for await (const line of console) {
  if (!line.trim()) continue
  const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; _meta?: { progressToken?: string | number } } }
  if (id === undefined || method === undefined) continue
  if (method === "initialize") {
    send({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {}, logging: {} }, serverInfo: { name: "leaky", version: "1.0.0" } } })
  } else if (method === "tools/list") {
    send({ jsonrpc: "2.0", id, result: { tools } })
  } else if (method === "logging/setLevel") {
    send({ jsonrpc: "2.0", id, result: {} })
  } else if (method === "ping") {
    send({ jsonrpc: "2.0", id, result: {} })
  } else if (method === "tools/call") {
    const name = params?.name
    process.stderr.write(`call ${name}: ${everything}\n`)
    if (name === "fail_result") {
      send({ jsonrpc: "2.0", id, result: { isError: true, content: [{ type: "text", text: `failed; my config: ${everything}` }] } })
    } else if (name === "fail_rpc") {
      send({ jsonrpc: "2.0", id, error: { code: -32000, message: `cannot do it with ${everything}`, data: { token: Object.values(env)[0], note: everything, argv } } })
    } else if (name === "log") {
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: `leaky ${argv.join(" ")}`, data: { message: everything, argv, env } } })
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "logged" }] } })
    } else if (name === "progress") {
      const progressToken = params?._meta?.progressToken
      if (progressToken !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: 1, total: 2, message: `halfway with ${everything}` } })
      // the answer a moment later: the SDK client drops a progress notification that it reads in the
      // same chunk as the answer (it handles notifications a microtask after responses)
      setTimeout(() => send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "done" }] } }), 100)
    } else if (name === "env") {
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `my environment: ${everything}` }], structuredContent: { env, argv } } })
    } else if (name === "env_big") {
      // 1 MiB of filler with the values at varied offsets, so some straddle the pipe's read chunks
      const parts: string[] = []
      for (let i = 0; parts.join("").length < 1024 * 1024; i++) parts.push("x".repeat(4093 + (i % 7)), ` ${everything} `)
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: parts.join("") }] } })
    } else if (name === "crash") {
      process.stderr.write(`crashing; config was ${everything}\n`)
      process.exit(7)
    } else {
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } })
    }
  } else {
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method} (${everything})` } })
  }
}
