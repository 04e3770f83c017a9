/**
 * A remote server that dropped our session (QA: after a restart or an expiry the next call returned
 * "[WRITE_FAILED] … HTTP 404 …" with the remedy "Check the server's url"; only the call after it
 * worked). The spec: a client that gets 404 for a request carrying an Mcp-Session-Id MUST start a
 * new session; server-everything (SDK v1) answers 400 "No valid session ID provided" instead. The
 * request was not processed: a new session is opened and the request sent once more, logged at info.
 * One retry, never a loop; no retry for other answers. Servers: server-everything restarted on the
 * same port, and a stateful SDK v2 server whose sessions end (`stateful-http.ts`).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config, EVERYTHING, ROOT } from "../proxy/helpers.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { waitForStderr } from "../helpers/wait.ts"

const PRELOAD = join(ROOT, "test", "fixtures", "servers", "loopback.cjs")
const stateful = startStatefulHttp()
const children: Bun.Subprocess[] = []

afterAll(async () => {
  await stateful.stop()
  for (const c of children) c.kill("SIGKILL")
  await Promise.all(children.map((c) => c.exited))
})

/** server-everything in Streamable HTTP mode on 127.0.0.1:`port`, once it listens. */
async function everything(port: number): Promise<Bun.Subprocess> {
  const p = Bun.spawn(["node", "--require", PRELOAD, EVERYTHING, "streamableHttp"], { env: { PATH: process.env.PATH ?? "", PORT: String(port) }, stdout: "ignore", stderr: "pipe" })
  children.push(p)
  await waitForStderr(p, /listening/i, "server-everything did not start")
  return p
}

function pool(spec: ServerSpec, log = captureLog(), notes: string[] = []): Pool {
  const p = new Pool({ config: config({}), log: log.log, onNotification: (_s, method) => void notes.push(method) })
  p.add({ name: "web", source: "config", spec })
  return p
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text
const count = (list: string[], m: string) => list.filter((x) => x === m).length
const renewedLine = "remote server dropped our session (restarted, or expired it); opening a new one and sending the request again"

const failure = downstreamFailure

describe("a remote server that dropped our session", () => {
  test("server-everything restarted on the same port (400 No valid session ID): the first call after it works", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000)
    const first = await everything(port)
    const log = captureLog()
    await using p = pool({ url: `http://127.0.0.1:${port}/mcp` } as ServerSpec, log)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { message: "before" } }, {}))).toBe("Echo: before")
    first.kill("SIGKILL")
    await first.exited
    await everything(port)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { message: "after" } }, {}))).toBe("Echo: after")
    const line = log.records.find((r) => r.msg === renewedLine)
    expect(line?.level).toBe("info")
    expect(line?.why).toBe("HTTP 400: Bad Request: No valid session ID provided")
    expect(p.get("web")!.failures).toBe(0)
  }, 20_000)

  test("SDK v2 server that ended the session (404 Session not found): the call works on a new session that has the log level and subscriptions back", async () => {
    const log = captureLog()
    const notes: string[] = []
    await using p = pool({ url: stateful.url, protocol: "legacy" } as ServerSpec, log, notes)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {}))).toBe("echo:a")
    await p.call("web", "logging/setLevel", { level: "debug" }, {})
    await p.call("web", "resources/subscribe", { uri: "mem://note" }, {})
    await stateful.expireSessions()
    const from = stateful.methods.length
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))).toBe("echo:b")
    const after = stateful.methods.slice(from).filter((m) => m !== "GET")
    // refused once, a new session with what the old one held, the call again
    expect(after[0]).toBe("tools/call")
    expect(after[1]).toBe("initialize")
    expect(after[2]).toBe("notifications/initialized")
    expect(after.slice(3, 5).sort()).toEqual(["logging/setLevel", "resources/subscribe"])
    expect(after.at(-1)).toBe("tools/call")
    expect(count(after, "tools/call")).toBe(2)
    expect(log.records.find((r) => r.msg === renewedLine)?.why).toBe("HTTP 404: Session not found")
    // lists are read again, as after a reconnect (the server declared resources; no tools listChanged needed)
    expect(notes).toContain("notifications/tools/list_changed")
    expect(notes).toContain("notifications/resources/list_changed")
    expect(p.get("web")!.failures).toBe(0)
  })

  test("calls in flight together open one new session between them", async () => {
    await using p = pool({ url: stateful.url, protocol: "legacy" } as ServerSpec)
    await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {})
    await stateful.expireSessions()
    const from = stateful.methods.length
    const answers = await Promise.all([1, 2, 3, 4].map((i) => p.call("web", "tools/call", { name: "echo", arguments: { text: String(i) } }, {})))
    expect(answers.map(text)).toEqual(["echo:1", "echo:2", "echo:3", "echo:4"])
    expect(count(stateful.methods.slice(from), "initialize")).toBe(1)
  })

  test("a server that refuses the new session's request too: one new session, one retry, then the error", async () => {
    const log = captureLog()
    await using p = pool({ url: stateful.url, protocol: "legacy" } as ServerSpec, log)
    await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {})
    stateful.refuse((m) => (m.method === "tools/call" ? Response.json({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }, { status: 404 }) : undefined))
    try {
      const from = stateful.methods.length
      const e = await failure(p.call("web", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
      expect(e.code).toBe("WRITE_FAILED")
      expect(e.message).toContain("HTTP 404")
      const after = stateful.methods.slice(from)
      expect(count(after, "initialize")).toBe(1)
      expect(count(after, "tools/call")).toBe(2)
      expect(log.records.filter((r) => r.msg === renewedLine)).toHaveLength(1)
    } finally {
      stateful.refuse(undefined)
    }
  })

  test("a new session that cannot be opened: the call fails with why, and the connection is made again", async () => {
    await using p = pool({ url: stateful.url, protocol: "legacy" } as ServerSpec)
    await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {})
    await stateful.expireSessions()
    stateful.refuse((m) => (m.method === "initialize" ? new Response("Service Unavailable", { status: 503 }) : undefined))
    try {
      const e = await failure(p.call("web", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
      expect(e.code).toBe("WRITE_FAILED")
      expect(e.message).toBe(`server web dropped our session (HTTP 404: Session not found), and opening a new one failed: HTTP request to ${stateful.url} failed: HTTP 503 (content type text/plain;charset=utf-8): Service Unavailable`)
      expect(p.get("web")!.failures).toBe(1)
    } finally {
      stateful.refuse(undefined)
    }
  })

  test("other answers are not retried: a 500, and a 400 that is not about the session", async () => {
    const refusals = [() => new Response("Internal Server Error", { status: 500 }), () => Response.json({ jsonrpc: "2.0", error: { code: -32602, message: "Bad Request: invalid params" }, id: null }, { status: 400 })]
    for (const refusal of refusals) {
      await using p = pool({ url: stateful.url, protocol: "legacy" } as ServerSpec)
      await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {})
      stateful.refuse((m) => (m.method === "tools/call" ? refusal() : undefined))
      try {
        const from = stateful.methods.length
        const e = await failure(p.call("web", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
        // the server answered: only this call failed, the session stays (test/pool/remote-bad-answer)
        expect(e.code).toBe("BAD_RESPONSE")
        expect(e.message).toContain(`HTTP ${refusal().status}`)
        expect(p.get("web")!.failures).toBe(0)
        const after = stateful.methods.slice(from)
        expect(count(after, "initialize")).toBe(0)
        expect(count(after, "tools/call")).toBe(1)
      } finally {
        stateful.refuse(undefined)
      }
    }
  })
})
