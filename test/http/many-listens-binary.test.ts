/**
 * 200 2026-07-28 clients on the compiled binary's HTTP face, each with a `subscriptions/listen`
 * stream open at once (real sockets, behind it a modern SDK v2 stdio server): every one is
 * acknowledged and gets the list change the downstream announces; half of them leave (their
 * streams aborted) and their sockets are let go; SIGTERM with the other half still open ends each
 * of those with a `complete` result (a graceful end, its own id) and the process exits 0. What
 * listen-limit.test.ts checks in-process (the table, its bound), here over the wire and with exit.
 */
import { afterEach, expect, test } from "bun:test"
import { readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { httpRunsStoppedAfterEach, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"
import { BUN, ROOT, until } from "../proxy/helpers.ts"
import { modernPost } from "../modern/http-post.ts"

const N = 200 // under Bun's fetch limit of 256 connections per process
const runs = httpRunsStoppedAfterEach()
const aborts: AbortController[] = []
afterEach(() => {
  for (const a of aborts.splice(0)) a.abort()
})

/** One listen's stream, read in the background: all it received so far and whether it ended. */
interface Reading {
  id: number
  text: string
  ended: boolean
  abort: AbortController
}

function read(body: ReadableStream<Uint8Array>, r: Reading): void {
  const dec = new TextDecoder()
  void (async () => {
    try {
      for await (const chunk of body) r.text += dec.decode(chunk, { stream: true })
    } catch {
      // aborted by the test
    }
    r.ended = true
  })()
}

test(`${N} listens at once: acknowledged, each told of a list change, the sockets of those that leave let go, the rest ended gracefully at SIGTERM`, async () => {
  const token = "listens-" + crypto.randomUUID()
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: token })
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: ["m"], servers: { m: { command: BUN, args: [join(ROOT, "test", "fixtures", "servers", "modern-server.ts")], protocol: "modern" } } }))
  const run = await startHttpBinary(cfg, env)
  runs.push(run)
  const pid = run.proc.pid
  const fds = (): number => readdirSync(`/proc/${pid}/fd`).length
  const post = (method: string, params: Record<string, unknown>, id: number, signal?: AbortSignal): Promise<Response> => modernPost({ url: run.url, token, method, params, id, ...(signal ? { signal } : {}) })
  // the downstream is up (its tools listed) before the listens, so the count below is theirs alone
  expect(await until(async () => (await (await post("tools/list", {}, 1)).text()).includes("m__echo"), 20_000)).toBe(true)
  const idle = fds()

  const readings: Reading[] = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const abort = new AbortController()
      aborts.push(abort)
      const res = await post("subscriptions/listen", { notifications: { toolsListChanged: true } }, 1000 + i, abort.signal)
      expect(res.headers.get("content-type")).toContain("text/event-stream")
      const r: Reading = { id: 1000 + i, text: "", ended: false, abort }
      read(res.body!, r)
      return r
    }),
  )
  expect(await until(() => readings.every((r) => r.text.includes("notifications/subscriptions/acknowledged")), 30_000)).toBe(true)

  // one list change downstream reaches every listen
  expect(await (await post("tools/call", { name: "m__add_tool", arguments: { name: "extra" } }, 2)).text()).toContain("added")
  expect(await until(() => readings.every((r) => r.text.includes("notifications/tools/list_changed")), 30_000)).toBe(true)

  // half leave: their sockets are let go (what is left: the other half and a few of the runtime's)
  const [leaving, staying] = [readings.slice(0, N / 2), readings.slice(N / 2)]
  for (const r of leaving) r.abort.abort()
  expect(await until(() => fds() <= idle + staying.length + 8, 20_000)).toBe(true)

  // SIGTERM with the rest open: each ends with a complete result under its own id, and the process exits 0
  run.proc.kill("SIGTERM")
  expect(await run.proc.exited).toBe(0)
  expect(await until(() => staying.every((r) => r.ended), 10_000)).toBe(true)
  for (const r of staying) expect(r.text).toContain(`"id":${r.id},"result":{"resultType":"complete"}`)
}, 120_000)
