/**
 * Regression (QA: live reload stopped for good once the config file's directory was removed or
 * renamed and created again): the watch was on the directory's inode, so after `rm -rf conf;
 * mkdir conf` or `mv conf conf-old; mkdir conf` nothing written in the new directory was ever
 * applied (no log line; orchestrator_status still said `watching`), and edits of the moved-away
 * copy were the ones that triggered reloads. The watch now follows the PATH: a directory that is
 * gone is waited for from its nearest existing parent (orchestrator_status says so), watched again
 * when it reappears, and the file is read again then (a file written while it was unwatched is
 * applied); the same holds for an envFile's directory and for a symlinked directory re-pointed.
 * Real files and real watchers; the real config loader; the proxy is a stand-in that records the
 * servers it runs.
 */
import { describe, expect, test } from "bun:test"
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig, type LoadedConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger } from "../../src/core/index.ts"
import { ConfigReloader, type ReloaderOptions } from "../../src/app/reload.ts"
import { PathWatch } from "../../src/core/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const text = (...names: string[]): string => `toolkit: { enabled: "off" }\nservers:\n${names.map((n) => `  ${n}: { command: "true" }\n`).join("")}`

interface Rig {
  loaded: LoadedConfig
  reloader: ConfigReloader
  running: Set<string>
}

/** A watching reloader over the config file `file` (written before), idle: its check at start is done. */
async function rig(file: string, home: string): Promise<Rig> {
  const loaded = loadConfig({ configPath: file, env: { HOME: home } })
  const running = new Set(Object.keys(loaded.config.servers))
  const proxy = {
    addServer: (d: { name: string }) => void running.add(d.name),
    removeServer: async (name: string) => void running.delete(name),
    refilter: () => {},
    pool: { get: () => undefined, applySettings: () => {}, warm: () => {} },
  } as unknown as ReloaderOptions["proxy"]
  const logHub = createLogHub("error", () => {})
  const reloader = new ConfigReloader({ loaded, load: () => loaded.reload!(), proxy, logHub, log: createLogger(logHub, "reload"), nested: false, debounceMs: 20 })
  await reloader.reload("idle", true)
  return { loaded, reloader, running }
}

const servers = (r: Rig): string => Object.keys(r.loaded.config.servers).sort().join()

/** Waits until the running config (and the stand-in proxy) has exactly these servers. */
async function applied(r: Rig, ...names: string[]): Promise<void> {
  await waitFor(`servers [${names}]`, () => servers(r) === names.join() && [...r.running].sort().join() === names.join())
}

/** Waits until the reloader rejected the vanished file and waits for `dir` to come back. */
async function waitingFor(r: Rig, dir: string): Promise<void> {
  await waitFor(`waiting for ${dir}`, () => r.reloader.status().last === "rejected" && r.reloader.status().waitingFor?.some((w) => w.startsWith(`${dir} `)))
}

