/**
 * A server whose first tools/list page comes and whose second page is never answered: the pages
 * read are served (proxy/fetch-list takePagesRead) and stored, marked partial, so the next start
 * answers its first tools/list at once with them instead of waiting `proxy.listWait` for that page
 * again (before, nothing was stored and every start waited), starts the server to list it again, and
 * takes the whole list when it comes (announced, stored: the start after that has it all).
 * The compiled binary, started three times over the same cache as Cursor does, with the SDK Client.
 * A start that must not wait runs with listWait raised to 10 minutes, so a wait shows as the test's
 * own timeout (no timed assertion).
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
