/**
 * A server whose first tools/list page comes and whose second page is never answered: the pages
 * read are served (proxy/fetch-list takePagesRead) and stored, marked partial, so the next start
 * answers its first tools/list at once with them instead of waiting `proxy.listWait` for that page
 * again (before, nothing was stored and every start waited), starts the server to list it again, and
 * takes the whole list when it comes (announced, stored: the start after that has it all).
 * The compiled binary, started three times over the same cache as Cursor does, with the SDK Client.
 * A start that must not wait runs with listWait raised to 10 minutes, so a wait shows as the test's
 * own timeout (no timed assertion). The same for a server's prompts, resources and templates (QA
 * qa239: before, their pages read were served but not stored, and every start waited again).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
/** The listWait of a start that must not wait: far beyond the test's timeout. */
const NEVER_MS = 600_000

beforeAll(ensureBuilt, 120_000)

interface Row {
  name: string
  truncated?: { list: string; pages: number; items: number; why?: string }[]
}

async function start(env: Record<string, string>, page2: string, listWait: number) {
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    proxy: { listWait, firstListWait: Math.min(listWait, 30_000) },
    servers: {
      paged: { command: process.execPath, args: [GATE_SERVER, "--paged", "--page2-gate", page2] },
      quick: { command: process.execPath, args: [GATE_SERVER] },
    },
  })
  const c = await connectBinary(["serve", "--config", cfg], env)
  const names = (await c.client.listTools()).tools.map((t) => t.name)
  const row = async (): Promise<Row> => ((await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: { servers: Row[] } }).structuredContent.servers.find((s) => s.name === "paged")!
  return { ...c, names, row }
}

const paged = (names: string[]) => names.filter((n) => n.startsWith("paged__")).sort()

describe("a first listing whose second page never comes", () => {
  test("its pages read are stored partial: the next start answers at once with them, lists again, and takes the whole list", async () => {
    const env = sandboxEnv()
    const page2 = join(env.HOME!, "page2-open")

    // 1. no stored list: the first answer waits listWait, then has page 1 of paged
    const first = await start(env, page2, 2_000)
    try {
      expect(paged(first.names)).toEqual(["paged__held_alpha", "paged__held_beta"])
      expect((await first.row()).truncated).toEqual([{ list: "tools/list", pages: 1, items: 2, why: "awaited" }])
    } finally {
      await first.close()
    }

    // 2. its partial list was stored: answered at once (listWait far beyond the test's timeout),
    // said so, and the server is listed again; page 2 comes: announced, listed, callable
    const second = await start(env, page2, NEVER_MS)
    try {
      expect(second.names).toContain("quick__echo")
      expect(paged(second.names)).toEqual(["paged__held_alpha", "paged__held_beta"])
      expect((await second.row()).truncated).toEqual([{ list: "tools/list", pages: 1, items: 2, why: "stored" }])
      let announced = false
      second.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        announced = true
      })
      writeFileSync(page2, "")
      await waitFor("the whole list announced", () => announced, 20_000)
      expect(paged((await second.client.listTools()).tools.map((t) => t.name))).toEqual(["paged__announce", "paged__crash", "paged__echo", "paged__held_alpha", "paged__held_beta"])
      expect((await second.row()).truncated).toBeUndefined()
      expect(await second.client.callTool({ name: "paged__echo", arguments: { message: "page two" } })).toMatchObject({ content: [{ type: "text", text: "page two" }] })
    } finally {
      await second.close()
    }

    // 3. the whole list replaced the partial one in the store
    const third = await start(env, page2, NEVER_MS)
    try {
      expect(paged(third.names)).toHaveLength(5)
      expect((await third.row()).truncated).toBeUndefined()
    } finally {
      await third.close()
    }
  }, 90_000)
})

describe("a first listing of prompts, resources and templates whose second pages never come", () => {
  test("their pages read are stored partial: the next start answers at once with them, lists again, and takes the whole lists", async () => {
    const env = sandboxEnv()
    const page2 = join(env.HOME!, "lists-page2-open")
    const open = async (listWait: number) => {
      const cfg = writeConfig(env, {
        toolkit: { enabled: "off" },
        proxy: { listWait, firstListWait: Math.min(listWait, 30_000) },
        servers: { lists: { command: process.execPath, args: [GATE_SERVER, "--with-lists", "--lists-page2-gate", page2] } },
      })
      const c = await connectBinary(["serve", "--config", cfg], env)
      const lists = async () => ({
        prompts: (await c.client.listPrompts()).prompts.map((p) => p.name).filter((n) => n.startsWith("lists__")).sort(),
        resources: (await c.client.listResources()).resources.map((r) => r.uri).sort(),
        templates: (await c.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort(),
      })
      const row = async (): Promise<Row> => ((await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as unknown as { structuredContent: { servers: Row[] } }).structuredContent.servers.find((s) => s.name === "lists")!
      return { ...c, lists, row }
    }
    const firstPages = { prompts: ["lists__held_prompt"], resources: ["held://doc"], templates: ["held://doc/{id}"] }
    const cuts = (why: string) => ["prompts/list", "resources/list", "resources/templates/list"].map((list) => ({ list, pages: 1, items: 1, why }))

    // 1. nothing stored: the lists wait listWait, then have page 1
    const first = await open(2_000)
    try {
      expect(await first.lists()).toEqual(firstPages)
    } finally {
      await first.close()
    }

    // 2. stored partial: answered at once (listWait far beyond the test's timeout), said so, listed again; the pages come
    const second = await open(NEVER_MS)
    try {
      expect(await second.lists()).toEqual(firstPages)
      const truncated = (await second.row()).truncated
      expect(truncated).toHaveLength(3)
      expect(truncated).toEqual(expect.arrayContaining(cuts("stored")))
      writeFileSync(page2, "")
      await waitFor("the whole lists", async () => Object.values(await second.lists()).every((l) => l.length === 2), 20_000, 100)
      expect((await second.row()).truncated).toBeUndefined()
    } finally {
      await second.close()
    }

    // 3. the whole lists replaced the partial ones in the store
    const third = await open(NEVER_MS)
    try {
      const all = await third.lists()
      expect([all.prompts.length, all.resources.length, all.templates.length]).toEqual([2, 2, 2])
      expect((await third.row()).truncated).toBeUndefined()
    } finally {
      await third.close()
    }
  }, 90_000)
})
