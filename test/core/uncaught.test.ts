/**
 * An exception thrown in a callback nothing caught, with the nets main.ts installs (src/process-nets):
 * one redacted JSON line on stderr (not the runtime's dump with source lines and the secret it
 * quotes); `serve` goes on (before: the runtime ended it with exit 1, the client's whole session
 * and its downstreams with it), any other command exits 1.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"

const SRC = join(import.meta.dir, "..", "..", "src")
const SECRET = "UncaughtSecret0123456789abcdef"

async function run(serving: boolean, throws = `setTimeout(() => { throw new Error("bad auth: Bearer ${SECRET}") }, 10)`, endsAfterMs = 1500): Promise<{ out: string; err: string; code: number }> {
  const script = `
    const { registerSecret } = await import(${JSON.stringify(join(SRC, "core", "index.ts"))})
    registerSecret(${JSON.stringify(SECRET)}, "test")
    const { installProcessNets } = await import(${JSON.stringify(join(SRC, "process-nets.ts"))})
    installProcessNets(${serving})
    ${throws}
    setTimeout(() => { console.log("still running"); process.exit(0) }, ${endsAfterMs})
  `
  const p = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { out, err, code }
}

function onlyLine(err: string): { level: string; msg: string; error: string } {
  const lines = err.split("\n").filter((l) => l.trim() !== "")
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0]!) as { level: string; msg: string; error: string }
}

test("serve: an uncaught exception quoting a secret is one redacted line, and the process goes on", async () => {
  const { out, err, code } = await run(true)
  expect(err).not.toContain(SECRET)
  const rec = onlyLine(err)
  expect(rec.level).toBe("error")
  expect(rec.msg).toContain("the process goes on")
  expect(rec.error).toContain("bad auth: Bearer [REDACTED]")
  expect(out.trim()).toBe("still running")
  expect(code).toBe(0)
})

test("another command: the same redacted line, then exit 1", async () => {
  const { out, err, code } = await run(false)
  expect(err).not.toContain(SECRET)
  expect(onlyLine(err).msg).toContain("exiting")
  expect(out).toBe("")
  expect(code).toBe(1)
})

test("serve: a callback that throws every time it runs ends the process (exit 1) after a bounded burst of lines, not a spin of errors", async () => {
  const { UNCAUGHT_BURST } = await import("../../src/process-nets.ts")
  // (the "still running" exit is 20 s away: the burst ends it long before, however loaded the machine)
  const { out, err, code } = await run(true, `setInterval(() => { throw new Error("tick: Bearer ${SECRET}") }, 1)`, 20_000)
  expect(err).not.toContain(SECRET)
  const lines = err.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as { msg: string })
  expect(lines).toHaveLength(UNCAUGHT_BURST + 1)
  expect(lines.at(-1)!.msg).toContain("exiting")
  expect(lines.slice(0, -1).every((l) => l.msg.includes("the process goes on"))).toBe(true)
  expect(out).toBe("")
  expect(code).toBe(1)
})
