/**
 * core/descendants: the mark a child's environment carries (nested orchestrators' tokens kept, junk
 * dropped) and the /proc sweep that finds marked processes wherever they went, and descendants of
 * a registered child, but nothing else (real processes, Linux).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { childToken, OWNER_VAR, ownedProcesses, ownerMark, withOwnerMark } from "../../src/core/descendants.ts"
import { isAlive } from "../helpers/proc.ts"

const TOKEN = /^mcpo-[0-9a-f-]{36}$/
const started: number[] = []
afterAll(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, "SIGKILL")
})

/** Runs `script` in sh with `env`, returns the pid it prints. */
async function pidOf(script: string, env: Record<string, string>): Promise<number> {
  const p = Bun.spawn(["sh", "-c", script], { env, stdin: "ignore", stdout: "pipe", stderr: "ignore" })
  const pid = Number((await new Response(p.stdout).text()).trim())
  started.push(pid)
  return pid
}

describe("the mark", () => {
  test("one token of ours, after the well-formed tokens inherited from the orchestrators above (at most 8); anything else dropped", () => {
    const ours = ownerMark(undefined)
    expect(ours).toMatch(TOKEN)
    expect(ownerMark(undefined)).toBe(ours)
    const above = Array.from({ length: 10 }, () => `mcpo-${crypto.randomUUID()}`)
    const mark = ownerMark(["junk", above[0], "$(rm -rf /)", ...above.slice(1)].join(" ")).split(" ")
    expect(mark).toEqual([...above.slice(-8), ours])
    // our own token inherited back (a loop) is not doubled
    expect(ownerMark(ours)).toBe(ours)
    expect(withOwnerMark({ PATH: "/bin" })).toEqual({ PATH: "/bin", [OWNER_VAR]: ownerMark() })
  })

  test("a child's own token is ours with its number, in place of ours; an orchestrator above's child token is kept, ours inherited back is not", () => {
    const ours = ownerMark(undefined)
    const a = childToken()
    const b = childToken()
    expect(a).not.toBe(b)
    expect(a.startsWith(`${ours}.`)).toBe(true)
    const above = `mcpo-${crypto.randomUUID()}.12`
    expect(ownerMark(above, a)).toBe(`${above} ${a}`)
    // our child token coming back (a server that starts this binary) is not doubled
    expect(ownerMark(`${above} ${a}`, b)).toBe(`${above} ${b}`)
    expect(withOwnerMark({ PATH: "/bin" }, a)).toEqual({ PATH: "/bin", [OWNER_VAR]: a })
  })
})

describe.skipIf(process.platform !== "linux")("the sweep", () => {
  test("finds a marked process in a session of its own whose parent is gone, and a root's descendant; not an unmarked stranger", async () => {
    const base = { PATH: process.env.PATH ?? "/usr/bin:/bin" }
    // daemonized with the mark: setsid, its parent exits at once
    const daemon = await pidOf(`setsid sh -c 'sleep 30 </dev/null >/dev/null 2>&1 & echo $!'`, withOwnerMark(base))
    // no mark, same user, started after us: not ours
    const stranger = await pidOf(`setsid sh -c 'sleep 30 </dev/null >/dev/null 2>&1 & echo $!'`, base)
    // no mark, but its parent is one of our (registered) children
    const root = Bun.spawn(["sh", "-c", "sleep 30 & echo $!; wait"], { env: base, stdin: "ignore", stdout: "pipe", stderr: "ignore" })
    started.push(root.pid)
    const reader = root.stdout.getReader()
    const child = Number(new TextDecoder().decode((await reader.read()).value).trim())
    started.push(child)
    const found = ownedProcesses(new Set([root.pid]))
    expect(found).toContain(daemon)
    expect(found).toContain(root.pid)
    expect(found).toContain(child)
    expect(found).not.toContain(stranger)
    expect(found).not.toContain(process.pid)
    // without the root registered, its unmarked child is nobody's
    expect(ownedProcesses(new Set())).not.toContain(child)
    expect(isAlive(stranger)).toBe(true)
  })
})
