/**
 * Bad input names its source (issue 11 §5), through the compiled binary: every invalid config
 * stops `serve` with exit 2 and one stderr line naming the key path, its source (file:line, env
 * var, flag) and what was expected; an empty JSON-RPC batch over HTTP gets -32600, not 202.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"
import { configDir } from "../config/helpers.ts"

const { file } = configDir("mcpo-bad-input-")

/** `serve` with these arguments, to its exit (SIGKILLed after 15 s: a start that hangs, or expands a bomb, ends with 137). */
async function serve(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  await ensureBuilt()
  const e = sandboxEnv(env)
  const p = Bun.spawn([BIN, "serve", ...args], { env: e, cwd: e.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
  const killer = setTimeout(() => p.kill("SIGKILL"), 15_000)
  const [code, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()])
  clearTimeout(killer)
  return { code, stderr }
}

describe("invalid config → exit 2, key path and source on stderr", () => {
  const cases: Array<[string, () => { args: string[]; env?: Record<string, string> }, RegExp]> = [
    [
      "duplicate key in YAML",
      () => ({ args: ["--config", file("log:\n  level: info\npool:\n  maxInFlight: 1\n  maxInFlight: 2\n")] }),
      /pool\.maxInFlight \(.*c\d+\.yaml:5\): duplicate key; it is already set on line 4/,
    ],
    [
      "duplicate key in JSON",
      () => ({ args: ["--config", file('{\n  "servers": {\n    "a": {"command": "x"},\n    "a": {"command": "y"}\n  }\n}\n', "json")] }),
      /servers\.a \(.*c\d+\.json:4\): duplicate key; it is already set on line 3/,
    ],
    [
      "stdio server args not a list",
      () => ({ args: ["--config", file("servers:\n  a:\n    command: node\n    args: --version\n")] }),
      /servers\.a\.args \(.*c\d+\.yaml:4\): expected an array of strings, got "--version"/,
    ],
    [
      "stdio server timeout",
      () => ({ args: ["--config", file("servers:\n  a:\n    command: node\n    timeout: forever\n")] }),
      /servers\.a\.timeout \(.*c\d+\.yaml:4\): expected a duration such as 500, "30s", "5m" or "12h", got "forever"/,
    ],
    [
      "stdio server env value",
      // a whole number is taken as its text (PORT: 8080); a fraction is not (its digits could change)
      () => ({ args: ["--config", file("servers:\n  a:\n    command: node\n    env:\n      RATIO: 0.5\n")] }),
      /servers\.a\.env\.RATIO \(.*c\d+\.yaml:5\): expected a string: put this number in quotes/,
    ],
    [
      "remote server transport",
      () => ({ args: ["--config", file("servers:\n  r:\n    url: http://127.0.0.1:9/mcp\n    transport: websocket\n")] }),
      /servers\.r\.transport \(.*c\d+\.yaml:4\): expected one of "streamable-http", "sse", got "websocket"/,
    ],
    ["http.listen bad port (flag)", () => ({ args: ["--http", "127.0.0.1:70000"] }), /http\.listen \(flag --http\): expected \[HOST:\]PORT .*got "127\.0\.0\.1:70000"/],
    ["http.listen garbage (env)", () => ({ args: ["--no-stdio"], env: { MCPO_HTTP_LISTEN: "local host:1" } }), /http\.listen \(env MCPO_HTTP_LISTEN\): expected \[HOST:\]PORT/],
    [
      "http.listen non-loopback without the opt-in (file)",
      () => ({ args: ["--config", file("http:\n  listen: 0.0.0.0:8787\n")] }),
      /http\.listen \(.*c\d+\.yaml:2\): 0\.0\.0\.0 is not a loopback address; set http\.allowNonLoopback: true/,
    ],
  ]
  for (const [name, make, line] of cases) {
    test(name, async () => {
      const { args, env } = make()
      const r = await serve(args, env)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(line)
      expect(r.stderr).not.toContain('"msg":"ready"')
    })
  }

  test("YAML alias bomb: exit 2 with file and line, never expanded", async () => {
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    const names = "abcdefghi"
    for (let i = 1; i < names.length; i++) laughs.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(", ")}]`)
    const p = file(laughs.join("\n") + "\n")
    const r = await serve(["--config", p])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${p}:2: YAML aliases expand too much`)
    // expanding 9^9 strings would take minutes and gigabytes: such a start is killed (137), not refused (2)
  })

  // A secret written where YAML reads it as something else is refused without quoting it: the
  // parser's own words quote the source (an alias name, an escape, a block header's characters).
  const SECRET = "Zq7" + crypto.randomUUID().replaceAll("-", "")
  const PHRASE = "correct-horse-battery-staple"
  const quoting: Array<[string, string, RegExp]> = [
    ["an unquoted value starting with * (an alias)", `servers:\n  a:\n    command: node\n    env:\n      PASSWORD: *${SECRET}\n`, /c\d+\.yaml:5: a value that starts with \* is a YAML alias/],
    ["a bad escape in a double-quoted value", `servers:\n  a:\n    command: node\n    env:\n      PASSWORD: "\\U${SECRET}"\n`, /c\d+\.yaml:5: not valid YAML\/JSON: Invalid escape sequence \(the text there is not shown/],
    ["a block scalar header with extra characters", `servers:\n  a:\n    command: node\n    env:\n      PASSWORD: |${SECRET}\n        x\n`, /c\d+\.yaml:5: not valid YAML\/JSON: Block scalar header includes extra characters \(the text there is not shown/],
    // a passphrase no token shape matches, pasted one line too high
    ["a duration given a secret", `servers:\n  a:\n    command: node\n    timeout: "${PHRASE}"\n`, /servers\.a\.timeout \(.*c\d+\.yaml:4\): expected a duration/],
  ]
  test("a JSON comma missing after a value that reads as secret-named: the value is not quoted as if it were its key", async () => {
    const value = "my-secret-passphrase"
    const r = await serve(["--config", file(`{"servers": {"a": {"command": "node", "env": {"TOKEN": "${value}" "X": "1"}}}}\n`, "json")])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/c\d+\.json:1:\d+: not valid JSON: expected "," between entries, found a value \(not shown/)
    expect(r.stderr).not.toContain("passphrase")
  })
  for (const [name, yaml, said] of quoting) {
    test(`${name}: exit 2 naming the line, the value not quoted`, async () => {
      const r = await serve(["--config", file(yaml)])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(said)
      expect(r.stderr).not.toContain(SECRET.slice(0, 6))
      expect(r.stderr).not.toContain(PHRASE.slice(0, 13))
    })
  }
})

