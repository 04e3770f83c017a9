/**
 * Child of one-reader.test.ts: makes one path of each kind in a fresh temp dir (and a symlink to
 * each), reads each through the one reader in both modes (core/plain-file `readPlainFile`, and
 * core/user-file `readUserFile` which waits for a FIFO's writer), and prints what each read gave as
 * JSON `{ "<kind> <mode>": "bytes:<text>" | "<code>" }`. In a child so that a read that blocks is
 * seen as the child not ending, and so that it can run as another user (a file it may not read).
 */
import { spawn } from "node:child_process"
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { readPlainFile } from "../../src/core/plain-file.ts"
import { readUserFile } from "../../src/core/user-file.ts"

// run as root, drop to the user given (the test's nobody) now that the modules are loaded: "no
// permission" is then real (root reads any file)
const asUid = Number(process.env.ONE_READER_AS_UID ?? NaN)
if (Number.isInteger(asUid)) {
  process.setgid!(asUid)
  process.setuid!(asUid)
}
const dir = mkdtempSync(join(tmpdir(), "qa-one-reader-"))
const mk = (name: string, make: (p: string) => void): string => {
  const p = join(dir, name)
  make(p)
  return p
}
const fifo = (p: string): void => {
  const r = Bun.spawnSync(["mkfifo", p])
  if (r.exitCode !== 0) throw new Error(`mkfifo ${p}`)
}
const server = createServer()
const sock = join(dir, "socket")
await new Promise<void>((r) => server.listen(sock, r))

const kinds: Record<string, { path: string; writer?: string }> = {
  regular: { path: mk("regular", (p) => writeFileSync(p, "abc")) },
  empty: { path: mk("empty", (p) => writeFileSync(p, "")) },
  "fifo-no-writer": { path: mk("fifo-idle", fifo) },
  "fifo-writer": { path: mk("fifo-fed", fifo), writer: "fed" },
  "dev-null": { path: "/dev/null" },
  "char-device": { path: "/dev/zero" },
  socket: { path: sock },
  dir: { path: mk("dir", (p) => Bun.spawnSync(["mkdir", p])) },
  missing: { path: join(dir, "missing") },
  ...(process.getuid?.() !== 0 ? { "no-permission": { path: mk("secret", (p) => (writeFileSync(p, "x"), chmodSync(p, 0))) } } : {}),
}
for (const [kind, k] of Object.entries({ ...kinds })) kinds[`link-to-${kind}`] = { ...k, path: mk(`link-${kind}`, (p) => symlinkSync(k.path, p)) }

const out: Record<string, string> = {}
for (const [kind, { path, writer }] of Object.entries(kinds)) {
  for (const mode of ["plain", "user"] as const) {
    // a FIFO's writer: another process, as the read below holds this one (a fresh FIFO each time)
    const real = writer ? mk(`fifo-${kind}-${mode}`, fifo) : path
    const target = writer && kind.startsWith("link-to-") ? mk(`link-fifo-${kind}-${mode}`, (p) => symlinkSync(real, p)) : real
    const w = writer ? spawn("sh", ["-c", `printf ${writer} > "$0"`, real], { stdio: "ignore" }) : undefined
    try {
      const bytes = mode === "plain" ? readPlainFile(target, 1 << 20) : readUserFile(target, 1 << 20, 3_000)
      out[`${kind} ${mode}`] = `bytes:${Buffer.from(bytes).toString("utf8")}`
    } catch (e) {
      out[`${kind} ${mode}`] = String((e as NodeJS.ErrnoException).code ?? e)
    } finally {
      w?.kill("SIGKILL")
    }
  }
}
server.close()
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify(out))
