/**
 * Secrets never leave the process (issue 11 §3): canary values configured as env values, header
 * values, URL userinfo and query parameters, values after --api-key/--token/--password, and the
 * HTTP token are absent from every exit of the compiled binary — its stderr log at debug level,
 * every error and answer the client gets (a downstream that echoes its env and argv into its
 * isError results, JSON-RPC errors, stderr, log and progress notifications and a tool description;
 * one that dies at start with them on stderr; a remote server answering 401 with the Authorization
 * header it got), orchestrator_status, notifications/message, the HTTP face (/readyz, /metrics, MCP
 * over HTTP), config errors and `doctor` (text and --json). Each exit is also checked to have carried
 * the echoed text (as [REDACTED]), so a test cannot pass because nothing was said.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, ensureBuilt, isAlive, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const LEAKY = join(import.meta.dir, "servers", "leaky-server.ts")
const canary = (tag: string): string => `${tag}${crypto.randomUUID().replace(/-/g, "")}`

const C = {
  envSecret: canary("EnvTok"),
  // under an ordinary key: registered because it looks like a credential (hex, 32+ chars)
  envPlain: canary("Wk9"),
  argKey: canary("ArgKey"),
  argToken: canary("ArgTok"),
  argPassword: canary("ArgPw"),
  urlPassword: canary("UrlPw"),
  urlQuery: canary("UrlQ"),
  header: canary("HdrBearer"),
  headerKey: canary("HdrKey"),
  httpToken: canary("HttpTok"),
}
const CANARIES = Object.values(C)

/** The canaries found in `text` (should be none). */
function leaked(text: string): string[] {
  return CANARIES.filter((c) => text.includes(c))
}

const serverArgs = [
  LEAKY,
  "--api-key",
  C.argKey,
  `--token=${C.argToken}`,
  "--password",
  C.argPassword,
  `postgres://app:${C.urlPassword}@db.example/x`,
  `https://api.example/v1?access_token=${C.urlQuery}&page=2`,
]
const serverEnv = { LEAK_SECRET_TOKEN: C.envSecret, LEAK_PLAIN: C.envPlain }

let remote: ReturnType<typeof Bun.serve>
let env: Record<string, string>
let configPath: string

beforeAll(async () => {
  await ensureBuilt()
  // A remote MCP server that refuses everyone, quoting the credentials it was sent.
  remote = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) =>
      new Response(`unauthorized: you sent Authorization: ${req.headers.get("authorization")} and X-Api-Key: ${req.headers.get("x-api-key")}`, { status: 401 }),
  })
  env = sandboxEnv()
  const config = {
    log: { level: "debug" },
    http: { token: C.httpToken },
    toolkit: { enabled: "off" },
    warm: ["leaky", "dead", "remote"],
    servers: {
      leaky: { command: process.execPath, args: serverArgs, env: serverEnv },
      dead: { command: process.execPath, args: [...serverArgs, "--die"], env: serverEnv },
      // streamable-http only: its 401 body (echoing the Authorization header) becomes lastError
      remote: { url: `http://127.0.0.1:${remote.port}/mcp`, transport: "streamable-http", headers: { Authorization: `Bearer ${C.header}`, "X-Api-Key": C.headerKey } },
    },
  }
  configPath = writeConfig(env, config)
})

afterAll(() => {
  remote?.stop(true)
})

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f().catch(() => undefined)
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(100)
  }
}

function textOf(r: unknown): string {
  return JSON.stringify(r)
}

