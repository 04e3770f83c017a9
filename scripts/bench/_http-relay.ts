/**
 * Bench reference, not a product path: the floor of an HTTP face on Bun. A Streamable HTTP endpoint
 * that writes each POSTed JSON-RPC message to one child's stdin as a line and answers a request
 * with the child's line that carries its id, as plain JSON. It parses nothing but that id (the last
 * `"id":` of a line: right for the SDK clients and servers the bench runs, which write it last and
 * send no other `"id":`), keeps no session state, drops the child's notifications and serves no GET
 * stream: one extra process hop plus Bun's HTTP server, and nothing else.
 * Usage: bun scripts/bench/_http-relay.ts <command> [args…]; prints its /mcp URL on stdout.
 */
const [command, ...args] = process.argv.slice(2)
if (!command) throw new Error("usage: _http-relay.ts <command> [args…]")
const child = Bun.spawn([command, ...args], { stdin: "pipe", stdout: "pipe", stderr: "inherit" })
const waiting = new Map<string, (line: string) => void>()
const ID = /^\s*("(?:[^"\\]|\\.)*"|-?\d+)/

/** The id token of a message (`"abc"` or `12`), or undefined for a notification. */
function idOf(text: string): string | undefined {
  const at = text.lastIndexOf('"id":')
  return at < 0 ? undefined : ID.exec(text.slice(at + 5))?.[1]
}

void (async () => {
  const decoder = new TextDecoder()
  let buf = ""
  for await (const chunk of child.stdout) {
    buf += decoder.decode(chunk, { stream: true })
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl)
      buf = buf.slice(nl + 1)
      const id = idOf(line)
      const answer = id === undefined ? undefined : waiting.get(id)
      if (answer) {
        waiting.delete(id!)
        answer(line)
      }
    }
  }
})()

const HEADERS = { "content-type": "application/json", "mcp-session-id": "relay" }
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    if (req.method === "DELETE") return new Response(null, { status: 200 })
    if (req.method !== "POST") return new Response(null, { status: 405 })
    const body = await req.text()
    const id = idOf(body)
    const answered = id === undefined ? undefined : new Promise<string>((r) => waiting.set(id, r))
    child.stdin.write(body + "\n")
    child.stdin.flush()
    return answered ? new Response(await answered, { headers: HEADERS }) : new Response(null, { status: 202 })
  },
})
console.log(`http://127.0.0.1:${server.port}/mcp`)
process.on("SIGTERM", () => {
  child.kill()
  process.exit(0)
})
