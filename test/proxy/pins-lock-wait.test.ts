/**
 * Regression (QA qa287): a pins write that found the file's lock held by another instance (a live
 * one mid-write, or a lock a killed one left that does not look stale yet) waited for it
 * synchronously, up to 2 s: the listing that took a changed definition (written at once) returned
 * only then, and meanwhile the event loop, every server's calls, stood still; then the file was
 * written unlocked anyway. Now the write waits for the lock without blocking: the listing returns at
 * once, and the file is written, under the lock, once the other holder is done.
 */
import { expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ToolPins } from "../../src/catalog/index.ts"
import { startedAt } from "../../src/core/descendants.ts"
import { captureLog, until } from "./helpers.ts"

const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" } })

test("a changed definition is written once another instance's lock is released, without blocking the listing", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "mcpo-pins-lock-")), "pins.json")
  const { log } = captureLog()
  const first = new ToolPins(path, "warn", log, { writeIntervalMs: 0 })
  first.gate("s", [tool("a", "one")])
  first.flush()
  const holder = Bun.spawn(["sleep", "30"])
  try {
    // another instance inside its section: a live writer, a fresh lock
    writeFileSync(`${path}.lock`, `${holder.pid} ${startedAt(holder.pid!)}`)
    const p = new ToolPins(path, "warn", log, { writeIntervalMs: 0 })
    let ticks = 0
    const tick = setInterval(() => ticks++, 1)
    p.gate("s", [tool("a", "two")]) // a change: written at once, if the lock can be had
    // the listing returned with the write still waiting for the lock (before: written unlocked, 2 s later)
    expect(readFileSync(path, "utf8")).not.toContain(hashOf(p))
    await until(() => ticks >= 3, 10_000, 5) // the event loop runs meanwhile
    expect(readFileSync(path, "utf8")).not.toContain(hashOf(p))
    clearInterval(tick)
    rmSync(`${path}.lock`) // the other instance is done
    expect(await until(() => readFileSync(path, "utf8").includes(hashOf(p)), 10_000, 10)).toBe(true)
    expect(existsSync(`${path}.lock`)).toBe(false) // it was written under its lock, which is gone now
  } finally {
    holder.kill()
  }
})

/** The 12 hex digits of the pin `p` holds for s/a (pins list shows them). */
function hashOf(p: ToolPins): string {
  return p.list().find((x) => x.server === "s" && x.tool === "a")!.hash
}