describe("HTTP: JSON that is not a JSON-RPC message", () => {
  const TOKEN = "bad-input-token-" + crypto.randomUUID()
  let proc: Bun.Subprocess<"ignore", "ignore", "pipe"> | undefined
  afterAll(() => proc?.kill("SIGKILL"))

  async function start(): Promise<string> {
    const cfg = file(JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false } }), "json")
    const started = await startHttpBinary(cfg, sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN }))
    proc = started.proc
    return started.url
  }

  test("empty batch [] → 400, -32600 Invalid Request, id null (with or without a session); other non-messages too", async () => {
    const url = await start()
    const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
    const init = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }),
    })
    expect(init.status).toBe(200)
    const sid = init.headers.get("mcp-session-id")!
    await init.body?.cancel()
    const inSession = { ...headers, "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    for (const [body, h] of [
      ["[]", inSession],
      ["[]", headers],
      ["5", inSession],
      ["null", inSession],
      ['[{"jsonrpc":"2.0","method":"ping","id":2}, 7]', inSession],
      ['{"id": 3, "method": "ping"}', inSession],
    ] as const) {
      const r = await fetch(url, { method: "POST", headers: h, body })
      expect(r.status).toBe(400)
      const j = (await r.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } }
      // a single request with a usable id is answered with it (as on stdio); anything else with id null
      expect(j).toMatchObject({ jsonrpc: "2.0", id: body.startsWith('{"id": 3') ? 3 : null, error: { code: -32600 } })
      expect(j.error.message).toStartWith("Invalid Request: ")
    }
    // a valid batch still works
    const ok = await fetch(url, { method: "POST", headers: inSession, body: JSON.stringify([{ jsonrpc: "2.0", method: "ping", id: 9 }]) })
    expect(ok.status).toBe(200)
    await ok.body?.cancel()
  })
})
