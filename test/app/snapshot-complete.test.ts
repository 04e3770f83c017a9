/**
 * Only a complete tools/list answer becomes the snapshot the next start answers from: the proxy
 * says whether an answer was built with every server's list known (`toolsListing`, live: it turns
 * complete when the missing servers list and add nothing), and ToolSnapshot stores only such
 * answers (an incomplete one is held, and stored once it is complete), nothing after `close`.
 * The downstream is a fixture holding tools/list until a file appears: no timing involved.
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Tool } from "@modelcontextprotocol/client"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { loadConfig } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ListKind } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, config, ROOT, until } from "../proxy/helpers.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const gated = (...flags: string[]) => ({ command: BUN, args: [GATE_SERVER, ...flags] })
const tool = (name: string): Tool => ({ name, inputSchema: { type: "object", properties: {} } })

function snapshot() {
  const dir = tempDir("mcpo-snapc-")
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
  const loaded = loadConfig({ env })
  return { s: new ToolSnapshot(loaded, env), names: () => new ToolSnapshot(loaded, env).read()?.map((t) => t.name) }
}

describe("ToolSnapshot stores complete answers only", () => {
  test("an incomplete answer never replaces the stored one; it is stored once it turns out complete", () => {
    const { s, names } = snapshot()
    s.save([tool("a"), tool("b")], undefined, { complete: true })
    s.flush()
    expect(names()).toEqual(["a", "b"])
    const built = { complete: false }
    s.save([tool("a")], undefined, built)
    s.flush()
    expect(names()).toEqual(["a", "b"])
    // the proxy found it complete after all (the missing server listed and added nothing)
    built.complete = true
    s.completed()
    s.flush()
    expect(names()).toEqual(["a"])
  })

  test("a pending complete answer is still written when an incomplete one follows it", () => {
    const { s, names } = snapshot()
    s.save([tool("complete")], undefined, { complete: true })
    s.save([tool("partial")], undefined, { complete: false })
    s.flush()
    expect(names()).toEqual(["complete"])
  })

  test("close writes what is due, then nothing more (answers given while the orchestrator closes)", () => {
    const { s, names } = snapshot()
    const built = { complete: false }
    s.save([tool("late")], undefined, built)
    built.complete = true
    s.close()
    expect(names()).toEqual(["late"])
    s.save([tool("after-close")], undefined, { complete: true })
    s.flush()
    expect(names()).toEqual(["late"])
  })
})

describe("proxy toolsListing", () => {
  test("an answer given while a server lists is incomplete; complete once it listed and added nothing (onToolsComplete)", async () => {
    const gate = join(tempDir("mcpo-gate-"), "open")
    await using proxy = createProxy({ config: config({ servers: { quiet: gated("--no-tools", "--gate", gate) }, proxy: { listWait: 300 } }), log: silentLogger, closeGraceMs: 200 })
    let told = 0
    proxy.onToolsComplete(() => told++)
    expect(proxy.toolsListing()).toBeUndefined()
    expect(await proxy.listTools()).toEqual([])
    const listing = proxy.toolsListing()!
    expect(listing.complete).toBe(false)
    writeFileSync(gate, "")
    expect(await until(() => listing.complete, 10_000)).toBe(true)
    expect(told).toBe(1)
  }, 30_000)

  test("when the late server adds tools, that answer stays incomplete and the next one (after list_changed) is complete", async () => {
    const gate = join(tempDir("mcpo-gate-"), "open")
    await using proxy = createProxy({ config: config({ servers: { held: gated("--gate", gate) }, proxy: { listWait: 300 } }), log: silentLogger, closeGraceMs: 200 })
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))
    let told = 0
    proxy.onToolsComplete(() => told++)
    expect(await proxy.listTools()).toEqual([])
    const partial = proxy.toolsListing()!
    writeFileSync(gate, "")
    expect(await until(() => events.includes("tools"), 10_000)).toBe(true)
    expect(partial.complete).toBe(false)
    expect(told).toBe(0)
    expect((await proxy.listTools()).map((t) => t.name)).toContain("held__held_alpha")
    expect(proxy.toolsListing()!.complete).toBe(true)
  }, 30_000)

  test("a stored list counts as known: an answer from the store is complete", async () => {
    const stored = new Map<string, Tool[]>([["held", [tool("held_alpha")]]])
    const store = { load: async (s: string) => stored.get(s), save: async () => {}, invalidate: async () => {} }
    const gate = join(tempDir("mcpo-gate-"), "never")
    await using proxy = createProxy({ config: config({ servers: { held: gated("--gate", gate) }, warm: ["held"], proxy: { listWait: 300 } }), log: silentLogger, toolListStore: store, closeGraceMs: 200 })
    proxy.start()
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["held__held_alpha"])
    expect(proxy.toolsListing()!.complete).toBe(true)
  }, 30_000)
})

describe("an answer complete only by notes of earlier runs (proxy/silence) is served while they are trusted", () => {
  test("stored with `until`: read before it, not after; an answer without one is read as before", () => {
    const { s, names } = snapshot()
    s.save([tool("a")], undefined, { complete: true, until: Date.now() + 3600_000 })
    s.flush()
    expect(names()).toEqual(["a"])
    // the note it rested on is due to be checked again: a start waits for that server, not for this answer
    s.save([tool("a"), tool("b")], undefined, { complete: true, until: Date.now() - 1 })
    s.flush()
    expect(names()).toBeUndefined()
    s.save([tool("a"), tool("b")], undefined, { complete: true })
    s.flush()
    expect(names()).toEqual(["a", "b"])
  })
})
