/**
 * Promise jobs a hook queues and does not wait for (QA 18): a synchronous hook's `.then` stayed
 * queued after its call and ran at the start of the next call that settled a promise — in that
 * call's deadline, so an endless job made an innocent later call time out. They now run within the
 * call that queued them (its deadline, its fault), on both lanes; the next call starts clean.
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { Sandbox, SandboxFault } from "../../src/sandbox/index.ts"

const MODULE = `let done = 0
export default {
  // sync: returns at once, leaves a job queued
  leave() { Promise.resolve().then(() => { done++ }); return "left" },
  spin() { Promise.resolve().then(() => { for (;;) {} }); return "spun" },
  done() { return done },
  // async: settles a promise of its own
  async later() { return "later" },
  // async, pending until its own jobs run
  async wait() { await null; return "waited" },
}`

const fault = async (p: Promise<unknown> | (() => unknown)): Promise<unknown> => {
  try {
    return typeof p === "function" ? p() : await p
  } catch (e) {
    return e
  }
}

describe("a hook's queued promise jobs run within its own call", () => {
  test("async lane: a job left by a sync hook has run when its call returns", async () => {
    await using sb = new Sandbox({ label: "jobs", log: silentLogger })
    await sb.load(MODULE, "jobs.js", 1000)
    expect(await sb.call(["leave"], [], 500)).toBe("left")
    expect(await sb.call(["done"], [], 500)).toBe(1)
  })

  test("async lane: an endless job fails the call that queued it, not the next one", async () => {
    await using sb = new Sandbox({ label: "jobs", log: silentLogger })
    await sb.load(MODULE, "jobs.js", 1000)
    const e = await fault(sb.call(["spin"], [], 200))
    expect(e).toBeInstanceOf(SandboxFault)
    expect((e as SandboxFault).kind).toBe("timeout")
    // a later call that runs promise jobs does not inherit the endless one
    expect(await sb.call(["wait"], [], 200)).toBe("waited")
    expect(await sb.call(["later"], [], 200)).toBe("later")
  })

  test("sync lane: the same", async () => {
    await using sb = new Sandbox({ label: "jobs-sync", log: silentLogger })
    await sb.load(MODULE, "jobs.js", 1000)
    expect(sb.callSync(["leave"], [], 500)).toBe("left")
    expect(sb.callSync(["done"], [], 500)).toBe(1)
    const e = await fault(() => sb.callSync(["spin"], [], 200))
    expect((e as SandboxFault).kind).toBe("timeout")
    expect(sb.callSync(["wait"], [], 200)).toBe("waited")
    expect(sb.callSync(["later"], [], 200)).toBe("later")
  })
})
