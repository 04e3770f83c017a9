/**
 * core/subreaper, in a process of its own (subreaper-probe.ts; Linux): `serve` becomes a child
 * subreaper, so a helper orphaned below it comes to it (not to init) and is counted as ours by
 * the shutdown sweep; once it ends it is reaped (not left a zombie); and a child Bun spawned keeps
 * its exit status, however often the adoption poll runs while it is a zombie.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"

describe.skipIf(process.platform !== "linux")("child subreaper", () => {
  test("orphans come to us and are ours; an ended one is reaped; a spawned child's exit code is Bun's", async () => {
    const p = Bun.spawn([process.execPath, join(import.meta.dir, "subreaper-probe.ts")], { stdout: "pipe", stderr: "pipe" })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    expect(err).toBe("")
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual({ subreaper: true, ownExit: 7, adoptedParent: "us", owned: true, reaped: true })
  }, 30_000)
})
