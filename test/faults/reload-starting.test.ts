/**
 * Live config against servers caught half-way: a reload removes, redefines or renames a server
 * while its start is held (its `initialize` or first `tools/list` not answered yet) or while it
 * restarts after a crash. Whatever the interleaving, once the reload is applied exactly the
 * processes of the new config run: a start under way of a server the file no longer has (or has
 * under another definition or name) ends with its process group. The fixture holds its answers
 * until a file exists, so nothing depends on timing; processes are read from /proc. Through the
 * compiled binary.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { pidsWhere } from "../helpers/proc.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "request-log-server.ts")

interface World {
  dir: string
  config: string
  /** While it does not exist, held servers do not answer. */
  release: string
}

function world(): World {
  const dir = tempDir("mcpo-reload-starting-")
  return { dir, config: join(dir, "config.yaml"), release: join(dir, "release") }
}

/** A server entry of request-log-server logging to <dir>/<log>.log (the log names the definition, not the entry: a rename keeps it). */
function entry(w: World, name: string, log: string, args: string[]): string {
  return `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: ${JSON.stringify([SERVER, "--log", join(w.dir, `${log}.log`), ...args])} }`
}

function write(w: World, entries: string[], warm: string[]): void {
  writeFileSync(w.config, ["toolkit: { enabled: \"off\" }", "plugins: { enabled: false }", "servers:", ...entries, `warm: [${warm.join(", ")}]`, ""].join("\n"))
}

/** Pids of the processes of `log` that were sent `method` (in the order they were). */
function got(w: World, log: string, method: string): number[] {
  const file = join(w.dir, `${log}.log`)
  if (!existsSync(file)) return []
  const pids = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.includes(`"method":"${method}"`))
    .map((l) => Number(l.split(" ")[0]))
  return [...new Set(pids)]
}

/** Waits until a process of `log` not in `not` was sent `method`; returns its pid. */
function held(w: World, log: string, method: string, not: number[] = []): Promise<number> {
  return waitFor(`a new ${log} process sent ${method}`, () => got(w, log, method).find((p) => !not.includes(p)), 20_000)
}

/** Live members of process group `pgid` (a downstream leads its own). */
function members(pgid: number): number[] {
  return pidsWhere((f) => f[2] === String(pgid) && f[0] !== "Z")
}

/** The orchestrator's live children running request-log-server with a log of this world, by log name. */
function children(w: World, c: Connected): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const pid of pidsWhere((f) => Number(f[1]) === c.pid && f[0] !== "Z")) {
    let argv: string[]
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")
    } catch {
      continue
    }
    const log = argv[argv.indexOf("--log") + 1]
    if (!log?.startsWith(w.dir)) continue
    const name = log.slice(w.dir.length + 1, -".log".length)
    out.set(name, [...(out.get(name) ?? []), pid])
  }
  return out
}

/** Waits until `pid`'s process group is empty (the reload ended it). */
function gone(pid: number, what: string): Promise<true> {
  return waitFor(`${what}: process group ${pid} empty`, () => members(pid).length === 0 || undefined, 15_000)
}

async function reloaded(c: Connected, n: number): Promise<void> {
  await waitFor(`reload #${n} applied`, () => c.stderr().split('"msg":"config reloaded"').length - 1 >= n || undefined, 15_000)
}

async function serve(w: World, entries: string[], warm: string[]): Promise<Connected> {
  write(w, entries, warm)
  // (an edit made before the watch began is applied once it begins: no wait needed)
  return await connectBinary(["serve", "--config", w.config], sandboxEnv())
}

function text(r: unknown): string {
  return (r as { content: Array<{ text: string }> }).content[0]?.text ?? ""
}

