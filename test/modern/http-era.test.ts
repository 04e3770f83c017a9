/**
 * A modern-only (2026-07-28) Streamable HTTP downstream (SDK v2 `createMcpHandler` with
 * `legacy: "reject"` behind Bun.serve on 127.0.0.1), in process: detected from the 400 body of our
 * `initialize` on first contact, remembered, pinned; calls, a tool error and a timeout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { FileEraStore, Pool } from "../../src/pool/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ROOT, until } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const dir = tempDir("mcpo-era-http-")
const log = join(dir, "http.log")
let proc: ReturnType<typeof Bun.spawn> | undefined
let url = ""

beforeAll(async () => {
  const portFile = join(dir, "port")
  proc = Bun.spawn([BUN, MODERN, "http", portFile], { env: { ...process.env, MODERN_LOG: log }, stdio: ["ignore", "ignore", "inherit"] })
  expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
  url = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
}, 20_000)
afterAll(() => {
  proc?.kill()
  rmSync(dir, { recursive: true, force: true })
})

function methods(): string[] {
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []
}

function pool(state: string, notes: { method: string; params?: Record<string, unknown> }[] = []): Pool {
  return new Pool({ config: config({}), log: captureLog().log, eras: new FileEraStore(state), onNotification: (_s, method, params) => void notes.push({ method, ...(params ? { params } : {}) }) })
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

describe("modern-only Streamable HTTP downstream", () => {
  test("auto: detected from the refused initialize, then a warm start does not send initialize", async () => {
    const state = join(dir, "state")
    const spec = { url } as ServerSpec
    writeFileSync(log, "")
    {
      await using p = pool(state)
      p.add({ name: "h", source: "config", spec })
      expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "h" } }, {}))).toBe("modern:h")
      expect(p.get("h")!.era).toEqual({ era: "modern", via: "probed" })
    }
    expect(methods()[0]).toBe("initialize")
    writeFileSync(log, "")
    {
      await using p = pool(state)
      p.add({ name: "h", source: "config", spec })
      expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "w" } }, {}))).toBe("modern:w")
      expect(p.get("h")!.era).toEqual({ era: "modern", via: "cached" })
    }
    expect(methods()).not.toContain("initialize")
  }, 30_000)

  test("pinned modern: calls, a tool error, a timeout, prompts, resources, health check, log level", async () => {
    writeFileSync(log, "")
    const notes: { method: string; params?: Record<string, unknown> }[] = []
    await using p = pool(join(dir, "state2"), notes)
    p.add({ name: "h", source: "config", spec: { url, protocol: "modern" } as ServerSpec })
    const fail = (await p.call("h", "tools/call", { name: "fail", arguments: {} }, {})) as { isError?: boolean }
    expect(fail.isError).toBe(true)
    const slow = await p.call("h", "tools/call", { name: "slow", arguments: { ms: 5000 } }, { timeoutMs: 300 }).then(() => undefined, (x: unknown) => x as { code?: string })
    expect(slow?.code).toBe("TIMEOUT")
    expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "after" } }, {}))).toBe("modern:after")
    const prompt = (await p.call("h", "prompts/get", { name: "greet" }, {})) as { messages: { content: { text: string } }[] }
    expect(prompt.messages[0]!.content.text).toBe("hello from modern")
    const read = (await p.call("h", "resources/read", { uri: "mem://note" }, {})) as { contents: { text: string }[] }
    expect(read.contents[0]!.text).toBe("modern note")
    expect(await (await p.get("h")!.ensure()).check(2000)).toMatchObject({ supportedVersions: ["2026-07-28"] })
    expect(methods()).not.toContain("initialize")
    expect(methods().filter((m) => m === "tools/call")).toHaveLength(3) // the timed-out call was not re-sent
    const logs = () => notes.filter((n) => n.method === "notifications/message").map((n) => n.params?.data)
    await p.call("h", "tools/call", { name: "chatty", arguments: {} }, {})
    expect(logs()).toEqual([])
    await p.call("h", "logging/setLevel", { level: "debug" }, {})
    await p.call("h", "tools/call", { name: "chatty", arguments: {} }, {})
    expect(await until(() => logs().length > 0, 5000)).toBe(true)
    expect(logs()).toEqual(["hello log"])
  }, 30_000)
})
