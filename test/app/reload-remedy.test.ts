/**
 * Regression (QA): orchestrator_status `config.reload.errors` listed a rejected reload's problems
 * with no word on what to do. A rejected reload now carries `remedy`: the config error's own when
 * it has one (http.listen, an empty file), else how to find and fix the lines named, and that the
 * running config stays; it goes once a good file is applied. The real config loader runs; the
 * proxy is a stand-in.
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigReloader, type ReloaderOptions } from "../../src/app/reload.ts"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, createLogger } from "../../src/core/index.ts"
import { tempDir } from "../helpers/binary.ts"

const good = `toolkit: { enabled: "off" }\nservers:\n  a: { command: "true" }\n`

async function withReloader(run: (file: string, r: ConfigReloader) => Promise<void>): Promise<void> {
  const dir = tempDir("mcpo-reload-remedy-")
  const file = join(dir, "config.yaml")
  writeFileSync(file, good)
  const loaded = loadConfig({ configPath: file, env: { HOME: dir } })
  const proxy = { addServer: () => {}, removeServer: async () => {}, refilter: () => {}, pool: { get: () => undefined, applySettings: () => {}, warm: () => {} } } as unknown as ReloaderOptions["proxy"]
  const logHub = createLogHub("error", () => {})
  const r = new ConfigReloader({ loaded, load: () => loaded.reload!(), proxy, logHub, log: createLogger(logHub, "reload"), nested: false, watch: false, settleMs: 0 })
  try {
    await r.reload("start", true)
    await run(file, r)
  } finally {
    await r[Symbol.asyncDispose]()
  }
}

describe("a rejected reload says what to do", () => {
  const cases: [string, string, string][] = [
    ["a wrong value", `${good}pool: { maxInFlight: "many" }\n`, "doctor"],
    ["a bad http.listen", `${good}http: { listen: "127.0.0.1:99999" }\n`, "http.listen"],
    ["an empty file", "", "servers: {}"],
    ["YAML that does not parse", `servers: [a\n`, "syntax"],
  ]
  for (const [what, text, says] of cases) {
    test(`${what}: errors with a remedy, gone once a good file is applied`, async () => {
      await withReloader(async (file, r) => {
        writeFileSync(file, text)
        await r.reload("file changed", true)
        const st = r.status()
        expect(st.last).toBe("rejected")
        expect(st.errors?.length).toBeGreaterThan(0)
        expect(st.remedy).toContain(says)
        expect(st.remedy).toContain("running config stays")
        writeFileSync(file, `${good}# fixed\n`)
        await r.reload("file changed", true)
        expect(r.status().errors).toBeUndefined()
        expect(r.status().remedy).toBeUndefined()
      })
    })
  }
})

test("a change that needs a restart says how to restart in its log line", async () => {
  const dir = tempDir("mcpo-reload-restart-")
  const file = join(dir, "config.yaml")
  writeFileSync(file, good)
  const loaded = loadConfig({ configPath: file, env: { HOME: dir } })
  const proxy = { addServer: () => {}, removeServer: async () => {}, refilter: () => {}, pool: { get: () => undefined, applySettings: () => {}, warm: () => {} } } as unknown as ReloaderOptions["proxy"]
  const logHub = createLogHub("error", () => {})
  const records: Record<string, unknown>[] = []
  logHub.sinks.add((r) => void records.push(r as unknown as Record<string, unknown>))
  const r = new ConfigReloader({ loaded, load: () => loaded.reload!(), proxy, logHub, log: createLogger(logHub, "reload"), nested: false, watch: false, settleMs: 0 })
  try {
    await r.reload("start", true)
    writeFileSync(file, `${good}proxy: { separator: "_x_" }\n`)
    await r.reload("file changed", true)
    expect(r.status().restartNeeded).toEqual(["proxy.separator"])
    const line = records.find((x) => String(x.msg).startsWith("config change needs a restart"))
    expect(line?.keys).toEqual(["proxy.separator"])
    expect(String(line?.remedy)).toContain("Restart mcp-orchestrator")
  } finally {
    await r[Symbol.asyncDispose]()
  }
})
