/**
 * @module test/docker/confirm-no-lock.test
 * server_enable / server_disable ask the user to confirm (`beforeChange`): the question may stay
 * open for minutes. Before qa355 it was asked inside the driver's mutation lock (`serial`), so every
 * other change of the same orchestrator (another enable, a disable, config_set) waited for the
 * user's answer. Now the driver looks, asks with no lock held, then takes the lock, looks again and
 * changes: another change goes through while the question is open, and the answer still counts.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
/** Generous: the other change takes well under a second on the fake; without the fix it never ends. */
const OPEN_MS = 20_000

function question(): { asked: Promise<void>; ask: () => Promise<void>; answer: () => void } {
  let said!: () => void
  let answer!: () => void
  const asked = new Promise<void>((r) => (said = r))
  const open = new Promise<void>((r) => (answer = r))
  return { asked, ask: () => (said(), open), answer: () => answer() }
}
const within = <T>(p: Promise<T>): Promise<T | "still waiting"> => Promise.race([p, new Promise<"still waiting">((r) => setTimeout(() => r("still waiting"), OPEN_MS))])

describe("a confirmation question holds no lock", () => {
  for (const c of [{ version: "v0.20.0" }, { version: "v0.43.3" }] as const) {
    test(`${c.version}: while server_enable's question is open, a disable goes through; then the enable is made`, async () => {
      const f = fake(c)
      const d = createToolkitDriver({ env: f.env })
      await d.serverEnable("time")
      const q = question()
      const enabling = d.serverEnable("duckduckgo", { beforeChange: q.ask })
      await q.asked
      expect(await within(d.serverDisable("time").then(() => "done"))).toBe("done")
      q.answer()
      expect((await enabling).unchanged).toBeFalsy()
      expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    }, 60_000)

    test(`${c.version}: while server_disable's question is open, an enable goes through; then the disable is made`, async () => {
      const f = fake(c)
      const d = createToolkitDriver({ env: f.env })
      await d.serverEnable("time")
      const q = question()
      const disabling = d.serverDisable("time", { beforeChange: q.ask })
      await q.asked
      expect(await within(d.serverEnable("duckduckgo").then(() => "done"))).toBe("done")
      q.answer()
      await disabling
      expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    }, 60_000)
  }

  test("a server enabled by another change while the question is open is not enabled again", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    const declined = question()
    const enabling = d.serverEnable("time", { beforeChange: declined.ask })
    await declined.asked
    // the same server enabled by another call while the user decides
    expect(await within(d.serverEnable("time").then(() => "done"))).toBe("done")
    declined.answer()
    expect((await enabling).unchanged).toBe(true)
    expect(f.argvLog().filter((a) => a.includes("add")).length).toBe(1)
  }, 60_000)
})
