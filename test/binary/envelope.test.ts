/**
 * The JSON-RPC envelope through the compiled binary, on both faces, over real pipes and sockets:
 * - a request whose id is not a string or a safe integer (null, 1.5, 1e300, 2^53, an object, an
 *   array, a boolean) gets -32600 Invalid Request with id null, never silence (the client hung);
 * - a batch is served as its messages over stdio, each answer on its own line (as HTTP serves it);
 *   an invalid batch is rejected whole on both faces, and over stdio each request in it with a
 *   usable id gets its own -32600 (no caller waits for an answer that never comes);
 * - a last stdin line without a line break before EOF is a message like any other, answered
 *   before the process exits;
 * - `"params": null` is no params (mcp.el sends it), on both faces, requests and notifications;
 * - over stdio, an invalid message without an `id` member gets no answer at all (some clients crash
 *   on an answer with id null), only a warning on stderr (1st, 10th…); not JSON is still -32700;
 * - a 2026-07-28 batch is refused on both faces (that revision has no batches).
 * stdout stays one JSON-RPC object per line throughout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv, startHttpBinary, type HttpBinary } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

type Msg = { jsonrpc: string; id?: unknown; result?: unknown; error?: { code: number; message: string }; method?: string }

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } })
const INITIALIZED = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })

/** Requests (as written on the wire) whose id no MCP peer accepts. */
const ODD_IDS = ["null", "1.5", "1e300", "9007199254740992", '{"a":1}', "[1]", "true", "false"]
const METHODS = ['"method":"ping"', '"method":"tools/list"', '"method":"tools/call","params":{"name":"orchestrator_status","arguments":{}}']
const oddLines = (): string[] => ODD_IDS.flatMap((id) => METHODS.map((m) => `{"jsonrpc":"2.0","id":${id},${m}}`))

/**
 * Spawns `serve` over stdio, writes `steps` (strings as they are, numbers are pauses in ms), closes
 * stdin and reads stdout to the end: every line must be one JSON-RPC 2.0 object.
 */
async function stdio(steps: (string | number)[]): Promise<{ msgs: Msg[]; code: number; stderr: string }> {
  const env = sandboxEnv()
  const p = Bun.spawn([BIN, "serve"], { stdin: "pipe", stdout: "pipe", stderr: "pipe", env, cwd: env.HOME })
  const out = Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  for (const s of steps) {
    if (typeof s === "number") await Bun.sleep(s)
    else {
      p.stdin.write(s)
      await p.stdin.flush()
    }
  }
  await p.stdin.end()
  const killer = setTimeout(() => p.kill("SIGKILL"), 15_000)
  const [stdout, stderr, code] = await out
  clearTimeout(killer)
  const lines = stdout.split("\n")
  expect(lines.pop()).toBe("") // every line ends with a line break
  const msgs = lines.map((l) => JSON.parse(l) as Msg)
  for (const m of msgs) {
    expect(Array.isArray(m)).toBe(false)
    expect(m.jsonrpc).toBe("2.0")
  }
  return { msgs, code, stderr }
}

const byId = (msgs: Msg[], id: unknown): Msg[] => msgs.filter((m) => m.id === id)
const invalidNull = (msgs: Msg[]): Msg[] => msgs.filter((m) => m.id === null && m.error?.code === -32600)

