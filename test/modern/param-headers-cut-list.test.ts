/**
 * A 2026-07-28 HTTP server's `Mcp-Param-*` declarations when its tool listing is cut short: the
 * server gives the same `nextCursor` on every page (the proxy stops at the repeated cursor), so the
 * listing never gets a page without a cursor. Its tools' declarations still take effect on the
 * connection: a call of the tool the pool sends with no definition from the proxy carries its
 * `Mcp-Param-Region` header (the SDK server refuses one without it, -32020). Before, declarations
 * took effect only with a page that had no cursor, so the call went out without the header.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { FileEraStore, Pool } from "../../src/pool/index.ts"
import { fetchList } from "../../src/proxy/fetch-list.ts"
import type { ListCut } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ROOT, until } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const dir = tempDir("mcpo-param-cut-")
let proc: ReturnType<typeof Bun.spawn> | undefined
let url = ""

beforeAll(async () => {
  const portFile = join(dir, "port")
  proc = Bun.spawn([BUN, MODERN, "http", portFile], { env: { ...process.env, MODERN_REPEAT_CURSOR: "1" }, stdio: ["ignore", "ignore", "inherit"] })
  expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
  url = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
}, 20_000)
afterAll(() => {
  proc?.kill()
  rmSync(dir, { recursive: true, force: true })
})

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

test("a listing cut at a repeated cursor: the listed tool's x-mcp-header argument still goes out in its Mcp-Param header", async () => {
  await using p = new Pool({ config: config({}), log: captureLog().log, eras: new FileEraStore(join(dir, "state")) })
  p.add({ name: "h", source: "config", spec: { url, protocol: "modern" } as ServerSpec })
  const cuts: ListCut[] = []
  const tools = await fetchList<{ name: string }>(p, "h", "tools/list", undefined, cuts)
  expect(tools.map((t) => t.name)).toContain("regional")
  expect(cuts).toEqual([expect.objectContaining({ list: "tools/list", why: "cursor" })])
  expect(text(await p.call("h", "tools/call", { name: "regional", arguments: { region: "eu-west-1" } }, {}))).toBe("region:eu-west-1")
  // a second listing, cut the same way, keeps them (its first page starts it afresh)
  await fetchList(p, "h", "tools/list", undefined, [])
  expect(text(await p.call("h", "tools/call", { name: "regional", arguments: { region: " Zürich " } }, {}))).toBe("region: Zürich ")
}, 30_000)
