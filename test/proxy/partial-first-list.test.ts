/**
 * A server's first tools listing that fails after some pages were read (page 1 listed, page 2 an
 * error): the tools of the pages read are served at once (a client that lists once, as Cursor does,
 * would otherwise get none of that server's tools for the session), the status says the list was cut
 * by a failed page, and the failure is still counted and retried: once a listing succeeds, the whole
 * list replaces the partial one and the cut is gone. A server that listed before keeps its whole
 * previous list when a later page of a relist fails (nothing of a partial relist is taken).
 * A first listing whose later page is not answered yet when a list's wait runs out (a slow page, or
 * one never answered) serves the pages read too: before, that list (the first, which Cursor keeps)
 * and every list until the page's timeout (60 s) had none of the server's tools.
 */
import { describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, config, ctx, ROOT, until } from "./helpers.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

describe("a first listing whose second page fails", () => {
  test("serves the first page's tools, says so in the status, and takes the whole list once a retry succeeds", async () => {
    const fixed = join(tempDir("mcpo-partial-"), "fixed")
    const cfg = config({
      servers: {
        paged: { command: BUN, args: [GATE_SERVER, "--paged", "--page2-error", "page 2 is down", "--error-unless", fixed] },
        other: { command: BUN, args: [GATE_SERVER] },
      },
      pool: { restartDelay: 100, restartDelayMax: 300 },
      proxy: { listWait: 20_000 },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const first = (await proxy.listTools()).map((t) => t.name)
    // the first answer: the pages read before the failure, and the other server whole
    expect(first).toEqual(expect.arrayContaining(["paged__held_alpha", "paged__held_beta", "other__held_alpha", "other__echo"]))
    expect(first.filter((n) => n.startsWith("paged__"))).toHaveLength(2)
    const row = proxy.status().servers.find((s) => s.name === "paged")!
    expect(row.truncated).toEqual([{ list: "tools/list", pages: 1, items: 2, why: "failed" }])
    expect(row.failures).toBeGreaterThan(0)
    expect(row.lastError).toContain("page 2 is down")
    // the server's page 2 comes back: a retry takes the whole list and the cut goes
    writeFileSync(fixed, "")
    expect(await until(async () => (await proxy.listTools()).filter((t) => t.name.startsWith("paged__")).length === 5, 20_000, 100)).toBe(true)
    expect(proxy.status().servers.find((s) => s.name === "paged")!.truncated).toBeUndefined()
  }, 40_000)

  test("a server that listed whole before keeps that list when page 2 of a relist fails", async () => {
    const fixed = join(tempDir("mcpo-partial-"), "fixed")
    writeFileSync(fixed, "")
    const cfg = config({
      servers: { paged: { command: BUN, args: [GATE_SERVER, "--paged", "--page2-error", "page 2 is down", "--error-unless", fixed] } },
      pool: { restartDelay: 100, restartDelayMax: 300 },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name)).toHaveLength(5)
    rmSync(fixed)
    // the relist after its list_changed fails on page 2: the whole previous list stays
    await proxy.callTool("paged__announce", {}, ctx())
    expect(await until(() => (proxy.status().servers[0]!.failures ?? 0) > 0, 20_000)).toBe(true)
    expect((await proxy.listTools()).map((t) => t.name)).toHaveLength(5)
    expect(proxy.status().servers[0]!.truncated).toBeUndefined()
  }, 40_000)
})

describe("a first listing whose second page is not answered yet", () => {
  test("a list answered meanwhile has the first page's tools, the status says a page is awaited; the whole list once it comes", async () => {
    const gate = join(tempDir("mcpo-awaited-"), "page2")
    const cfg = config({
      servers: {
        paged: { command: BUN, args: [GATE_SERVER, "--paged", "--page2-gate", gate] },
        other: { command: BUN, args: [GATE_SERVER] },
      },
      proxy: { listWait: 1_000 },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const first = (await proxy.listTools()).map((t) => t.name)
    expect(first).toEqual(expect.arrayContaining(["paged__held_alpha", "paged__held_beta", "other__held_alpha", "other__echo"]))
    expect(first.filter((n) => n.startsWith("paged__"))).toHaveLength(2)
    const row = proxy.status().servers.find((s) => s.name === "paged")!
    expect(row.truncated).toEqual([{ list: "tools/list", pages: 1, items: 2, why: "awaited" }])
    expect(row.failures).toBe(0)
    // page 2 comes: the listing ends with the whole list, and the cut goes
    writeFileSync(gate, "")
    expect(await until(async () => (await proxy.listTools()).filter((t) => t.name.startsWith("paged__")).length === 5, 20_000, 100)).toBe(true)
    expect(proxy.status().servers.find((s) => s.name === "paged")!.truncated).toBeUndefined()
  }, 40_000)
})

describe("a first listing of prompts, resources or templates whose second page is not answered yet", () => {
  test("lists answered meanwhile have the first page's items; the whole lists once the pages come", async () => {
    const gate = join(tempDir("mcpo-awaited-"), "page2")
    const cfg = config({
      servers: { paged: { command: BUN, args: [GATE_SERVER, "--with-lists", "--lists-page2-gate", gate] } },
      proxy: { listWait: 1_000 },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect((await proxy.listPrompts()).map((p) => p.name)).toEqual(["paged__held_prompt"])
    expect((await proxy.listResources()).map((r) => r.uri)).toEqual(["held://doc"])
    expect((await proxy.listResourceTemplates()).map((t) => t.uriTemplate)).toEqual(["held://doc/{id}"])
    expect(proxy.status().servers[0]!.truncated).toEqual(
      expect.arrayContaining([
        { list: "prompts/list", pages: 1, items: 1, why: "awaited" },
        { list: "resources/list", pages: 1, items: 1, why: "awaited" },
      ]),
    )
    writeFileSync(gate, "")
    expect(await until(async () => (await proxy.listPrompts()).length === 2 && (await proxy.listResources()).length === 2 && (await proxy.listResourceTemplates()).length === 2, 20_000, 100)).toBe(true)
    expect(proxy.status().servers[0]!.truncated).toBeUndefined()
  }, 40_000)
})
