/**
 * A remote that answered `server/discover` as a 2026-07-28 server, then refuses that era's requests
 * (pool/era-refusal), and a 2025-era remote that forgets its sessions. Before: a -32022 reached the
 * client as a bare "Unsupported protocol version" with no fallback, call after call; a pinned
 * server's "Server not initialized" and a remote's lost session were worded as a stdio process
 * "restarted on the same pipes". Now: the 2025-11-25 era next, once (remembered, never back and
 * forth), the refused request sent once more there; words naming the url, what it said, what to do.
 * Raw Bun HTTP fixture (test/fixtures/hostile-remote.ts).
 */
import { afterEach, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { startHostileRemote, type HostileRemote, type ModernFaults } from "../fixtures/hostile-remote.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { captureLog, config } from "../proxy/helpers.ts"

let remote: HostileRemote | undefined
afterEach(() => remote?.stop())

function pool(faults: ModernFaults, protocol?: "modern"): Pool {
  remote = startHostileRemote(faults)
  const p = new Pool({ config: config({ pool: { callTimeout: 15_000, connectTimeout: 15_000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec: { url: remote.url, ...(protocol ? { protocol } : {}) } as ServerSpec })
  return p
}

const call = (p: Pool, text: string): Promise<unknown> => p.call("web", "tools/call", { name: "echo", arguments: { text } }, {})

describe("-32022 after server/discover", () => {
  test("naming a 2025-era version: the call goes through in the 2025-11-25 era, sent once more there", async () => {
    await using p = pool({ modern: "unsupported" })
    expect(await call(p, "hi")).toMatchObject({ content: [{ type: "text", text: "echo:hi" }] })
    expect(await call(p, "again")).toMatchObject({ content: [{ type: "text", text: "echo:again" }] })
    expect(remote!.discovers).toBe(1)
    expect(remote!.initializes).toBe(1)
  })

  test("naming nothing usable, and refused in the 2025 era too: fails with words, bounded (no loop)", async () => {
    await using p = pool({ modern: "unsupported", supported: [], legacyRefused: true })
    const e = await downstreamFailure(call(p, "hi"))
    expect(e.code).toBe("PROTOCOL_ERA")
    expect(e.message).toContain("server web serves neither era")
    expect(e.message).toContain("refused tools/call with -32022")
    const again = await downstreamFailure(call(p, "again"))
    expect(again.message).not.toBe("Unsupported protocol version")
    const before = remote!.requests
    await Bun.sleep(1500)
    // nothing asked by itself meanwhile (a loop would)
    expect(remote!.requests - before).toBeLessThanOrEqual(2)
    expect(remote!.discovers).toBe(1)
  })

  test("refused in both eras leaves no era verdict behind: the next start detects again and fails the same way", async () => {
    // before: the fallback wrote a legacy verdict before its start was tried, and kept it after
    // "serves neither era": the next start went to initialize unasked and failed with a bare refusal
    const eras = new MemoryEraStore()
    remote = startHostileRemote({ modern: "unsupported", supported: [], legacyRefused: true })
    const spec = { url: remote.url } as ServerSpec
    const open = (): Pool => {
      const p = new Pool({ config: config({ pool: { callTimeout: 15_000, connectTimeout: 15_000 } }), log: captureLog().log, eras })
      p.add({ name: "web", source: "config", spec })
      return p
    }
    {
      await using p = open()
      expect((await downstreamFailure(call(p, "hi"))).message).toContain("server web serves neither era")
    }
    expect(eras.get(spec)).toBeUndefined()
    await using next = open()
    const e = await downstreamFailure(call(next, "hi"))
    expect(e.message).toContain("server web serves neither era")
    expect(remote.discovers).toBe(2)
    expect(eras.get(spec)).toBeUndefined()
  })

  test("naming only revisions we do not speak: PROTOCOL_VERSION naming them, no fallback", async () => {
    await using p = pool({ modern: "unsupported", supported: ["2031-01-01"] })
    const e = await downstreamFailure(call(p, "hi"))
    expect(e.code).toBe("PROTOCOL_VERSION")
    expect(e.message).toContain(`server web (${remote!.url})`)
    expect(e.message).toContain('"2031-01-01"')
    expect(e.remedy).toContain("update the server")
    expect(remote!.initializes).toBe(0)
  })

  test("pinned modern: PROTOCOL_ERA saying to set protocol auto, no fallback", async () => {
    await using p = pool({ modern: "unsupported" }, "modern")
    const e = await downstreamFailure(call(p, "hi"))
    expect(e.code).toBe("PROTOCOL_ERA")
    expect(e.message).toContain('it supports "2025-11-25"')
    expect(e.remedy).toContain("servers.web.protocol: auto")
    expect(remote!.initializes).toBe(0)
  })
})

describe("'Server not initialized' from a remote is worded for HTTP", () => {
  test("after server/discover, pinned modern: the pin is the fault, not pipes", async () => {
    await using p = pool({ modern: "not-initialized" }, "modern")
    const e = await downstreamFailure(call(p, "hi"))
    expect(e.message).not.toContain("pipes")
    expect(e.message).toContain(remote!.url)
    expect(e.message).toContain("Server not initialized")
    expect(e.remedy).toContain("servers.web.protocol: auto")
  })

  test("after server/discover, probed: the call goes through in the 2025-11-25 era", async () => {
    await using p = pool({ modern: "not-initialized" })
    expect(await call(p, "hi")).toMatchObject({ content: [{ type: "text", text: "echo:hi" }] })
    expect(remote!.initializes).toBe(1)
  })

  test.each(["400", "200"] as const)("a 2025-era remote that forgot its session (HTTP %p): a new session, the call sent once more, no pipes", async (status) => {
    await using p = pool({ keepsSessions: status })
    expect(await call(p, "one")).toMatchObject({ content: [{ type: "text", text: "echo:one" }] })
    remote!.forget()
    const two = await call(p, "two").catch((e: unknown) => e)
    if (two instanceof Error) {
      // a refusal worded for HTTP: the url, what it said, what to do, never a process's pipes
      expect(two.message).not.toContain("pipes")
      expect(two.message).toContain(remote!.url)
      expect(two.message).toContain("Server not initialized")
      expect(await call(p, "three")).toMatchObject({ content: [{ type: "text", text: "echo:three" }] })
    } else expect(two).toMatchObject({ content: [{ type: "text", text: "echo:two" }] })
    expect(remote!.initializes).toBe(2)
  })
})