describe("a reload while a server is still starting", () => {
  test("removed while its initialize is held: its process group ends (also one that ignores stdin's end)", async () => {
    const w = world()
    const c = await serve(w, [entry(w, "a", "a", []), entry(w, "h", "h", ["--hold", w.release]), entry(w, "x", "x", ["--hold", w.release, "--ignore-eof"])], ["a", "h", "x"])
    try {
      const h = await held(w, "h", "initialize")
      const x = await held(w, "x", "initialize")
      write(w, [entry(w, "a", "a", [])], ["a"])
      await reloaded(c, 1)
      await gone(h, "h removed while starting")
      await gone(x, "x (ignores EOF) removed while starting")
      // released now: nothing of theirs comes back
      writeFileSync(w.release, "")
      expect(text(await c.client.callTool({ name: "a__echo", arguments: { tag: "ok" } }))).toBe("ok")
      expect([...children(w, c).keys()]).toEqual(["a"])
    } finally {
      await c.close()
    }
  }, 60_000)

  test("removed while its first tools/list is held: its process group ends", async () => {
    const w = world()
    const c = await serve(w, [entry(w, "a", "a", []), entry(w, "h", "h", ["--hold-list", w.release])], ["a", "h"])
    try {
      const h = await held(w, "h", "tools/list")
      write(w, [entry(w, "a", "a", [])], ["a"])
      await reloaded(c, 1)
      await gone(h, "h removed while listing")
      expect([...children(w, c).keys()]).toEqual(["a"])
    } finally {
      await c.close()
    }
  }, 60_000)

  test("redefined while its initialize is held: the held process ends, the new definition runs alone", async () => {
    const w = world()
    const c = await serve(w, [entry(w, "h", "h", ["--hold", w.release])], ["h"])
    try {
      const first = await held(w, "h", "initialize")
      write(w, [entry(w, "h", "h", ["--hold", w.release, "--boot", "1"])], ["h"])
      await reloaded(c, 1)
      await gone(first, "the old definition's start")
      const second = await held(w, "h", "initialize", [first])
      writeFileSync(w.release, "")
      expect(text(await c.client.callTool({ name: "h__echo", arguments: { tag: "new" } }))).toBe("new")
      expect(children(w, c).get("h")).toEqual([second])
    } finally {
      await c.close()
    }
  }, 60_000)

  test("renamed while its initialize is held: the held process ends, the new name runs alone", async () => {
    const w = world()
    const c = await serve(w, [entry(w, "h", "h", ["--hold", w.release])], ["h"])
    try {
      const first = await held(w, "h", "initialize")
      write(w, [entry(w, "g", "h", ["--hold", w.release])], ["g"])
      await reloaded(c, 1)
      await gone(first, "the old name's start")
      const second = await held(w, "h", "initialize", [first])
      writeFileSync(w.release, "")
      expect(text(await c.client.callTool({ name: "g__echo", arguments: { tag: "renamed" } }))).toBe("renamed")
      expect(children(w, c).get("h")).toEqual([second])
    } finally {
      await c.close()
    }
  }, 60_000)

  test("removed while it restarts after a crash (the restart's initialize held): its process group ends", async () => {
    const w = world()
    writeFileSync(w.release, "")
    const c = await serve(w, [entry(w, "a", "a", []), entry(w, "h", "h", ["--hold", w.release])], ["a", "h"])
    try {
      const first = await held(w, "h", "initialize")
      expect(text(await c.client.callTool({ name: "h__echo", arguments: { tag: "up" } }))).toBe("up")
      rmSync(w.release)
      await c.client.callTool({ name: "h__crash", arguments: {} }).catch(() => undefined)
      await gone(first, "the crashed process")
      const restart = await held(w, "h", "initialize", [first])
      write(w, [entry(w, "a", "a", [])], ["a"])
      await reloaded(c, 1)
      await gone(restart, "h removed while restarting")
      expect([...children(w, c).keys()]).toEqual(["a"])
    } finally {
      await c.close()
    }
  }, 60_000)

  test("removed and added back while held, again and again: one process of the last definition runs", async () => {
    const w = world()
    const c = await serve(w, [entry(w, "h", "h", ["--hold", w.release])], ["h"])
    try {
      const seen = [await held(w, "h", "initialize")]
      for (let i = 1; i <= 4; i++) {
        // alternately removed (a placeholder keeps the file non-empty) and added back redefined
        write(w, i % 2 ? [entry(w, "a", "a", [])] : [entry(w, "h", "h", ["--hold", w.release, "--boot", String(i)])], i % 2 ? ["a"] : ["h"])
        await reloaded(c, i)
        await gone(seen.at(-1)!, `round ${i}`)
        if (i % 2 === 0) seen.push(await held(w, "h", "initialize", seen))
      }
      writeFileSync(w.release, "")
      expect(text(await c.client.callTool({ name: "h__echo", arguments: { tag: "last" } }))).toBe("last")
      expect(children(w, c).get("h")).toEqual([seen.at(-1)!])
      for (const p of seen.slice(0, -1)) expect(members(p)).toEqual([])
    } finally {
      await c.close()
    }
  }, 90_000)
})