describe("the config file's directory removed or renamed, and created again", () => {
  test("rm -rf, then mkdir and write: the new file is applied, and later edits too", async () => {
    const base = tempDir("mcpo-reload-path-rm-")
    const dir = join(base, "conf")
    const file = join(dir, "config.yaml")
    mkdirSync(dir)
    writeFileSync(file, text("r0"))
    const r = await rig(file, base)
    try {
      rmSync(dir, { recursive: true })
      await waitingFor(r, dir)
      // truthful while gone: the file is still followed (its parent is watched), and why not more
      expect(r.reloader.status()).toMatchObject({ watching: file, waitingFor: [`${dir} (watching ${base} until it appears)`] })
      expect(servers(r)).toBe("r0")

      mkdirSync(dir)
      writeFileSync(file, text("r1"))
      await applied(r, "r1")
      writeFileSync(file, text("r2"))
      await applied(r, "r2")
      const st = r.reloader.status()
      expect(st).toMatchObject({ watching: file, last: "applied", applied: 2 })
      expect(st.waitingFor).toBeUndefined()
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("a deeper directory removed (rm -rf of a parent), then made again level by level", async () => {
    const base = tempDir("mcpo-reload-path-deep-")
    const file = join(base, "a", "b", "c", "config.yaml")
    mkdirSync(join(base, "a", "b", "c"), { recursive: true })
    writeFileSync(file, text("r0"))
    const r = await rig(file, base)
    try {
      rmSync(join(base, "a"), { recursive: true })
      await waitingFor(r, join(base, "a", "b", "c"))
      expect(r.reloader.status().waitingFor).toEqual([`${join(base, "a", "b", "c")} (watching ${base} until it appears)`])
      mkdirSync(join(base, "a"))
      mkdirSync(join(base, "a", "b"))
      mkdirSync(join(base, "a", "b", "c"))
      writeFileSync(file, text("r1"))
      await applied(r, "r1")
      writeFileSync(file, text("r1", "r2"))
      await applied(r, "r1", "r2")
      expect(r.reloader.status().waitingFor).toBeUndefined()
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("mv away, then mkdir and write: the new file is applied; the moved-away copy is no longer the config; a directory moved into place is read at once", async () => {
    const base = tempDir("mcpo-reload-path-mv-")
    const dir = join(base, "conf")
    const file = join(dir, "config.yaml")
    mkdirSync(dir)
    writeFileSync(file, text("r0"))
    const r = await rig(file, base)
    try {
      renameSync(dir, `${dir}-old`)
      await waitingFor(r, dir)
      mkdirSync(dir)
      writeFileSync(file, text("r1"))
      await applied(r, "r1")
      // edits of the moved-away copy are not the config's
      writeFileSync(join(`${dir}-old`, "config.yaml"), text("old"))
      writeFileSync(file, text("r2"))
      await applied(r, "r2")
      // a backup restored: another directory, its file already written, renamed into place
      mkdirSync(join(base, "backup"))
      writeFileSync(join(base, "backup", "config.yaml"), text("r3"))
      renameSync(dir, `${dir}-old2`)
      renameSync(join(base, "backup"), dir)
      await applied(r, "r3")
      writeFileSync(file, text("r4"))
      await applied(r, "r4")
      expect(r.reloader.status()).toMatchObject({ watching: file, last: "applied" })
      expect(r.reloader.status().waitingFor).toBeUndefined()
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("an envFile's directory removed and created again: its new content is applied", async () => {
    const base = tempDir("mcpo-reload-path-env-")
    const file = join(base, "config.yaml")
    mkdirSync(join(base, "env"))
    writeFileSync(join(base, "env", "s.env"), "MODE=one\n")
    writeFileSync(file, `toolkit: { enabled: "off" }\nservers:\n  s: { command: "true", envFile: env/s.env }\n`)
    const r = await rig(file, base)
    const mode = (): string | undefined => (r.loaded.config.servers.s as { env?: Record<string, string> }).env?.MODE
    try {
      expect(mode()).toBe("one")
      rmSync(join(base, "env"), { recursive: true })
      await waitFor("waiting for env/", () => r.reloader.status().waitingFor?.some((w) => w.startsWith(`${join(base, "env")} `)))
      mkdirSync(join(base, "env"))
      writeFileSync(join(base, "env", "s.env"), "MODE=two\n")
      await waitFor("MODE=two applied", () => mode() === "two")
      writeFileSync(join(base, "env", "s.env"), "MODE=three\n")
      await waitFor("MODE=three applied", () => mode() === "three")
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("a config directory that is a symlink, re-pointed (ln -sfn): the new target's file and edits apply, the old target's do not", async () => {
    const base = tempDir("mcpo-reload-path-link-")
    mkdirSync(join(base, "a"))
    mkdirSync(join(base, "b"))
    writeFileSync(join(base, "a", "config.yaml"), text("r0"))
    writeFileSync(join(base, "b", "config.yaml"), text("r1"))
    symlinkSync("a", join(base, "conf"))
    const file = join(base, "conf", "config.yaml")
    const r = await rig(file, base)
    try {
      symlinkSync("b", join(base, ".conf.new"))
      renameSync(join(base, ".conf.new"), join(base, "conf"))
      await applied(r, "r1")
      writeFileSync(join(base, "b", "config.yaml"), text("r2"))
      await applied(r, "r2")
      writeFileSync(join(base, "a", "config.yaml"), text("old"))
      writeFileSync(join(base, "b", "config.yaml"), text("r3"))
      await applied(r, "r3")
      expect(r.reloader.status()).toMatchObject({ watching: file, last: "applied", applied: 3 })
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })
})

describe("a Kubernetes ConfigMap mount (config.yaml -> ..data/config.yaml, ..data -> ..<timestamp>)", () => {
  test("..data swapped to a new timestamped directory: applied at the swap, whether the old directory is removed or not yet", async () => {
    const base = tempDir("mcpo-reload-path-k8s-")
    const version = (n: number): void => {
      mkdirSync(join(base, `..v${n}`))
      writeFileSync(join(base, `..v${n}`, "config.yaml"), text(`r${n}`))
    }
    // the kubelet's atomic writer: a new directory, a new ..data link renamed over the old one, then the old directory removed
    const swap = (n: number, removeOld: boolean): void => {
      version(n)
      symlinkSync(`..v${n}`, join(base, "..data_tmp"))
      renameSync(join(base, "..data_tmp"), join(base, "..data"))
      if (removeOld) rmSync(join(base, `..v${n - 1}`), { recursive: true })
    }
    version(0)
    symlinkSync("..v0", join(base, "..data"))
    symlinkSync("..data/config.yaml", join(base, "config.yaml"))
    const r = await rig(join(base, "config.yaml"), base)
    try {
      swap(1, false)
      await applied(r, "r1")
      swap(2, true)
      await applied(r, "r2")
      // the old directory kept at swap 1 is not the config any more
      writeFileSync(join(base, "..v0", "config.yaml"), text("old"))
      swap(3, false)
      await applied(r, "r3")
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })
})

describe("PathWatch", () => {
  test("a directory renamed away is let go: edits of the moved-away copy call nothing; the directory made again does", async () => {
    const base = tempDir("mcpo-path-watch-")
    const dir = join(base, "d")
    mkdirSync(dir)
    writeFileSync(join(dir, "f"), "0")
    const logHub = createLogHub("error", () => {})
    let calls = 0
    const w = new PathWatch(() => calls++, createLogger(logHub, "watch"))
    try {
      w.sync([join(dir, "f")])
      expect(w.follows(join(dir, "f"))).toBe(true)
      expect(w.waiting()).toEqual([])
      renameSync(dir, `${dir}-old`)
      await waitFor("the gone directory waited for", () => w.waiting().length === 1)
      expect(w.waiting()).toEqual([{ dir, watching: base }])
      expect(w.follows(join(dir, "f"))).toBe(true)
      const before = calls
      for (let i = 1; i <= 3; i++) writeFileSync(join(`${dir}-old`, "f"), String(i))
      // the one event that follows is the directory made again (in its parent, watched for it)
      mkdirSync(dir)
      await waitFor("the directory made again seen", () => calls > before)
      expect(calls).toBe(before + 1)
      w.sync([join(dir, "f")])
      expect(w.waiting()).toEqual([])
      writeFileSync(join(dir, "f"), "new")
      await waitFor("an edit in the new directory seen", () => calls > before + 1)
    } finally {
      w.close()
    }
  })
})
