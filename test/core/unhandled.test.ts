/**
 * reportUnhandled, installed as main.ts installs it: a rejection nothing handled becomes one
 * redacted JSON line on stderr (not the runtime's dump with stack, source and cause chain), and the
 * process goes on.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"

test("an unhandled rejection quoting a secret: one redacted JSON line, the process goes on", async () => {
  const core = join(import.meta.dir, "..", "..", "src", "core", "index.ts")
  const script = `
    const { registerSecret } = await import(${JSON.stringify(core)})
    registerSecret("UnhandledSecret0123456789abcdef", "test")
    process.on("unhandledRejection", (reason) => void import(${JSON.stringify(core)}).then((m) => m.reportUnhandled(reason)))
    Promise.reject(new Error("bad auth: Bearer UnhandledSecret0123456789abcdef", { cause: new Error("deeper UnhandledSecret0123456789abcdef") }))
    setTimeout(() => { console.log("still running"); process.exit(0) }, 200)
  `
  const p = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  expect(code).toBe(0)
  expect(out.trim()).toBe("still running")
  const lines = err.split("\n").filter((l) => l.trim() !== "")
  expect(lines).toHaveLength(1)
  const rec = JSON.parse(lines[0]!) as { level: string; msg: string; error: string }
  expect(rec.level).toBe("error")
  expect(rec.msg).toContain("unhandled promise rejection")
  expect(rec.error).toContain("bad auth: Bearer [REDACTED]")
  expect(err).not.toContain("UnhandledSecret0123456789abcdef")
})
