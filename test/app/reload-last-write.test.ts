/**
 * Regression (QA: rapid edits lost the last one): a write that lands while a reload loads or
 * applies the file must be applied too. The reloader recorded the file as it was AFTER applying,
 * so the write made during the reload counted as seen, and its watch event then found the file
 * "unchanged": the running config stayed one edit behind for good. Here the write is made from
 * inside the reload (in the load, in the apply), which makes the race deterministic; the watch
 * event that follows such a write is the `reload(…, onlyIfChanged)` call the test makes itself.
 * Likewise a write made after the config was loaded at start and before the watch began (the
 * orchestrator is built in between). The real config loader runs; the proxy is a stand-in that
 * records the servers it runs.
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig, type LoadedConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger } from "../../src/core/index.ts"
import { ConfigReloader, type ReloaderOptions } from "../../src/app/reload.ts"
import { tempDir } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const text = (name: string): string => `toolkit: { enabled: "off" }\nservers:\n  ${name}: { command: "true" }\n`

interface Rig {
  file: string
  loaded: LoadedConfig
  reloader: ConfigReloader
  /** Runs once, inside the next load (after the file was read) or the next server start. */
  hooks: { load?: () => void; add?: () => void }
  running: Set<string>
}

/** A reloader over a real config file, idle: its check at start is done. */
async function rig(watch: boolean, beforeWatch?: (file: string) => void, debounceMs = 20): Promise<Rig> {
  const dir = tempDir("mcpo-reload-last-")
  const file = join(dir, "config.yaml")
  writeFileSync(file, text("r0"))
  const loaded = loadConfig({ configPath: file, env: { HOME: dir } })
  const hooks: Rig["hooks"] = {}
  const running = new Set(Object.keys(loaded.config.servers))
  const once = (k: keyof Rig["hooks"]): void => {
    const h = hooks[k]
    delete hooks[k]
    h?.()
  }
  const proxy = {
    addServer: (d: { name: string }) => {
      running.add(d.name)
      once("add")
    },
    removeServer: async (name: string) => void running.delete(name),
    refilter: () => {},
    pool: { get: () => undefined, applySettings: () => {}, warm: () => {} },
  } as unknown as ReloaderOptions["proxy"]
  const logHub = createLogHub("error", () => {})
  const load = (): LoadedConfig => {
    const next = loaded.reload!()
    once("load")
    return next
  }
  beforeWatch?.(file)
  // the settle time that holds a reload stopping servers (test/faults/reload-pieces) is not what these races are about
  const reloader = new ConfigReloader({ loaded, load, proxy, logHub, log: createLogger(logHub, "reload"), nested: false, watch, debounceMs, settleMs: 0 })
  // reloads run in order: this one runs after the check at start, and finds nothing changed
  await reloader.reload("idle", true)
  return { file, loaded, reloader, hooks, running }
}

const servers = (r: Rig): string[] => Object.keys(r.loaded.config.servers)

describe("a write made while a reload runs is applied", () => {
  test("during the load: the file read is not the file applied", async () => {
    const r = await rig(false)
    try {
      writeFileSync(r.file, text("r1"))
      r.hooks.load = () => writeFileSync(r.file, text("r2"))
      await r.reloader.reload("file changed", true)
      // the watch event of the write made during the load
      await r.reloader.reload("file changed", true)
      expect(servers(r)).toEqual(["r2"])
      expect([...r.running]).toEqual(["r2"])
      expect(r.reloader.status().last).toBe("applied")
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("during the apply (a server starting): the next event applies it", async () => {
    const r = await rig(false)
    try {
      writeFileSync(r.file, text("r1"))
      r.hooks.add = () => writeFileSync(r.file, text("r2"))
      await r.reloader.reload("file changed", true)
      await r.reloader.reload("file changed", true)
      expect(servers(r)).toEqual(["r2"])
      expect([...r.running]).toEqual(["r2"])
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("during the apply, and its watch event spent before the reload ended: the reloader looks again by itself", async () => {
    const r = await rig(false)
    try {
      writeFileSync(r.file, text("r1"))
      r.hooks.add = () => writeFileSync(r.file, text("r2"))
      await r.reloader.reload("file changed", true)
      // no event follows (it was coalesced into the reload that was running): the reloader's own
      // check after applying finds the file changed and reloads
      await waitFor("r2 applied", () => servers(r).join() === "r2")
      expect(r.reloader.status().applied).toBe(2)
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("with the file watched: edits made inside every reload end with the last one applied", async () => {
    const r = await rig(true)
    try {
      let n = 1
      const chain = (): void => {
        // each reload writes the next edit while it loads, up to r9
        if (n < 9) r.hooks.load = () => (writeFileSync(r.file, text(`r${++n}`)), chain())
      }
      chain()
      writeFileSync(r.file, text("r1"))
      await waitFor("r9 applied", () => servers(r).join() === "r9" && r.reloader.status().last === "applied")
      expect([...r.running]).toEqual(["r9"])
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
  })

  test("between the load at start and the watch: applied when the watch begins; without such a write nothing is logged or counted", async () => {
    const r = await rig(true, (file) => writeFileSync(file, text("r1")))
    try {
      expect(servers(r)).toEqual(["r1"])
      expect([...r.running]).toEqual(["r1"])
      expect(r.reloader.status()).toMatchObject({ applied: 1, last: "applied" })
    } finally {
      await r.reloader[Symbol.asyncDispose]()
    }
    const quiet = await rig(true)
    try {
      expect(servers(quiet)).toEqual(["r0"])
      expect(quiet.reloader.status()).toEqual({ watching: quiet.file, applied: 0 })
    } finally {
      await quiet.reloader[Symbol.asyncDispose]()
    }
  })
})

describe("a burst of writes that never ends", () => {
  test("still reloads: an edit made while the file is rewritten many times a second is applied before the writes stop", async () => {
    // the old reloader restarted its wait at every event, so nothing was applied until the writes stopped
    // the writes come far more often than the debounce waits for quiet
    const r = await rig(true, undefined, 150)
    let storming = true
    const storm = (async () => {
      while (storming) {
        writeFileSync(r.file, text("r1"))
        await Bun.sleep(5)
      }
    })()
    try {
      await waitFor("r1 applied while the writes go on", () => servers(r).join() === "r1", 20_000)
      expect(storming).toBe(true)
    } finally {
      storming = false
      await storm
      await r.reloader[Symbol.asyncDispose]()
    }
  }, 30_000)
})
