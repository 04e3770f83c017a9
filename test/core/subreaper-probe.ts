/**
 * Run by test/core/subreaper.test.ts in a process of its own (a child subreaper changes where
 * every orphan of the process goes: not the test runner's). Prints one JSON line:
 * - subreaper: becomeSubreaper's answer;
 * - ownExit: the exit code Bun reports for a child it spawned (noted with noteSpawned) that exited
 *   while adoption polls ran back to back (its exit status must never be taken by our waitpid);
 * - adoptedParent: the parent of a helper orphaned below us (sh -c '… & exit'): us, not init;
 * - reaped: that helper, once ended, is not left a zombie of ours after two polls;
 * - owned: the sweep (ownedProcesses) counts a live adopted helper as ours.
 */
import { readFileSync } from "node:fs"
import { ownedProcesses, withOwnerMark } from "../../src/core/descendants.ts"
import { becomeSubreaper, lookForAdopted, noteSpawned } from "../../src/core/subreaper.ts"

const stat = (pid: number): { state: string; ppid: number } | undefined => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "latin1")
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ")
    return { state: f[0]!, ppid: Number(f[1]) }
  } catch {
    return undefined
  }
}

const subreaper = await becomeSubreaper(() => {})
// gives out our token (the sweep looks at nothing before the first child is marked)
withOwnerMark({})

// a child of our own: its exit code is Bun's to read, however often the poll runs meanwhile
const own = Bun.spawn(["sh", "-c", "sleep 0.2; exit 7"], { stdio: ["ignore", "ignore", "ignore"] })
noteSpawned(own.pid)
const until = performance.now() + 600
// back to back, synchronously, each poll a second "later": Bun cannot reap it meanwhile, so it is
// seen a zombie long enough to be reaped, were it not noted as ours
for (let later = 0; performance.now() < until; later += 1000) lookForAdopted(performance.now() + later)
const ownExit = await own.exited

// an orphan: its parent shell exits at once; scrubbed env, own session, no stdio of ours
const launcher = Bun.spawn(["sh", "-c", 'env -i setsid sh -c "sleep 30 </dev/null >/dev/null 2>&1; exit 0" </dev/null >/dev/null 2>&1 & echo $!; exit 0'], { stdin: "ignore", stdout: "pipe", stderr: "ignore" })
noteSpawned(launcher.pid)
const helper = Number((await new Response(launcher.stdout).text()).trim())
await launcher.exited
let adoptedParent = stat(helper)?.ppid
for (let i = 0; i < 100 && adoptedParent !== process.pid; i++) {
  await Bun.sleep(20)
  adoptedParent = stat(helper)?.ppid
}
const owned = ownedProcesses(new Set()).includes(helper)
process.kill(helper, "SIGKILL")
for (let i = 0; i < 100 && stat(helper)?.state !== "Z"; i++) await Bun.sleep(20)
const zombie = stat(helper)?.state === "Z"
lookForAdopted()
lookForAdopted(performance.now() + 1000)
const reaped = zombie && stat(helper) === undefined
console.log(JSON.stringify({ subreaper, ownExit, adoptedParent: adoptedParent === process.pid ? "us" : adoptedParent, owned, reaped }))
