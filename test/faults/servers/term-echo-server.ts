/**
 * @module test/faults/servers/term-echo-server
 * A downstream that says its secret as it is stopped (raw JSON-RPC over stdio, run with `bun`): it
 * ignores stdin EOF, and on SIGTERM writes `got SIGTERM; connecting with <its API_KEY>` to stderr and exits.
 * A server logging its configuration while it shuts down. Tool `ping` answers "pong".
 */
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

process.on("SIGTERM", () => {
  process.stderr.write(`got SIGTERM; connecting with ${process.env.API_KEY ?? ""}\n`, () => process.exit(0))
})

serveRawStdio({
  name: "term-echo",
  tools: [{ name: "ping", description: "Answers pong", inputSchema: { type: "object" } }],
  call: () => ({ content: [{ type: "text", text: "pong" }] }),
  staysOnEof: true,
})
