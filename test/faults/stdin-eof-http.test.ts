/**
 * `serve --http` started with stdin that ends before any byte (systemd and launchd give /dev/null,
 * so does `docker run` without -i): no MCP client is on stdio, so HTTP is served on alone (as
 * `--no-stdio`, with an info line saying so) until a signal stops it; the same for a pipe closed
 * without a word. A client that wrote to stdin and closed it (Cursor writes `initialize` first)
 * still stops the process, HTTP or not. Through the compiled binary; verdicts from the log and
 * real HTTP requests, not clocks.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }) + "\n"

function config(env: Record<string, string>): string {
  const cfg = join(env.HOME!, "c.yaml")
  writeFileSync(cfg, `toolkit: { enabled: "off" }\nservers: {}\n`)
  return cfg
}

/** Reads stderr on in the background; `until` resolves once `re` matched (or the stream ended). */
function reader(stream: ReadableStream<Uint8Array>): { text(): string; until(re: RegExp): Promise<RegExpExecArray | null>; done: Promise<string> } {
  let text = ""
  const waiters: Array<() => void> = []
  let ended = false
  const done = (async () => {
    const dec = new TextDecoder()
    for await (const chunk of stream) {
      text += dec.decode(chunk)
      for (const w of waiters.splice(0)) w()
    }
    ended = true
    for (const w of waiters.splice(0)) w()
    return text
  })()
  const until = async (re: RegExp): Promise<RegExpExecArray | null> => {
    for (;;) {
      const m = re.exec(text)
      if (m || ended) return m
      await new Promise<void>((r) => waiters.push(r))
    }
  }
  return { text: () => text, until, done }
}

for (const stdin of ["/dev/null", "a pipe closed at once"] as const) {
  test(`serve --http with stdin ${stdin}: HTTP is served on alone until SIGTERM`, async () => {
    const env = sandboxEnv()
    const cfg = config(env)
    const p = Bun.spawn([BIN, "serve", "--config", cfg, "--http", "127.0.0.1:0"], { stdin: stdin === "/dev/null" ? "ignore" : "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
    if (stdin !== "/dev/null") await (p.stdin as import("bun").FileSink).end()
    const err = reader(p.stderr)
    const served = await err.until(/"msg":"serving Streamable HTTP","url":"(http:\/\/127\.0\.0\.1:\d+)\/mcp"/)
    expect(served, err.text()).not.toBeNull()
    expect(await err.until(/stdin ended before any MCP message; serving HTTP only/)).not.toBeNull()
    // the stdio end does not stop it: HTTP answers (the log is read up to the "ready" line first)
    expect(await err.until(/"msg":"ready"/)).not.toBeNull()
    const health = await fetch(`${served![1]}/healthz`)
    expect(health.status).toBe(200)
    expect(p.exitCode).toBeNull()
    expect(err.text()).not.toContain('"reason":"stdin closed"')
    expect(err.text()).toContain(`"parentWatched":${stdin === "/dev/null" ? "false" : "true"}`)
    p.kill("SIGTERM")
    expect(await p.exited).toBe(0)
    expect(await err.done).toContain('"msg":"shutting down","reason":"SIGTERM"')
  }, 30_000)
}

test("a client that wrote to stdin and closed it still stops the process, HTTP or not", async () => {
  const env = sandboxEnv()
  const cfg = config(env)
  const p = Bun.spawn([BIN, "serve", "--config", cfg, "--http", "127.0.0.1:0"], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  const err = reader(p.stderr)
  p.stdin.write(INIT)
  await p.stdin.end()
  expect(await p.exited).toBe(0)
  const log = await err.done
  expect(log).toContain('"reason":"stdin closed"')
  expect(log).not.toContain("serving HTTP only")
}, 30_000)

test("without HTTP, stdin at EOF from the start still ends the serve at once (exit 0)", async () => {
  const env = sandboxEnv()
  const cfg = config(env)
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  const err = reader(p.stderr)
  expect(await p.exited).toBe(0)
  expect(await err.done).toContain('"reason":"stdin closed"')
}, 30_000)
