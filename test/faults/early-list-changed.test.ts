/**
 * A server that announces `list_changed` before the client's first answer of that kind (it
 * registers more once initialized: plugins loaded, a login read), alone in the config, through the
 * compiled binary with the SDK (v1) Client. Cursor lists once per session and ignores list_changed:
 * before, a cold first tools/list was answered as soon as the server's first listing was in, with
 * its first tool only (the relist the change asked for waited out the coalescing window). Now that
 * first answer waits for the relist: it holds the three tools; prompts and resources the same. A
 * server that never stops changing holds the first answer no longer than proxy.listWait. A warm
 * start (the lists stored by the run before) answers at once from them, whatever the server does.
 * The fixture reacts to messages (test/faults/servers/early-change-server.ts): nothing is timed.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "early-change-server.ts")

beforeAll(ensureBuilt, 120_000)

function setup(args: string[] = [], listWait = 20_000): { env: Record<string, string>; cfg: string } {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, proxy: { listWait }, servers: { early: { command: process.execPath, args: [SERVER, ...args] } } }))
  return { env, cfg }
}

const names = (xs: { name: string }[], prefix: string): string[] => xs.map((x) => x.name).filter((n) => n.startsWith(prefix)).sort()

describe("a list_changed before the first answer of its kind", () => {
  test("each first list holds what the server registered meanwhile: resources (asked first: they start it), then tools, then prompts", async () => {
    const { env, cfg } = setup()
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect((await c.client.listResources()).resources.map((r) => r.uri).sort()).toEqual(["early://r1", "early://r2", "early://r3"])
      expect(names((await c.client.listTools()).tools, "early__")).toEqual(["early__t1", "early__t2", "early__t3"])
      expect(names((await c.client.listPrompts()).prompts, "early__")).toEqual(["early__p1", "early__p2", "early__p3"])
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a server that never stops changing holds the first answer no longer than listWait: it comes, grown", async () => {
    const { env, cfg } = setup(["--forever"], 1500)
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      // its first listing held one item; the answer waited for at least the relist its first change asked for
      expect((await c.client.listResources()).resources.length).toBeGreaterThan(1)
      expect(names((await c.client.listTools()).tools, "early__").length).toBeGreaterThan(1)
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a warm start answers from the stored lists, not waiting for the server", async () => {
    const { env, cfg } = setup()
    const first = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(names((await first.client.listTools()).tools, "early__")).toHaveLength(3)
    } finally {
      await first.close()
    }
    const again = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(names((await again.client.listTools()).tools, "early__")).toEqual(["early__t1", "early__t2", "early__t3"])
    } finally {
      await again.close()
    }
  }, 60_000)
})
