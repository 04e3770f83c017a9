/**
 * What a stdio `serve` session evaluates at start: the modules statically reachable from the entry
 * and the serve path (a dynamic `import()` is evaluated only when it runs). Idle RSS is the module
 * graph's cost (docs/proxy.md, *Idle RSS*), so what a session that only proxies never needs stays
 * behind an `import()`: the QuickJS sandbox and the plugin runner (loaded once a plugin file exists
 * or run_code runs), the Toolkit driver, the HTTP face, OAuth, the MCP SDK, yaml, commander.
 * Importing one of them statically from the serve path fails here, naming the chain that does.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

const ROOT = join(import.meta.dir, "..", "..")
const ENTRIES = ["src/main.ts", "src/cli/index.ts", "src/cli/serve.ts", "src/app/serve.ts", "src/app/orchestrator.ts"]

interface Graph {
  /** repo-relative module → the module that first imported it */
  modules: Map<string, string | undefined>
  /** package specifier → the module that imports it */
  packages: Map<string, string>
}

function staticGraph(entries: readonly string[]): Graph {
  const t = new Bun.Transpiler({ loader: "ts" })
  const g: Graph = { modules: new Map(), packages: new Map() }
  const walk = (file: string, from: string | undefined): void => {
    const rel = relative(ROOT, file)
    if (g.modules.has(rel)) return
    g.modules.set(rel, from)
    for (const i of t.scan(readFileSync(file, "utf8")).imports) {
      if (i.kind !== "import-statement") continue
      if (!i.path.startsWith(".")) {
        if (!i.path.startsWith("node:") && !i.path.startsWith("bun:") && i.path !== "bun") g.packages.set(i.path, rel)
        continue
      }
      const p = resolve(dirname(file), i.path)
      if (existsSync(p) && /\.tsx?$/.test(p)) walk(p, rel)
    }
  }
  for (const e of entries) walk(join(ROOT, e), undefined)
  return g
}

function chain(g: Graph, mod: string): string {
  const out = [mod]
  for (let m = g.modules.get(mod); m !== undefined; m = g.modules.get(m)) out.push(m)
  return out.reverse().join(" → ")
}

describe("a stdio serve session's static module graph", () => {
  const g = staticGraph(ENTRIES)

  test("it is the serve path (the walk found the folders a session needs)", () => {
    const folders = new Set([...g.modules.keys()].map((m) => m.split("/")[1]))
    for (const f of ["core", "config", "pool", "proxy", "mcp", "app", "cache", "catalog", "plugin"]) expect(folders.has(f)).toBe(true)
  })

  test("evaluates neither the sandbox nor the plugin runner, the HTTP face, OAuth, the management tools or the Toolkit driver", () => {
    const lazy = (m: string): boolean =>
      (m.startsWith("src/sandbox/") && m !== "src/sandbox/visible.ts") ||
      ["src/plugin/plugin.ts", "src/plugin/reconcile.ts", "src/plugin/loader.ts"].includes(m) ||
      m.startsWith("src/http/") ||
      m.startsWith("src/auth/") ||
      m.startsWith("src/manage/") ||
      (m.startsWith("src/docker/") && m !== "src/docker/remedy.ts" && m !== "src/docker/cli-stamp.ts" && !isRemedyDependency(g, m))
    expect([...g.modules.keys()].filter(lazy).map((m) => chain(g, m))).toEqual([])
  })

  test("imports no package but zod statically (the SDK, yaml, commander, hono, QuickJS load where used)", () => {
    expect([...g.packages].filter(([p]) => p !== "zod").map(([p, by]) => `${p} ← ${chain(g, by)}`)).toEqual([])
  })
})

/** A docker/ module reached only through docker/remedy.ts (the gateway's remedy text, a public entry of its own). */
function isRemedyDependency(g: Graph, m: string): boolean {
  for (let from = g.modules.get(m); from !== undefined; from = g.modules.get(from)) {
    if (from === "src/docker/remedy.ts") return true
    if (!from.startsWith("src/docker/")) return false
  }
  return false
}
