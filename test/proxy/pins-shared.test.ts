/**
 * The pins file is shared by every orchestrator instance of the user (one state directory, several
 * editor windows). Each merges its new pins into the file it read again before writing; without a
 * lock around that read and the write, two instances writing at about the same time lost one's
 * pins (the later rename won), and a lost pin is a tool first seen again later: a rug pull in
 * between goes unnoticed. Real processes write at once; then a fresh reader must hold every pin.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { ToolPins } from "../../src/catalog/index.ts"

const WRITER = join(import.meta.dir, "..", "fixtures", "pins-writer.ts")
const dir = mkdtempSync(join(tmpdir(), "pins-shared-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test("three processes pinning at the same moment: no pin is lost", async () => {
  const path = join(dir, "pins.json")
  const count = 60
  const startAt = Date.now() + 1500
  const servers = ["a", "b", "c"]
  const procs = servers.map((s) => Bun.spawn([process.execPath, WRITER, path, s, String(count), String(startAt)], { stdout: "pipe", stderr: "pipe" }))
  const outs = await Promise.all(procs.map(async (p) => ({ out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text(), code: await p.exited })))
  for (const o of outs) expect(o).toMatchObject({ out: "done\n", code: 0 })
  const pinned = new ToolPins(path, "block", silentLogger).list()
  const missing = servers.flatMap((s) => Array.from({ length: count }, (_, i) => `${s}/t${i}`)).filter((k) => !pinned.some((p) => `${p.server}/${p.tool}` === k))
  expect(missing).toEqual([])
  expect(existsSync(`${path}.lock`)).toBe(false)
}, 60_000)
