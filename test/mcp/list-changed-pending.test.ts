/**
 * A tools list_changed sent while the client's own tools/list was being built (compared with the list
 * the client had before) tells of what that answer holds: once the client has its answer no notice
 * is pending, so the next change is told. Before, such a notice left the face believing the client
 * had not listed since, and every later change went untold (a client that lists once per notice
 * never learnt of them).
 */
import { expect, test } from "bun:test"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { silentLogger } from "../../src/core/index.ts"
import { createMcpFace, type FaceServices } from "../../src/mcp/index.ts"
import type { ListKind } from "../../src/proxy/index.ts"

const tool = (name: string) => ({ name, inputSchema: { type: "object" as const, properties: {} } })

test("a notice sent while the client's list was built leaves none pending: the next change is told", async () => {
  let current = [tool("a")]
  let gate: Promise<void> | undefined
  let open!: () => void
  let listener: ((kind: ListKind) => void) | undefined
  const upstream = {
    onListChanged: (l: (kind: ListKind) => void) => {
      listener = l
      return () => {}
    },
    listTools: async () => {
      if (gate) await gate
      return current
    },
  } as unknown as NonNullable<FaceServices["upstream"]>
  const face = createMcpFace({ log: silentLogger, services: Promise.resolve({ tools: [], upstream }) })
  const [a, b] = InMemoryTransport.createLinkedPair()
  await face.server.connect(a)
  const client = new Client({ name: "t", version: "1" })
  let told = 0
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void told++)
  await client.connect(b)
  const names = async () => (await client.listTools()).tools.map((t) => t.name)
  const toldAtLeast = async (n: number) => {
    for (let i = 0; i < 300 && told < n; i++) await Bun.sleep(10)
    return told
  }

  expect(await names()).toEqual(["a"])
  // a change: told once
  current = [tool("a"), tool("b")]
  listener!("tools")
  expect(await toldAtLeast(1)).toBe(1)
  // the same change announced again (a second relist of it) while the client lists: both wait on the upstream
  gate = new Promise<void>((r) => (open = r))
  listener!("tools")
  const listing = names()
  await Bun.sleep(20)
  gate = undefined
  open()
  expect(await listing).toEqual(["a", "b"])
  await toldAtLeast(2)
  const before = told
  // the client has the current list: the next change is told
  current = [tool("a"), tool("b"), tool("c")]
  listener!("tools")
  expect(await toldAtLeast(before + 1)).toBe(before + 1)
  expect(await names()).toEqual(["a", "b", "c"])
  await client.close()
})