describe("stdio: odd request ids", () => {
  test("every odd id shape, on every kind of method, gets -32600 with id null; valid ids and notifications as before", async () => {
    const odd = oddLines()
    const { msgs, code } = await stdio([
      INIT + "\n" + INITIALIZED + "\n",
      odd.join("\n") + "\n",
      // valid ids still work: strings (empty too), 0, negative, the largest safe integer
      ['"s"', '""', "0", "-7", "9007199254740991"].map((id) => `{"jsonrpc":"2.0","id":${id},"method":"ping"}`).join("\n") + "\n",
      `{"jsonrpc":"2.0","id":"call","method":"tools/call","params":{"name":"orchestrator_status","arguments":{}}}\n`,
      // a usable id on an otherwise invalid request is answered with that id
      `{"jsonrpc":"2.0","id":41,"method":7}\n{"jsonrpc":"2.0","id":"42"}\n`,
      // an error response from the client (id null: about a message it could not read) is never answered
      `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}\n`,
      `{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}\n`,
    ])
    expect(code).toBe(0)
    const nulls = invalidNull(msgs)
    expect(nulls.length).toBe(odd.length)
    for (const m of nulls) expect(m.error!.message).toMatch(/^Invalid Request: "id" must be a string or an integer, got /)
    expect(nulls.map((m) => m.error!.message.replace(/.*, got /, "")).sort()).toEqual(
      ["null", "1.5", "1e+300", "9007199254740992", "an object", "an array", "true", "false"].flatMap((s) => [s, s, s]).sort(),
    )
    for (const id of ["s", "", 0, -7, 9007199254740991]) expect(byId(msgs, id)).toEqual([{ jsonrpc: "2.0", id, result: {} }])
    expect(byId(msgs, "call")[0]?.result).toBeDefined()
    expect(byId(msgs, 41)[0]?.error).toMatchObject({ code: -32600, message: 'Invalid Request: "method" must be a string' })
    expect(byId(msgs, "42")[0]?.error?.code).toBe(-32600)
    // initialize, five pings, the call, two usable-id errors, and the odd ones: nothing else
    expect(msgs.length).toBe(1 + 5 + 1 + 2 + odd.length)
  })

  test("params that are not an object (an array, a string, a number) get -32600 with the request's id, never silence", async () => {
    const shapes: [string, string][] = [["[]", "an array"], ['"x"', "a string"], ["5", "5"], ["true", "true"]]
    const lines = shapes.flatMap(([p], i) => METHODS.map((m, j) => `{"jsonrpc":"2.0","id":${100 + i * 10 + j},${m.replace(/,"params":.*$/, "")},"params":${p}}`))
    const { msgs, code } = await stdio([INIT + "\n" + INITIALIZED + "\n", lines.join("\n") + "\n", '{"jsonrpc":"2.0","id":"ok","method":"ping","params":{}}\n'])
    expect(code).toBe(0)
    shapes.forEach(([, shown], i) => {
      for (let j = 0; j < METHODS.length; j++) {
        expect(byId(msgs, 100 + i * 10 + j)).toEqual([{ jsonrpc: "2.0", id: 100 + i * 10 + j, error: { code: -32600, message: `Invalid Request: "params" must be an object when present, got ${shown}` } }])
      }
    })
    expect(byId(msgs, "ok")).toEqual([{ jsonrpc: "2.0", id: "ok", result: {} }])
  })

  test('"params": null is no params: every kind of request is served, a notification taken, in a batch too', async () => {
    const withNull = METHODS.map((m, j) => `{"jsonrpc":"2.0","id":${200 + j},${m.replace(/,"params":.*$/, "")},"params":null}`)
    const { msgs, code } = await stdio([
      // mcp.el's way: initialized and the lists with params null
      INIT + "\n" + '{"jsonrpc":"2.0","method":"notifications/initialized","params":null}\n',
      withNull.join("\n") + "\n",
      '{"jsonrpc":"2.0","id":210,"method":"prompts/list","params":null}\n{"jsonrpc":"2.0","id":211,"method":"resources/list","params":null}\n',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":null}\n',
      '[{"jsonrpc":"2.0","id":220,"method":"ping","params":null},{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":null}]\n',
    ])
    expect(code).toBe(0)
    expect(byId(msgs, 200)).toEqual([{ jsonrpc: "2.0", id: 200, result: {} }])
    expect((byId(msgs, 201)[0]?.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0)
    // a tools/call without params has no tool name: its params are wrong (-32602), not its envelope (-32600)
    expect(byId(msgs, 202)).toEqual([{ jsonrpc: "2.0", id: 202, error: { code: -32602, message: "tools/call needs params.name (string)" } }])
    expect(msgs.filter((m) => m.error && m.id !== 202)).toEqual([])
    expect(byId(msgs, 210)[0]?.result).toMatchObject({ prompts: expect.any(Array) })
    expect(byId(msgs, 211)[0]?.result).toMatchObject({ resources: expect.any(Array) })
    expect(byId(msgs, 220)).toEqual([{ jsonrpc: "2.0", id: 220, result: {} }])
    expect(msgs.length).toBe(1 + 3 + 2 + 1)
  })

  test("an invalid message without an id gets no answer (a warning on stderr instead); not JSON is still -32700 with id null", async () => {
    const noId = [
      '{"jsonrpc":"2.0","method":5}',
      '{"jsonrpc":"2.0","method":"notifications/progress","params":[1,2]}',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":"x"}',
      '{"jsonrpc":"2.0"}',
      '{"jsonrpc":"2.0","result":{}}',
      '{"method":"notifications/initialized"}',
      "5",
      '"text"',
      "null",
      "[]",
      '[{"jsonrpc":"2.0","method":7},{"jsonrpc":"2.0","method":"notifications/initialized"}]',
    ]
    const { msgs, code, stderr } = await stdio([INIT + "\n" + INITIALIZED + "\n", noId.join("\n") + "\n", "{nope\n", '{"jsonrpc":"2.0","id":"after","method":"ping"}\n'])
    expect(code).toBe(0)
    expect(msgs.filter((m) => m.id === null)).toEqual([{ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: invalid JSON" } }])
    expect(byId(msgs, "after")).toEqual([{ jsonrpc: "2.0", id: "after", result: {} }])
    expect(msgs.length).toBe(1 + 1 + 1)
    const warned = stderr.split("\n").filter((l) => l.includes("an invalid message without an id was not answered")).map((l) => JSON.parse(l) as { level: string; unansweredSoFar: number; problem: string })
    // the 1st and the 10th only: a client sending nothing else cannot flood the log
    expect(warned.map((w) => [w.level, w.unansweredSoFar])).toEqual([["warn", 1], ["warn", 10]])
    expect(warned[0]!.problem).toBe('"method" must be a string')
  })

  test("an initialize with an odd id, as the first line, is not answered early: -32600 id null, once; a proper one then works", async () => {
    for (const id of ["1e300", "null", "2.5"]) {
      const bad = INIT.replace('"id":1', `"id":${id}`)
      const { msgs } = await stdio([bad + "\n", 100, INIT + "\n"])
      expect(msgs.length).toBe(2)
      expect(msgs[0]).toMatchObject({ id: null, error: { code: -32600 } })
      expect(msgs[1]).toMatchObject({ id: 1, result: { serverInfo: { name: "mcp-orchestrator" } } })
    }
  })

  test("a message after leading white space is served (valid JSON), not rejected, and answered once", async () => {
    const { msgs } = await stdio([`  ${INIT}\n`, `\t{"jsonrpc":"2.0","id":2,"method":"ping"}\n`])
    expect(msgs).toHaveLength(2)
    expect(msgs[0]).toMatchObject({ id: 1, result: { serverInfo: { name: "mcp-orchestrator" } } })
    expect(msgs[1]).toEqual({ jsonrpc: "2.0", id: 2, result: {} })
  })
})

describe("stdio: batches", () => {
  test("a valid batch is served: each request answered on its own line, the notification not at all", async () => {
    const batch = [
      { jsonrpc: "2.0", id: 2, method: "ping" },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: "three", method: "tools/list" },
      { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "orchestrator_status", arguments: {} } },
    ]
    const { msgs } = await stdio([INIT + "\n", JSON.stringify(batch) + "\n"])
    expect(msgs.map((m) => m.id).sort()).toEqual([1, 2, 4, "three"].sort() as never)
    expect(byId(msgs, 2)[0]).toEqual({ jsonrpc: "2.0", id: 2, result: {} })
    expect((byId(msgs, "three")[0]?.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0)
    expect(byId(msgs, 4)[0]?.result).toBeDefined()
  })

  test("an invalid batch is rejected whole: each request with a usable id gets its own -32600, nothing in it runs", async () => {
    const { msgs } = await stdio([
      INIT + "\n",
      `[{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"orchestrator_status","arguments":{}}},{"jsonrpc":"2.0","id":1.5,"method":"ping"},{"jsonrpc":"2.0","id":"eleven","method":"ping"},7]\n`,
      // no usable id in it: one error, id null
      `[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":null,"method":"ping"}]\n`,
      // no item has an id: no one waits for an answer, none is sent
      "[]\n",
      `[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","method":7}]\n`,
      // initialize must be sent alone; ids are never used twice
      `[${INIT.replace('"id":1', '"id":20')},{"jsonrpc":"2.0","id":21,"method":"ping"}]\n`,
      `[{"jsonrpc":"2.0","id":30,"method":"ping"},{"jsonrpc":"2.0","id":30,"method":"tools/list"}]\n`,
    ])
    for (const id of [10, "eleven"]) {
      const a = byId(msgs, id)
      expect(a).toHaveLength(1)
      expect(a[0]!.error).toEqual({ code: -32600, message: 'Invalid Request: batch item 1: "id" must be a string or an integer, got 1.5' })
    }
    const nulls = invalidNull(msgs).map((m) => m.error!.message)
    expect(nulls).toEqual(['Invalid Request: batch item 1: "id" must be a string or an integer, got null'])
    for (const id of [20, 21]) expect(byId(msgs, id).map((m) => m.error)).toEqual([{ code: -32600, message: "Invalid Request: initialize must be sent alone" }])
    expect(byId(msgs, 30).map((m) => m.error?.message)).toEqual(["Invalid Request: batch items 0 and 1 use the same id 30", "Invalid Request: batch items 0 and 1 use the same id 30"])
    expect(msgs.length).toBe(1 + 2 + 1 + 2 + 2)
  })

  test("a 2026-07-28 batch is refused whole, as over HTTP: each request in it gets -32600 saying so; a legacy batch is still served", async () => {
    const modern = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
    const { msgs } = await stdio([
      INIT + "\n",
      JSON.stringify([
        { jsonrpc: "2.0", id: 50, method: "tools/list", params: { _meta: modern } },
        { jsonrpc: "2.0", id: 51, method: "server/discover", params: { _meta: modern } },
      ]) + "\n",
      // one modern item among legacy ones: nothing in it runs
      JSON.stringify([{ jsonrpc: "2.0", id: 52, method: "ping" }, { jsonrpc: "2.0", id: 53, method: "tools/call", params: { name: "orchestrator_status", arguments: {}, _meta: modern } }]) + "\n",
      JSON.stringify([{ jsonrpc: "2.0", id: 54, method: "ping" }]) + "\n",
    ])
    for (const id of [50, 51, 52, 53]) {
      expect(byId(msgs, id)).toEqual([{ jsonrpc: "2.0", id, error: { code: -32600, message: "Invalid Request: batches are not part of the 2026-07-28 protocol; send each request on its own line" } }])
    }
    expect(byId(msgs, 54)).toEqual([{ jsonrpc: "2.0", id: 54, result: {} }])
    expect(msgs.length).toBe(1 + 4 + 1)
  })

  test("a 2026-07-28 _meta protocolVersion that is not a string is -32602 saying so, not \"is required\"", async () => {
    const line = (id: number, v: unknown, caps: unknown = {}) => JSON.stringify({ jsonrpc: "2.0", id, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": v, "io.modelcontextprotocol/clientCapabilities": caps } } })
    const { msgs } = await stdio([[line(60, 20260728), line(61, ["2026-07-28"]), line(62, "2026-07-28", []), line(63, "2026-07-28", "all")].join("\n") + "\n"])
    const key = "io.modelcontextprotocol/protocolVersion"
    expect(byId(msgs, 60)[0]?.error).toEqual({ code: -32602, message: `Invalid params: _meta["${key}"] must be a string, got a number` })
    expect(byId(msgs, 61)[0]?.error).toEqual({ code: -32602, message: `Invalid params: _meta["${key}"] must be a string, got an array` })
    expect(byId(msgs, 62)[0]?.error).toEqual({ code: -32602, message: 'Invalid params: _meta["io.modelcontextprotocol/clientCapabilities"] must be an object, got an array' })
    expect(byId(msgs, 63)[0]?.error).toEqual({ code: -32602, message: 'Invalid params: _meta["io.modelcontextprotocol/clientCapabilities"] must be an object, got a string' })
  })
})

describe("stdio: a last line without a line break before EOF", () => {
  const PING = '{"jsonrpc":"2.0","id":9,"method":"ping"}'
  const CALL = '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"orchestrator_status","arguments":{}}}'
  const cases: [string, (string | number)[], (msgs: Msg[]) => void][] = [
    ["initialize alone", [INIT], (m) => expect(m).toMatchObject([{ id: 1, result: { serverInfo: { name: "mcp-orchestrator" } } }])],
    ["initialize alone, EOF later", [INIT, 300], (m) => expect(m).toMatchObject([{ id: 1, result: {} }])],
    ["a request alone (no initialize)", [PING], (m) => expect(m).toEqual([{ jsonrpc: "2.0", id: 9, result: {} }])],
    ["a request after initialize, in the same write", [`${INIT}\n${PING}`], (m) => expect(byId(m, 9)).toEqual([{ jsonrpc: "2.0", id: 9, result: {} }])],
    ["a tools/call once the orchestrator is up", [`${INIT}\n`, 300, CALL], (m) => expect(byId(m, 9)[0]?.result).toBeDefined()],
    ["a line cut in two writes", [`${INIT}\n`, 200, '{"jsonrpc":"2.0",', 100, '"id":9,"method":"ping"}'], (m) => expect(byId(m, 9)).toEqual([{ jsonrpc: "2.0", id: 9, result: {} }])],
    ["ended by a carriage return only", [`${INIT}\r\n`, 200, `${PING}\r`], (m) => expect(byId(m, 9)).toEqual([{ jsonrpc: "2.0", id: 9, result: {} }])],
    ["a batch", [`${INIT}\n`, 200, `[${PING},{"jsonrpc":"2.0","id":10,"method":"ping"}]`], (m) => expect(m.map((x) => x.id).sort()).toEqual([1, 10, 9] as never)],
    ["an odd id", [`${INIT}\n`, 200, '{"jsonrpc":"2.0","id":1.5,"method":"ping"}'], (m) => expect(invalidNull(m)).toHaveLength(1)],
    ["not JSON", [`${INIT}\n`, 200, "{nope"], (m) => expect(m.filter((x) => x.error?.code === -32700)).toHaveLength(1)],
  ]
  for (const [name, steps, check] of cases) {
    test(name, async () => {
      const r = await stdio(steps)
      expect(r.code).toBe(0)
      check(r.msgs)
    })
  }
})

describe("HTTP: the same envelope rules", () => {
  let h: HttpBinary | undefined
  const TOKEN = "envelope-test-token-0123456789"
  const headers = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" }
  let session: Record<string, string>
  beforeAll(async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    const cfg = join(env.HOME!, "c.json")
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false } }))
    h = await startHttpBinary(cfg, env)
    const init = await fetch(h.url, { method: "POST", headers, body: INIT })
    expect(init.status).toBe(200)
    await init.body?.cancel()
    session = { ...headers, "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18" }
  })
  afterAll(() => {
    h?.proc.kill("SIGTERM")
  })

  /** POSTs `body` and reads the answer (never waits more than 5 s: a request left unanswered fails, not hangs). */
  async function post(body: string, hs: Record<string, string> = session): Promise<{ status: number; json: unknown }> {
    const r = await fetch(h!.url, { method: "POST", headers: hs, body, signal: AbortSignal.timeout(5000) })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : undefined }
  }

  test("every odd id shape, legacy session or 2026-07-28 request: 400, -32600, id null, the stdio face's message", async () => {
    for (const line of oddLines()) {
      const r = await post(line)
      expect(r.status).toBe(400)
      expect(r.json).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } })
      expect((r.json as Msg).error!.message).toMatch(/^Invalid Request: "id" must be a string or an integer, got /)
    }
    for (const id of ODD_IDS) {
      const body = `{"jsonrpc":"2.0","id":${id},"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`
      const m = await post(body, { ...headers, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" })
      expect(m.status).toBe(400)
      expect(m.json).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } })
    }
    // a valid id still works
    expect((await post('{"jsonrpc":"2.0","id":9007199254740991,"method":"ping"}')).json).toEqual({ jsonrpc: "2.0", id: 9007199254740991, result: {} })
  })

  test("params that are not an object: 400, -32600 with the request's id, legacy session and 2026-07-28 request", async () => {
    for (const [p, shown] of [["[]", "an array"], ['"x"', "a string"], ["5", "5"]] as const) {
      const r = await post(`{"jsonrpc":"2.0","id":7,"method":"ping","params":${p}}`)
      expect(r.status).toBe(400)
      expect(r.json).toEqual({ jsonrpc: "2.0", id: 7, error: { code: -32600, message: `Invalid Request: "params" must be an object when present, got ${shown}` } })
      const m = await post(`{"jsonrpc":"2.0","id":8,"method":"tools/list","params":${p}}`, { ...headers, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" })
      expect(m.status).toBe(400)
      expect(m.json).toMatchObject({ jsonrpc: "2.0", id: 8, error: { code: -32600 } })
    }
  })

  test('"params": null is no params: a request is served, a notification accepted, in a batch too', async () => {
    expect(await post('{"jsonrpc":"2.0","id":70,"method":"ping","params":null}')).toEqual({ status: 200, json: { jsonrpc: "2.0", id: 70, result: {} } })
    const list = await post('{"jsonrpc":"2.0","id":71,"method":"tools/list","params":null}')
    expect(list.status).toBe(200)
    expect((list.json as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0)
    expect((await post('{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":null}')).status).toBe(202)
    const batch = await post('[{"jsonrpc":"2.0","id":72,"method":"ping","params":null},{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":null}]')
    expect(batch).toEqual({ status: 200, json: [{ jsonrpc: "2.0", id: 72, result: {} }] })
  })

  test("initialize on a session already initialized: 400 -32600 answered with the request's id", async () => {
    const r = await post(INIT.replace('"id":1', '"id":"again"'))
    expect(r).toEqual({ status: 400, json: { jsonrpc: "2.0", id: "again", error: { code: -32600, message: "Invalid Request: the session is already initialized" } } })
  })

  test("a 2026-07-28 _meta protocolVersion that is a number is -32602 'must be a string', as over stdio", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 80, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": 20260728, "io.modelcontextprotocol/clientCapabilities": {} } } })
    const r = await post(body, { ...headers, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" })
    expect((r.json as Msg).error).toEqual({ code: -32602, message: 'Invalid params: _meta["io.modelcontextprotocol/protocolVersion"] must be a string, got a number' })
  })

  test("a 2026-07-28 batch: 400 -32600 saying that revision has no batches (the stdio face says the same)", async () => {
    const modern = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
    const r = await post(JSON.stringify([{ jsonrpc: "2.0", id: 90, method: "tools/list", params: { _meta: modern } }]), { ...headers, "mcp-protocol-version": "2026-07-28" })
    expect(r.status).toBe(400)
    expect((r.json as Msg).error?.message).toStartWith("Invalid Request: batches are not part of the 2026-07-28 protocol; send each request in its own POST")
  })

  test("a valid batch is served (one array); an invalid one rejected whole with the stdio face's reason", async () => {
    const ok = await post('[{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","id":"three","method":"ping"}]')
    expect(ok.status).toBe(200)
    expect((ok.json as Msg[]).map((m) => m.id).sort()).toEqual([2, "three"].sort() as never)
    for (const [body, message] of [
      ['[{"jsonrpc":"2.0","id":10,"method":"ping"},{"jsonrpc":"2.0","id":1.5,"method":"ping"}]', 'Invalid Request: batch item 1: "id" must be a string or an integer, got 1.5'],
      ['[{"jsonrpc":"2.0","id":30,"method":"ping"},{"jsonrpc":"2.0","id":30,"method":"tools/list"}]', "Invalid Request: batch items 0 and 1 use the same id 30"],
      ["[]", "Invalid Request: empty batch"],
    ] as const) {
      const r = await post(body)
      expect(r.status).toBe(400)
      expect(r.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message } })
    }
  })
})
