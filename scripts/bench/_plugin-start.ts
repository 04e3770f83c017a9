/**
 * Part of `bun run bench -- plugins`: the first tools/list of a start of the compiled binary with
 * 20 large plugin files (0.78 MB, 17 000 functions each; half TypeScript), the first tools/list
 * waiting for them (plugins.loadBudget; no stored first answer: removed before each run, as after
 * any change of the config), with their compile checks done at this start (the
 * plugin-checks cache removed before each run: what every start cost before it existed) and reused
 * from the cache (an unchanged directory), next to the floor of the same start with no plugins.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { timeToList } from "./_warmstart.ts"
import { BIN, ensureBinary, summarize } from "./_util.ts"


export const LARGE_PLUGINS = 20
const FUNCTIONS = 17_000

/**
 * One large plugin: FUNCTIONS small methods in tables of 1 000 (top-level functions that many are
 * refused by the compile estimate) and a tools hook that calls one of them.
 */
function largePlugin(i: number, ts: boolean): string {
  const p = ts ? ": number" : ""
  const lines = [`// large plugin ${i}`]
  for (let g = 0; g < FUNCTIONS / 1000; g++) {
    lines.push(`const T${g} = {`)
    for (let f = 0; f < 1000; f++) lines.push(`  m${f}(x${p}, y) { return x * ${f} + y - ${g} },`)
    lines.push("}")
  }
  lines.push(`export default { name: "large-${i}", tools(tools${ts ? ": unknown[]" : ""}) { return T1.m1(1, 0) === 1 ? tools : [] } }`)
  return lines.join("\n") + "\n"
}

export interface PluginStartRow {
  start: string
  "p50 ms": number
  "min ms": number
  n: number
}

export async function pluginStart(runs = Number(process.env.BENCH_RUNS ?? 5)): Promise<PluginStartRow[]> {
  await ensureBinary()
  const home = mkdtempSync(join(tmpdir(), "mcpo-bench-plugin-start-"))
  try {
    const cacheHome = join(home, "k")
    const env = { PATH: process.env.PATH ?? "/usr/bin", HOME: home, XDG_CONFIG_HOME: join(home, "c"), XDG_CACHE_HOME: cacheHome }
    const dir = join(home, "plugins")
    mkdirSync(dir)
    let bytes = 0
    for (let i = 0; i < LARGE_PLUGINS; i++) {
      const text = largePlugin(i, i % 2 === 1)
      bytes += text.length
      writeFileSync(join(dir, `large-${i}.${i % 2 === 1 ? "ts" : "js"}`), text)
    }
    const base = `toolkit:\n  enabled: "off"\n`
    const none = join(home, "none.yaml")
    writeFileSync(none, `${base}plugins:\n  enabled: false\n`)
    const withPlugins = join(home, "plugins.yaml")
    writeFileSync(withPlugins, `${base}plugins:\n  dirs: ["${dir}"]\n  loadBudget: 60s\n`)
    // the files must load (a refused one would cost nothing to check)
    const listed = Bun.spawnSync([BIN, "plugins", "list", "--config", withPlugins], { env, cwd: home, stderr: "ignore" }).stdout.toString()
    if ((listed.match(/\[active\]/g) ?? []).length !== LARGE_PLUGINS) throw new Error(`the large plugins did not all load:\n${listed.slice(0, 2000)}`)
    const cacheDir = join(cacheHome, "mcp-orchestrator")
    const checks = join(cacheDir, "plugin-checks")
    // no stored first answer (tool snapshot, cached lists): the list waits for the plugins, as at
    // the first start after any change of the config; only the plugin checks may be kept
    const forgetAnswers = (): void => {
      for (const n of existsSync(cacheDir) ? readdirSync(cacheDir) : []) if (n !== "plugin-checks") rmSync(join(cacheDir, n), { recursive: true, force: true })
    }
    const measure = async (label: string, cfg: string, before?: () => void): Promise<PluginStartRow> => {
      const xs: number[] = []
      for (let i = 0; i < runs; i++) {
        forgetAnswers()
        before?.()
        const r = await timeToList(cfg, env)
        if (!(r.tools > 0)) throw new Error(`${label}: no tools listed`)
        xs.push(r.ms)
      }
      const s = summarize(xs)
      return { start: label, "p50 ms": Math.round(s.p50), "min ms": Math.round(s.min), n: s.n }
    }
    const mb = (bytes / LARGE_PLUGINS / 1e6).toFixed(2)
    const floor = await measure("no plugins (floor)", none)
    const checked = await measure(`${LARGE_PLUGINS} plugins × ${mb} MB, checked at this start (before)`, withPlugins, () => rmSync(checks, { recursive: true, force: true }))
    await timeToList(withPlugins, env) // fills the check cache
    const reused = await measure(`${LARGE_PLUGINS} plugins × ${mb} MB, checks reused (after)`, withPlugins)
    return [floor, checked, reused]
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
