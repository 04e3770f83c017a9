/**
 * Regression (QA: a comment-only edit was counted as applied): a setting that needs a restart
 * (`proxy.separator`) keeps its running value, so every later file differed from the running
 * config in it: a comment added afterwards showed `last: "applied"` (and `applied` went up, the
 * restart warning logged again) instead of "unchanged". The real config loader runs; the proxy is
 * a stand-in.
 */
import { expect, test } from "bun:test"
import { appendFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger } from "../../src/core/index.ts"
import { ConfigReloader, type ReloaderOptions } from "../../src/app/reload.ts"
import { tempDir } from "../helpers/binary.ts"

const proxy = {
  addServer: () => {},
  removeServer: async () => {},
  refilter: () => {},
  pool: { get: () => undefined, applySettings: () => {}, warm: () => {} },
} as unknown as ReloaderOptions["proxy"]

const text = (sep: string): string => `toolkit: { enabled: "off" }\nproxy: { separator: "${sep}" }\nservers:\n  a: { command: node, args: [a.js] }\n`

test("a comment-only edit while a setting waits for a restart is 'unchanged'; a new value of it is news again", async () => {
  const file = join(tempDir("mcpo-restart-pending-"), "config.yaml")
  writeFileSync(file, text("__"))
  const loaded = loadConfig({ configPath: file, env: { HOME: "/nonexistent" } })
  const lines: string[] = []
  const logHub = createLogHub("info", (l) => void lines.push(l))
  const r = new ConfigReloader({ loaded, load: () => loaded.reload!(), proxy, logHub, log: createLogger(logHub, "reload"), nested: false, watch: false, settleMs: 0 })
  const restartWarnings = (): number => lines.filter((l) => l.includes("needs a restart")).length
  try {
    await r.reload("idle", true)
    writeFileSync(file, text("--"))
    await r.reload("file changed", true)
    expect(r.status()).toMatchObject({ last: "applied", applied: 1, restartNeeded: ["proxy.separator"] })
    expect(restartWarnings()).toBe(1)

    appendFileSync(file, "# a comment\n")
    await r.reload("file changed", true)
    expect(r.status()).toMatchObject({ last: "unchanged", applied: 1, restartNeeded: ["proxy.separator"] })
    expect(restartWarnings()).toBe(1)

    // another value of the same key: said again
    writeFileSync(file, text("-x"))
    await r.reload("file changed", true)
    expect(r.status()).toMatchObject({ last: "applied", applied: 2, restartNeeded: ["proxy.separator"] })
    expect(restartWarnings()).toBe(2)

    // back to the running value: nothing waits for a restart any more
    writeFileSync(file, text("__"))
    await r.reload("file changed", true)
    expect(r.status().restartNeeded).toBeUndefined()
    expect(r.status().last).toBe("unchanged")
  } finally {
    await r[Symbol.asyncDispose]()
  }
})
