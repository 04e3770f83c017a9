/**
 * One wording for a place on disk that cannot be written (core/unwritable-fix), shared by the cache
 * directory, the stored first answer and the pins file: each errno gets its own fix, the setting
 * that moves the place is named in every case, and a file's own name is said where it matters.
 */
import { describe, expect, test } from "bun:test"
import { unwritableFix } from "../../src/core/index.ts"
import { unwritableRemedy } from "../../src/cache/index.ts"

const dir = "/home/u/.cache/mcpo"
const file = "/home/u/.local/state/mcpo/pins.json"

describe("unwritableFix", () => {
  const cases: Array<[string | undefined, string]> = [
    ["ENOSPC", "Free space on the disk holding"],
    ["EDQUOT", "Free space on the disk holding"],
    ["EROFS", "read-only file system"],
    ["ENOTDIR", "A file stands where"],
    ["EEXIST", "A file stands where"],
    ["EACCES", "writable by this user"],
    ["EPERM", "writable by this user"],
    ["ELOOP", "symbolic link that leads back to itself"],
    ["EFBIG", "file size limit (ulimit -f)"],
    [undefined, "writable by this user"],
  ]
  for (const [code, says] of cases)
    test(`${code ?? "no code"}: ${says}, and the setting`, () => {
      const fix = unwritableFix({ dir, setting: "x.dir (MCPO_X)" }, code)
      expect(fix).toContain(says)
      expect(fix).toContain(dir)
      expect(fix.endsWith("x.dir (MCPO_X)")).toBe(true)
    })

  test("a directory where the file should be is told so only when a file was written", () => {
    expect(unwritableFix({ dir, file, setting: "s" }, "EISDIR")).toBe(`${file} is a directory: move it out of the way, or set s`)
    // a directory written into cannot be "a directory": the errno came from elsewhere, permissions it is
    expect(unwritableFix({ dir, setting: "s" }, "EISDIR")).toContain(`Make ${dir} writable`)
  })

  test("the file is named beside its directory for permissions", () => {
    expect(unwritableFix({ dir, file, setting: "s" }, "EACCES")).toContain(`Make ${dir} (and ${file}, if it exists) writable`)
  })

  test("the cache's remedy goes on with where to point it and what it costs meanwhile", () => {
    const r = unwritableRemedy(dir, "EROFS")
    expect(r).toStartWith(`${dir} is on a read-only file system: set cache.dir (MCPO_CACHE_DIR, --cache-dir) to a writable directory, then restart.`)
    expect(r).toContain("memory only")
  })
})
