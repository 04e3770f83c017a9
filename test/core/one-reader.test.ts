/**
 * The one reader of a path (core/plain-file `readPath`), run over every kind of path in both of
 * its modes: refusing anything but a regular file (state files: `readPlainFile`) and waiting for a
 * FIFO's writer (a file a person names: core/user-file). Each kind's outcome class is as the table
 * says, a symlink reads as what it points to, and nothing blocks (the child ends: else "HUNG").
 * Before, the two were twin readers that had drifted: a socket at a state file's path threw ENXIO
 * (taken as an unreadable file) where a named file said ENOTREG (not a file).
 * Run as another user when we are root, so that "no permission" is real.
 */
import { expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { tmpdir } from "node:os"
import { join } from "node:path"

const CHILD = join(import.meta.dir, "one-reader-kinds.ts")
const root = process.getuid?.() === 0

/** Each kind's outcome: [plain mode, user mode]. */
const EXPECTED: Record<string, [string, string]> = {
  regular: ["bytes:abc", "bytes:abc"],
  empty: ["bytes:", "bytes:"],
  "fifo-no-writer": ["ENOTREG", "ENOWRITER"],
  "fifo-writer": ["ENOTREG", "bytes:fed"],
  "dev-null": ["bytes:", "bytes:"],
  "char-device": ["ENOTREG", "ENOTREG"],
  socket: ["ENOTREG", "ENOTREG"],
  dir: ["EISDIR", "EISDIR"],
  missing: ["ENOENT", "ENOENT"],
  "no-permission": ["EACCES", "EACCES"],
}

test.skipIf(process.platform !== "linux")("every kind of path, directly and through a symlink, in both modes: the outcome class of the table, never a hang", () => {
  // as root, the child drops to nobody itself once its modules are loaded: started as nobody, it
  // could not read itself in a checkout under a 0700 dir (a clean clone in mktemp -d)
  const r = spawnSync(process.execPath, [CHILD], { cwd: tmpdir(), timeout: 60_000, killSignal: "SIGKILL", encoding: "utf8", ...(root ? { env: { ...process.env, HOME: "/tmp", ONE_READER_AS_UID: "65534" } } : {}) })
  if (r.signal === "SIGKILL") throw new Error("HUNG: a read blocked")
  if (r.status !== 0) throw new Error(r.stderr)
  const got = JSON.parse(r.stdout.trim()) as Record<string, string>
  const want: Record<string, string> = {}
  for (const [kind, [plain, user]] of Object.entries(EXPECTED)) {
    for (const k of [kind, `link-to-${kind}`]) {
      // link-to-missing: a dangling symlink reads as a missing file
      want[`${k} plain`] = plain
      want[`${k} user`] = user
    }
  }
  expect(got).toEqual(want)
})
