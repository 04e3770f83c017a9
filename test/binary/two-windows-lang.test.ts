/**
 * Regression (QA qa318): two windows in the same directory (one config, one cache) whose servers
 * inherit another LANG (a server that localises its descriptions) stored their lists under one key:
 * each start replaced the other window's list, and the next start of the other window answered its
 * first tools/list (the one Cursor keeps) in the wrong language. A list that differs from the one a
 * process of another base environment stored is now kept apart for its environment
 * (cache/tool-list-store `writer`), the stored one stays; the key holds no PATH or LANG, so windows of
 * one environment share it as before. The compiled binary, the SDK's real Client, lang-server.ts.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const LANG_SERVER = join(import.meta.dir, "..", "fixtures", "servers", "lang-server.ts")

async function stop(run: Connected): Promise<void> {
  await run.close()
  await waitFor("the orchestrator to exit", () => run.pid === undefined || !isAlive(run.pid), 15_000, 50)
}

test("two windows with another LANG on one cache keep a list each: each start answers in its own language", async () => {
  const shared = sandboxEnv()
  const de = { ...shared, LANG: "de_DE.UTF-8" }
  const en = { ...shared, LANG: "en_US.UTF-8" }
  const cfg = join(shared.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  lang:\n    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([LANG_SERVER])}\n`)
  const cacheDir = join(shared.XDG_CACHE_HOME!, "mcp-orchestrator")
  const description = async (run: Connected): Promise<string | undefined> => (await run.client.listTools()).tools.find((t) => t.name === "lang__greet")?.description
  const live = async (env: Record<string, string>, want: string): Promise<void> => {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      await listUntil(run.client, "lang__greet")
      // a call starts the (lazy) server: its listing is the live one
      await run.client.callTool({ name: "lang__greet", arguments: {} })
      await waitFor(`the live list (${want})`, async () => (await description(run)) === want, 20_000, 50)
    } finally {
      await stop(run)
    }
  }
  await live(de, "Begrüßt die Welt.")
  await live(en, "Greets the world.")
  // twice over: a window's start must not replace the other's list either way round
  await live(de, "Begrüßt die Welt.")
  await live(en, "Greets the world.")

  for (const round of [1, 2]) {
    for (const [env, own] of [[de, "Begrüßt die Welt."], [en, "Greets the world."]] as const) {
      // the persisted first answer gone, so the start answers from the stored lists
      for (const f of readdirSync(cacheDir)) if (f.endsWith(".snapshot.json") || f.startsWith("early-")) rmSync(join(cacheDir, f))
      const run = await connectBinary(["serve", "--config", cfg], env)
      try {
        // the stored list is the first answer: the server is lazy, not asked yet
        const first = await description(run)
        expect({ round, first }).toEqual({ round, first: own })
      } finally {
        await stop(run)
      }
    }
  }
}, 180_000)

/**
 * Regression (the stored first answer): its key had no part for the environment, so the window
 * started last wrote the one answer both windows' next starts served first (the one Cursor keeps):
 * the de window answered in English after an en start, and back. Now the key holds the base
 * environment's tag (app/env-tag), as the stored lists keep a list per environment.
 */
test("two windows with another LANG on one cache keep a first answer each: each start's first answer is in its own language", async () => {
  const shared = sandboxEnv()
  const de = { ...shared, LANG: "de_DE.UTF-8" }
  const en = { ...shared, LANG: "en_US.UTF-8" }
  const cfg = join(shared.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  lang:\n    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([LANG_SERVER])}\n`)
  const cacheDir = join(shared.XDG_CACHE_HOME!, "mcp-orchestrator")
  const description = async (run: Connected): Promise<string | undefined> => (await run.client.listTools()).tools.find((t) => t.name === "lang__greet")?.description
  const snapshots = (): string[] => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith(".snapshot.json")) : [])
  const live = async (env: Record<string, string>, want: string): Promise<void> => {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      await listUntil(run.client, "lang__greet")
      await run.client.callTool({ name: "lang__greet", arguments: {} })
      await waitFor(`the live list (${want})`, async () => (await description(run)) === want, 20_000, 50)
      // the answer rebuilt for the live list is written (1 s after the last change)
      await waitFor("the first answer written", () => snapshots().some((f) => readFileSync(join(cacheDir, f), "utf8").includes(want)), 20_000, 50)
    } finally {
      await stop(run)
    }
  }
  await live(de, "Begrüßt die Welt.")
  await live(en, "Greets the world.")
  for (const round of [1, 2]) {
    for (const [env, own] of [[de, "Begrüßt die Welt."], [en, "Greets the world."]] as const) {
      const run = await connectBinary(["serve", "--config", cfg], env)
      try {
        // the first answer (the stored one, or the early face's): the server is lazy, not asked yet
        const first = await description(run)
        expect({ round, first }).toEqual({ round, first: own })
      } finally {
        await stop(run)
      }
    }
  }
}, 180_000)
