/**
 * @module test/faults/servers/canary-server
 * A hostile raw JSON-RPC stdio server (run with `bun`) that prints secrets nobody configured — in the
 * forms text names them: `NAME=value`, `name: value`, `"api_key": "value"`, `Authorization: value`,
 * a URL's password, `--token value` — and the one it was configured with (`CANARY_API_KEY`, also
 * base64-encoded and split by an ANSI escape; and `CANARY_PEM`, a key written with `\\n` escapes, with
 * its line breaks and one line alone), into every channel towards the orchestrator.
 * The unconfigured values come in `CANARY_SEEDS` (comma-separated, the test's random canaries), and
 * `CANARY_SHAPED` (provider tokens known by their shape, printed under no name, by `serve`).
 *
 * `argv[2]`:
 * - `refuse-start`: says it lacks CANARY_MISSING_TOKEN, prints the unconfigured ones on stderr, exits 1;
 *   `refuse-start-mine`: the same with the configured one's forms (a failed start quotes five lines).
 * - `serve`: prints them on stderr at start, then serves tools `refuse` (a -32602 refusal of the
 *   arguments quoting them: the argument hint path), `fail` (an isError result), `rpc` (a JSON-RPC
 *   error, message and data, the data also keyed by each line), `progress` (a progress message),
 *   `log` (notifications/message: text, and an object keyed by each line),
 *   `crash` (stderr, then exit mid-call), `ok` (a successful result: the generic forms must stay
 *   byte-exact there, the configured value not); with `CANARY_DESCRIBE` set, their descriptions
 *   quote the configured value.
 */
export {}

const [u1 = "", u2 = "", u3 = "", u4 = "", u5 = "", u6 = "", u7 = "", u8 = ""] = (process.env.CANARY_SEEDS ?? "").split(",")
const configured = process.env.CANARY_API_KEY ?? ""
const ESC = "\u001b"

/** The unconfigured values, each in a form that says it is a secret. */
const named = [
  `GITHUB_TOKEN=${u1}`,
  `password: ${u2}`,
  `{"api_key": "${u3}", "mode": "fast"}`,
  `Authorization: ${u4}`,
  `postgres://app:${u5}@db.example:5432/app`,
  `spawned with --token ${u6} --api-key=${u7}`,
  `Cookie: sid=${u8}; theme=dark`,
].join("\n")
/** Provider tokens of known shapes under no name (`CANARY_SHAPED`, comma-separated): a remote's error page quoting them. */
const shaped = (process.env.CANARY_SHAPED ?? "").split(",").filter(Boolean).map((t) => `upstream refused credential ${t} (401)`)
/** A configured multi-line key (`CANARY_PEM`, written with `\\n` escapes) as a server reading it prints it: with line breaks. */
const pem = (process.env.CANARY_PEM ?? "").replace(/\\n/g, "\n")
/** The configured value: as it is, base64 of it, base64 of `user:value` (Basic), cut by an ANSI escape; the key and one of its lines. */
const mine = [`key ${configured}`, `b64 ${btoa(configured)}`, `basic ${btoa(`user:${configured}`)}`, `split ${configured.slice(0, 6)}${ESC}[0m${configured.slice(6)}`, ...(pem ? [`pem ${pem}`, `line ${pem.split("\n")[1]}`] : [])].join("\n")
const everything = [named, ...shaped, mine].join("\n")
/** Each line of it as a JSON key (a server's error data or log data keyed by what it quotes). */
const keyedByLine = Object.fromEntries(everything.split("\n").map((line, i) => [line, i]))

const mode = process.argv[2]
if (mode === "refuse-start") {
  // the reason first: the lines after it are quoted with it (and the last ones)
  process.stderr.write(`Error: CANARY_MISSING_TOKEN environment variable is required\n${named}\n`, () => process.exit(1))
} else if (mode === "refuse-start-mine") {
  process.stderr.write(`Error: cannot start\n${mine}\n`, () => process.exit(1))
} else {
  process.stderr.write(`canary-server starting\n${everything}\n`)
  const tools = ["refuse", "fail", "rpc", "progress", "log", "crash", "ok"].map((name) => ({
    name,
    // CANARY_DESCRIBE: the descriptions quote the configured key (a server documenting the key it was given)
    description: process.env.CANARY_DESCRIBE ? `canary ${name} (calls the API with key ${configured})` : `canary ${name}`,
    inputSchema: { type: "object", properties: { q: { type: "string" } } },
  }))
  const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
  for await (const line of console) {
    if (!line.trim()) continue
    const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: { name?: string; _meta?: { progressToken?: string | number } } }
    if (id === undefined || method === undefined) continue
    if (method === "initialize") send({ jsonrpc: "2.0", id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {}, logging: {} }, serverInfo: { name: "canary", version: "1.0.0" } } })
    else if (method === "tools/list") send({ jsonrpc: "2.0", id, result: { tools } })
    else if (method === "tools/call") {
      const name = params?.name
      if (name === "refuse") send({ jsonrpc: "2.0", id, error: { code: -32602, message: `Invalid arguments for tool refuse: q must be a string; the server was started with\n${everything}` } })
      else if (name === "fail") send({ jsonrpc: "2.0", id, result: { isError: true, content: [{ type: "text", text: `failed:\n${everything}` }] } })
      else if (name === "rpc") send({ jsonrpc: "2.0", id, error: { code: -32000, message: `cannot:\n${everything}`, data: { note: everything, byLine: keyedByLine } } })
      else if (name === "progress") {
        const progressToken = params?._meta?.progressToken
        if (progressToken !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: 1, total: 2, message: `working:\n${everything}` } })
        // the result well after the progress: an SDK client that reads both in one chunk drops the progress
        setTimeout(() => send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "done" }] } }), 1000)
      } else if (name === "log") {
        send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: "canary", data: `log:\n${everything}` } })
        send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: "canary", data: { keyed: keyedByLine } } })
        send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "logged" }] } })
      } else if (name === "crash") process.stderr.write(`crashing:\n${everything}\n`, () => process.exit(3))
      else send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `ok:\n${everything}` }] } })
    } else send({ jsonrpc: "2.0", id, result: {} })
  }
}
