/**
 * Regression (QA): a tool pins file that could not be written was one warning line without a word on
 * what to do, and nothing in orchestrator_status or doctor (pins silently lived in memory only,
 * forgotten at exit). Now the warning carries a remedy, `problem()` / `remedy()` say it (status
 * `pins.problem` / `pins.remedy`, doctor's row) until a write succeeds, and it is warned once.
 * (Tests run as root, where permissions do not deny: a file where the directory should be makes the
 * writes fail for real, and a directory root owns is written as nobody, via setpriv.)
 */
import { describe, expect, test } from "bun:test"
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ToolPins } from "../../src/catalog/index.ts"
import { captureLog, ROOT } from "./helpers.ts"

const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" } })

describe("a pins file that cannot be written", () => {
  test("a file where its directory should be: warned once with a remedy, shown as problem/remedy until a write succeeds", () => {
    const root = mkdtempSync(join(tmpdir(), "mcpo-pins-unwritable-"))
    const blocker = join(root, "state")
    writeFileSync(blocker, "not a directory")
    const path = join(blocker, "pins.json")
    const { log, records } = captureLog()
    const p = new ToolPins(path, "warn", log, { writeIntervalMs: 0 })
    p.gate("s", [tool("a", "one")])
    p.flush()
    p.gate("s", [tool("a", "one"), tool("b", "two")])
    p.flush()
    const warned = records.filter((r) => r.level === "warn" && r.msg.startsWith("cannot write the tool pins file"))
    expect(warned).toHaveLength(1)
    expect(warned[0]!.remedy).toContain("proxy.pinsFile")
    expect(p.problem()).toContain(`${path} cannot be written`)
    expect(p.remedy()).toContain("move it out of the way")
    expect(p.remedy()).toContain("MCPO_PROXY_PINS_FILE")
    // fixed: the next write succeeds, and the problem goes
    rmSync(blocker)
    mkdirSync(blocker)
    p.gate("s", [tool("a", "one"), tool("b", "two"), tool("c", "three")])
    p.flush()
    expect(p.problem()).toBeUndefined()
    expect(p.remedy()).toBeUndefined()
  })

  // a directory this user may not write (EACCES): run as nobody (tests run as root, where chmod does not deny)
  const setpriv = Bun.which("setpriv")
  // nobody must be able to read this checkout's sources and run bun (a checkout under a 0700
  // directory, as `mktemp -d` makes, cannot be: then there is nothing to run as nobody)
  const asNobody = (...argv: string[]) => Bun.spawnSync([setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups", ...argv], { cwd: tmpdir(), stderr: "pipe" })
  const nobodyReaches = setpriv !== null && process.getuid?.() === 0 && asNobody(process.execPath, "-e", `require("node:fs").accessSync(${JSON.stringify(join(ROOT, "src", "catalog", "index.ts"))}, 4)`).exitCode === 0
  test.skipIf(!nobodyReaches)("a directory this user may not write (as nobody): the remedy is to make it writable or set proxy.pinsFile", () => {
    const root = mkdtempSync(join(tmpdir(), "mcpo-pins-unwritable-"))
    chmodSync(root, 0o755)
    const path = join(root, "pins.json")
    const code = `const { ToolPins } = await import(${JSON.stringify(join(ROOT, "src", "catalog", "index.ts"))}); const { silentLogger } = await import(${JSON.stringify(join(ROOT, "src", "core", "index.ts"))});
      const p = new ToolPins(${JSON.stringify(path)}, "warn", silentLogger, { writeIntervalMs: 0 }); p.gate("s", [{ name: "a", description: "x", inputSchema: { type: "object" } }]); p.flush();
      console.log(JSON.stringify({ problem: p.problem(), remedy: p.remedy() }))`
    const r = asNobody(process.execPath, "-e", code)
    expect(r.exitCode).toBe(0)
    const out = JSON.parse(r.stdout.toString()) as { problem?: string; remedy?: string }
    expect(out.problem).toContain("EACCES")
    expect(out.remedy).toContain(`Make ${root}`)
    expect(out.remedy).toContain("proxy.pinsFile")
  })
})
