/**
 * core/special-file through its users: `writeFileAtomic` and `keepAside` never replace or move a
 * device, a FIFO or a socket (a state file set to /dev/null); a regular file and a symbolic link are
 * replaced as before (the link itself, never what it points to).
 */
import { afterAll, expect, test } from "bun:test"
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { keepAside, NOT_REGULAR, unwritableFix, writeFileAtomic } from "../../src/core/index.ts"

const dir = mkdtempSync(join(tmpdir(), "special-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test("a FIFO is neither written over nor kept aside; the error says what it is, and the remedy names the setting", () => {
  const fifo = join(dir, "state.json")
  expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0)
  let err: NodeJS.ErrnoException | undefined
  try {
    writeFileAtomic(fifo, "{}")
  } catch (e) {
    err = e as NodeJS.ErrnoException
  }
  expect(err?.code).toBe(NOT_REGULAR)
  expect(err?.message).toBe(`${fifo} is a FIFO, not a regular file: it is left as it is`)
  expect(lstatSync(fifo).isFIFO()).toBe(true)
  expect(keepAside(fifo)).toBeUndefined()
  expect(lstatSync(fifo).isFIFO()).toBe(true)
  expect(unwritableFix({ dir, file: fifo, setting: "proxy.pinsFile" }, NOT_REGULAR)).toBe(`${fifo} is a device, a FIFO or a socket, not a regular file (it is left as it is): set proxy.pinsFile`)
})

test("a regular file and a symbolic link are still replaced (the link itself, not its target)", () => {
  const file = join(dir, "a.json")
  writeFileSync(file, "old")
  writeFileAtomic(file, "new")
  expect(readFileSync(file, "utf8")).toBe("new")
  const target = join(dir, "target.json")
  writeFileSync(target, "kept")
  const link = join(dir, "link.json")
  symlinkSync(target, link)
  writeFileAtomic(link, "written")
  expect(lstatSync(link).isFile()).toBe(true)
  expect(readFileSync(target, "utf8")).toBe("kept")
  expect(() => readlinkSync(link)).toThrow()
})
