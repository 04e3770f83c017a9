/**
 * A stdio MCP server that refuses to start, the way real npm servers do when a token is missing
 * (captured from the packages, network-free): it writes its reason to stderr and exits with 1
 * before reading anything. `argv[2]` picks the shape of that stderr:
 * - `uncaught`: `@stripe/mcp` — a coloured notice and the reason, then Node's uncaught-exception
 *   report (location, source excerpt, caret, the error, nine stack frames, "Node.js v20…").
 * - `usage`: `@sentry/mcp-server` — the error, what to pass, then ~50 lines of usage and examples.
 * - `env`: `@modelcontextprotocol/server-brave-search` — one line naming the variable it needs.
 * - `stdout`: a server that prints (console.log, Python's print) instead of logging to stderr: a
 *   banner, the token it was given refused, the variable it needs, all on stdout; nothing on stderr.
 */
const mode = process.argv[2]
const ESC = "\u001b"
let text: string
if (mode === "uncaught") {
  const frames = ["parseArgs (/srv/node_modules/@acme/mcp/dist/cli.js:34:15)", "main (/srv/node_modules/@acme/mcp/dist/index.js:18:41)", "Object.<anonymous> (/srv/node_modules/@acme/mcp/dist/index.js:81:5)", "Module._compile (node:internal/modules/cjs/loader:1521:14)", "Module._extensions..js (node:internal/modules/cjs/loader:1623:10)", "Module.load (node:internal/modules/cjs/loader:1266:32)", "Module._load (node:internal/modules/cjs/loader:1091:12)", "Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)", "node:internal/main/run_main_module:28:49"]
  const reason = "Acme API key not provided. Please either pass it as an argument --api-key=$KEY or set the ACME_SECRET_KEY environment variable."
  text = [
    `${ESC}[33mThe --tools flag has been removed.${ESC}[39m`,
    `${ESC}[31m${ESC}[39m`,
    `${ESC}[31m🚨  Error initializing Acme MCP server:${ESC}[39m`,
    `${ESC}[31m${ESC}[39m`,
    `   ${reason}`,
    "",
    "/srv/node_modules/@acme/mcp/dist/cli.js:34",
    `        throw new Error('${reason}');`,
    "              ^",
    "",
    `Error: ${reason}`,
    ...frames.map((f) => `    at ${f}`),
    "",
    "Node.js v20.20.2",
    "",
  ].join("\n")
} else if (mode === "usage") {
  const usage = Array.from({ length: 50 }, (_, i) => `  --option-${i} <value>        what option ${i} changes (default: ${i})`)
  text = ["Error: No access token was provided.", "Run `acme-mcp auth login` interactively first, or pass `--access-token` / `ACME_ACCESS_TOKEN`.", "Usage: acme-mcp [--access-token=<token>] [--host=<host>]", "", ...usage, "", "Examples:", "  acme-mcp --access-token=TOKEN", "  acme-mcp --access-token=TOKEN --host=acme.example.com", ""].join("\n")
} else if (mode === "stdout") {
  text = `Widget MCP server v1.2 starting on stdio\nInvalid token ${process.env.WIDGET_TOKEN ?? ""} refused by the API\nError: WIDGET_API_KEY environment variable is required\n`
} else {
  text = "Error: ACME_API_KEY environment variable is required\n"
}
const refuse = (): void => {
  if (mode === "stdout") process.stdout.write(text, () => process.exit(1))
  else process.stderr.write(text, () => process.exit(1))
}
// `argv[3]` picks when, so both sides of the race a start failure is seen through can be had on purpose:
// - (none): at once, before reading anything (whether the client's first write got in first is a race);
// - `stdin-closed`: it closes its stdin first, then refuses (a client write after that breaks: EPIPE);
// - `after-first-line`: it reads the client's first line, then refuses (the write got in; it ends unanswered).
const when = process.argv[3]
if (when === "stdin-closed") {
  require("node:fs").closeSync(0)
  refuse()
} else if (when === "after-first-line") {
  let seen = ""
  process.stdin.on("data", (c: Buffer) => {
    seen += c.toString()
    if (seen.includes("\n")) refuse()
  })
} else refuse()
