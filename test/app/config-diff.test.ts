/**
 * The reload diff is taken against the running config: which servers are added, removed (or
 * disabled) and changed (naming the keys), what is applied live and what needs a restart.
 */
import { describe, expect, test } from "bun:test"
import { ConfigSchema, type Config } from "../../src/config/index.ts"
import { diffConfig, isEmptyDiff } from "../../src/app/config-diff.ts"

const cfg = (v: Record<string, unknown>): Config => ConfigSchema.parse(v)

describe("diffConfig", () => {
  const base = cfg({ servers: { a: { command: "x", args: ["1"], env: { K: "v", L: "w" } }, b: { url: "http://127.0.0.1:1/mcp" } }, warm: ["a"] })

  test("the same config, keys in another order, is no change", () => {
    const same = cfg({ warm: ["a"], servers: { b: { url: "http://127.0.0.1:1/mcp" }, a: { env: { L: "w", K: "v" }, args: ["1"], command: "x" } } })
    expect(isEmptyDiff(diffConfig(base, same))).toBe(true)
  })

  test("added, removed, disabled and changed servers, with the changed keys", () => {
    const next = cfg({ servers: { a: { command: "x", args: ["2"], env: { K: "v2", L: "w" } }, b: { url: "http://127.0.0.1:1/mcp", disabled: true }, c: { command: "y" } }, warm: ["a", "c"] })
    const d = diffConfig(base, next)
    expect(d.added).toEqual(["c"])
    expect(d.removed).toEqual(["b"])
    expect(d.changed).toEqual([{ name: "a", fields: ["args", "env"] }])
    expect(d.warm).toEqual({ added: ["c"], removed: [] })
  })

  test("a server renamed (its definition unchanged under a new name) is removed, added and named as renamed; a changed one is not", () => {
    const next = cfg({ servers: { a2: base.servers.a, b2: { url: "http://127.0.0.1:2/mcp" } }, warm: ["a"] })
    const d = diffConfig(base, next)
    expect(d.added).toEqual(["a2", "b2"])
    expect(d.removed).toEqual(["a", "b"])
    expect(d.renamed).toEqual({ a: "a2" })
  })

  test("renamed with other keys edited in the same save (the same command and args, or url): still renamed, naming the keys; an ambiguous or other program is not", () => {
    const edited = diffConfig(base, cfg({ servers: { a2: { ...base.servers.a, env: { K: "new" }, timeout: 5000 }, b2: { url: "http://127.0.0.1:1/mcp", headers: { X: "1" } } } }))
    expect(edited.renamed).toEqual({ a: "a2", b: "b2" })
    expect(edited.renamedChanged).toEqual({ a: ["env", "timeout"], b: ["headers"] })
    // other args: another program, a removal and an addition
    expect(diffConfig(base, cfg({ servers: { a2: { command: "x", args: ["2"] } } })).renamed).toEqual({})
    // two removed entries of one program and one added: which one was renamed is not known
    const two = cfg({ servers: { a: { command: "x", env: { K: "1" } }, b: { command: "x", env: { K: "2" } } } })
    expect(diffConfig(two, cfg({ servers: { c: { command: "x", env: { K: "3" } } } })).renamed).toEqual({})
    // an exact copy is still a plain rename, with nothing changed
    const plain = diffConfig(base, cfg({ servers: { a2: base.servers.a, b: base.servers.b } }))
    expect(plain.renamed).toEqual({ a: "a2" })
    expect(plain.renamedChanged).toEqual({})
  })

  test("pool, log, proxy.listWait/expose, toolsets, codeMode and plugins.dirs apply live; the listen address, cache and others need a restart", () => {
    const next = cfg({
      servers: base.servers,
      warm: ["a"],
      pool: { maxInFlight: 3 },
      log: { level: "debug", callLinesPerSecond: 5 },
      proxy: { listWait: 100, expose: "search", separator: "_" },
      toolsets: { t: { servers: ["a"] } },
      plugins: { dirs: ["/tmp/p"], enabled: false },
      http: { listen: "127.0.0.1:9" },
      cache: { maxEntries: 5 },
    })
    const d = diffConfig(base, next)
    expect(d.live.sort()).toEqual(["log.callLinesPerSecond", "log.level", "plugins.dirs", "pool.maxInFlight", "proxy.expose", "proxy.listWait", "toolsets.t"])
    expect(d.restartNeeded.sort()).toEqual(["cache.maxEntries", "http.listen", "plugins.enabled", "proxy.separator"])
    expect(d.added).toEqual([])
  })
})