describe("secrets never leave the process", () => {
  test("stderr log, errors, status and notifications of the binary carry no configured secret", async () => {
    const c: Connected = await connectBinary(["serve", "--config", configPath], env)
    const notes: unknown[] = []
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void notes.push(n.params))
    await c.client.setLoggingLevel("debug")
    const answers: string[] = [] // everything the client got: errors, lists, progress
    try {
      const listed = await until("leaky tools", async () => {
        const { tools } = await c.client.listTools()
        return tools.some((t) => t.name === "leaky__fail_rpc") ? tools : undefined
      })
      // a tool definition quoting the config (it reaches the model)
      expect(textOf(listed)).toContain("configured with")
      answers.push(textOf(listed))

      // a downstream's progress message
      const progress: string[] = []
      await c.client.callTool({ name: "leaky__progress", arguments: {} }, undefined, { onprogress: (p) => void progress.push(textOf(p)) })
      expect(progress.join("\n")).toContain("halfway with")
      answers.push(...progress)

      // a downstream's isError result echoing its env and argv
      const failed = await c.client.callTool({ name: "leaky__fail_result", arguments: {} })
      expect(failed.isError).toBe(true)
      answers.push(textOf(failed))
      expect(textOf(failed)).toContain("[REDACTED]")

      // a downstream's JSON-RPC error: message and data
      const rpc = await c.client.callTool({ name: "leaky__fail_rpc", arguments: {} }).then(
        (r) => textOf(r),
        (e: unknown) => `${(e as Error).message} ${textOf((e as { data?: unknown }).data)}`,
      )
      answers.push(rpc)
      expect(rpc).toContain("cannot do it with")
      expect(rpc).toContain("[REDACTED]")

      // a downstream's log notification, forwarded
      await c.client.callTool({ name: "leaky__log", arguments: {} })

      // a downstream's successful results printing its environment (server-everything's get-env):
      // small (text and structuredContent), and large (the bytes path, values across read chunks)
      const env = await c.client.callTool({ name: "leaky__env", arguments: {} })
      expect(env.isError).toBeFalsy()
      expect(textOf(env)).toContain("my environment:")
      expect(textOf(env.structuredContent)).toContain("[REDACTED]")
      answers.push(textOf(env))
      const big = await c.client.callTool({ name: "leaky__env_big", arguments: {} })
      expect(big.isError).toBeFalsy()
      expect(textOf(big).length).toBeGreaterThan(900 * 1024) // ≥ 1 MiB sent; the values it repeats come out shorter
      expect(textOf(big)).toContain("[REDACTED]")
      answers.push(textOf(big))

      // a downstream that dies mid-call with its config on stderr, then calls while it restarts
      for (const name of ["leaky__crash", "leaky__ok", "dead__ok", "remote__ok"]) {
        const out = await c.client.callTool({ name, arguments: {} }).then(textOf, (e: unknown) => `${(e as Error).message} ${textOf((e as { data?: unknown }).data)}`)
        answers.push(out)
      }

      // orchestrator_status once both broken servers have a lastError (the 401 body, the stderr tail)
      const status = await until("lastError of dead and remote", async () => {
        const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
        const servers = (r.structuredContent as { servers: { name: string; lastError?: string }[] }).servers
        const last = (n: string) => servers.find((s) => s.name === n)?.lastError
        return last("dead") && last("remote") ? r : undefined
      })
      const statusText = textOf(status)
      expect(statusText).toContain("Bearer [REDACTED]") // remote: the 401 body quoting the header
      expect(statusText).toContain("app:[REDACTED]@db.example") // dead: its stderr tail
      expect(leaked(statusText)).toEqual([])

      // the SERVER_UNAVAILABLE error of dead quotes its stderr tail
      expect(answers.join("\n")).toContain("fatal: cannot start")
      for (const e of answers) expect(leaked(e)).toEqual([])
      await until("a forwarded downstream log", async () => (notes.some((n) => textOf(n).includes("leaky")) ? true : undefined), 5000)
    } finally {
      await c.close()
      if (c.pid !== undefined) await until("the binary to exit", async () => (isAlive(c.pid!) ? undefined : true), 10_000)
    }
    await Bun.sleep(100)
    const notesText = textOf(notes)
    expect(notesText).toContain("[REDACTED]")
    expect(leaked(notesText)).toEqual([])

    const stderr = c.stderr()
    // the log saw the echoes (downstream stderr at debug, the failures) — redacted
    expect(stderr).toContain("downstream stderr")
    expect(stderr).toContain("[REDACTED]")
    expect(leaked(stderr)).toEqual([])
  }, 60_000)

  test("the HTTP face: MCP errors and results over Streamable HTTP, /readyz, /metrics, 401 bodies", async () => {
    const c = await connectBinary(["serve", "--config", configPath, "--http", "127.0.0.1:0"], env)
    const bodies: string[] = []
    try {
      const url = await until("the HTTP endpoint", async () => /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(c.stderr())?.[1])
      const auth = { Authorization: `Bearer ${C.httpToken}` }
      const http = new Client({ name: "secrets-test", version: "1.0.0" })
      await http.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: auth } }))
      try {
        await until("leaky tools over HTTP", async () => ((await http.listTools()).tools.some((t) => t.name === "leaky__fail_rpc") ? true : undefined))
        for (const name of ["leaky__fail_result", "leaky__fail_rpc", "dead__ok", "orchestrator_status"]) {
          bodies.push(await http.callTool({ name, arguments: {} }).then(textOf, (e: unknown) => `${(e as Error).message} ${textOf((e as { data?: unknown }).data)}`))
        }
      } finally {
        await http.close()
      }
      const base = url.replace(/\/mcp$/, "")
      const readyz = await until("a readiness answer quoting dead's stderr", async () => {
        const t = await (await fetch(`${base}/readyz`, { headers: auth })).text()
        return t.includes("stderr") ? t : undefined
      })
      bodies.push(readyz, await (await fetch(`${base}/metrics`, { headers: auth })).text())
      bodies.push(await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).text())
      expect(readyz).toContain("[REDACTED]")
      expect(bodies.join("\n")).toContain("cannot do it with")
      for (const b of bodies) expect(leaked(b)).toEqual([])
    } finally {
      await c.close()
      if (c.pid !== undefined) await until("the binary to exit", async () => (isAlive(c.pid!) ? undefined : true), 10_000)
    }
    expect(leaked(c.stderr())).toEqual([])
  }, 60_000)

  test("doctor and doctor --json print no configured secret (URL password, flag values, env, headers)", async () => {
    for (const json of [false, true]) {
      const p = Bun.spawn([BIN, "doctor", "--config", configPath, ...(json ? ["--json"] : [])], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
      const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
      expect(out).toContain("app:[REDACTED]@db.example")
      expect(out).toContain("--api-key")
      expect(leaked(out + err)).toEqual([])
      if (json) {
        const effective = (JSON.parse(out) as { config: { effective: { cache: { ttl: { secrets: unknown } }; servers: { leaky: { env: Record<string, string> } } } } }).config.effective
        expect(effective.servers.leaky.env.LEAK_SECRET_TOKEN).toBe("[REDACTED]")
        expect(typeof effective.cache.ttl.secrets).toBe("number") // a TTL under a secret-looking key is a setting
      }
    }
  }, 30_000)

  test("a config error quoting the bad values names no secret (serve exit 2, doctor)", async () => {
    const bad = join(env.HOME!, "cfg", "bad.json")
    const short = canary("Sh").slice(0, 12) // too short for http.token: the error quotes it
    writeFileSync(
      bad,
      JSON.stringify({
        http: { token: short },
        servers: { a: { command: "x", args: `--api-key ${C.argKey}`, env: { API_TOKEN: 987654321012 } } },
      }),
    )
    const serve = Bun.spawn([BIN, "serve", "--config", bad], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [, serveErr, code] = await Promise.all([new Response(serve.stdout).text(), new Response(serve.stderr).text(), serve.exited])
    expect(code).toBe(2)
    expect(serveErr).toContain("servers.a.args")
    const doctor = Bun.spawn([BIN, "doctor", "--config", bad, "--json"], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
    const [doctorOut] = await Promise.all([new Response(doctor.stdout).text(), doctor.exited])
    expect(doctorOut).toContain("servers.a.args")
    for (const text of [serveErr, doctorOut]) {
      expect(leaked(text)).toEqual([])
      expect(text).not.toContain(short)
      expect(text).not.toContain("987654321012")
      expect(text).not.toContain(C.argKey.slice(0, 12)) // the quote is cut after redaction, not inside the secret
    }
  }, 30_000)
})
