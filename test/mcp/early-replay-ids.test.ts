/**
 * LineStdioServerTransport and the replays of requests the early face answered (src/early-face.ts):
 * the client has its answer, so it may reuse that id at once, while the real face (here FaceProtocol
 * itself, its tools/list held by the test) still serves the replay. The new request gets its own
 * answer, exactly one, whichever finishes first; its cancellation cancels it, not the replay; the
 * replay's answer is dropped whatever path writes it (the face's send, the fast lane's serialised
 * answer, the shutdown's settle). Before, the id was the only link: the first answer with it was
 * dropped (the new request's, when it was quicker) and the replay's went out in its place.
 */
import { expect, test } from "bun:test"
import { z } from "zod"
import { FaceProtocol } from "../../src/mcp/face-protocol.ts"
import { lineRig } from "../helpers/line-rig.ts"

type Out = { id: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } }

function setup(answered: (string | number)[]) {
  const { t, lines, push } = lineRig(answered)
  const input = (...msgs: unknown[]): void => push(msgs.map((m) => JSON.stringify(m) + "\n").join(""))
  const out = (): Out[] => lines.map((l) => JSON.parse(l) as Out)
  return { t, input, out }
}

const until = async (what: string, ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !ok(); i++) await Bun.sleep(0)
  if (!ok()) throw new Error(`never: ${what}`)
}

/** A face whose tools/list and `slow` requests are held until the test lets each go (by the id the face saw). */
function heldFace() {
  const p = new FaceProtocol()
  const held = new Map<unknown, { go: () => void; signal: AbortSignal }>()
  const hold = (result: Record<string, unknown>) => (_: unknown, ctx: { mcpReq: { id: unknown; signal: AbortSignal } }) =>
    new Promise<Record<string, unknown>>((resolve) => held.set(ctx.mcpReq.id, { go: () => resolve(result), signal: ctx.mcpReq.signal }))
  p.setRequestHandler("tools/list", { params: z.looseObject({}) }, hold({ tools: [{ name: "from_the_replay", inputSchema: { type: "object" } }] }))
  p.setRequestHandler("slow", { params: z.looseObject({}) }, hold({ mine: true }))
  return { p, held }
}

test("a ping reusing the id of an early-answered tools/list whose replay is still served gets its own answer, once", async () => {
  const { t, input, out } = setup([1, 2])
  const { p, held } = heldFace()
  await p.connect(t)
  // the replays (initialize is Method not found here: an error answer to a replay is dropped too)
  input({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 2, method: "tools/list" })
  await until("the replayed tools/list to be held", () => held.size === 1)
  // the client has its early answer to 2: it reuses the id
  input({ jsonrpc: "2.0", id: 2, method: "ping" })
  await until("the ping's answer", () => out().length === 1)
  expect(out()).toEqual([{ jsonrpc: "2.0", id: 2, result: {} } as Out])
  // the replay ends: its answer is dropped, not sent as a second answer to 2
  for (const h of held.values()) h.go()
  input({ jsonrpc: "2.0", id: 3, method: "ping" })
  await until("the next ping's answer", () => out().some((o) => o.id === 3))
  expect(out().filter((o) => o.id === 2)).toHaveLength(1)
  expect(out().filter((o) => o.id === 1)).toHaveLength(0)
  expect(t.pendingRequests).toBe(0)
  await t.close()
})

test("a held request reusing the id is its own: not refused as a duplicate, its cancellation cancels it and not the replay", async () => {
  const { t, input, out } = setup([7])
  const { p, held } = heldFace()
  await p.connect(t)
  input({ jsonrpc: "2.0", id: 7, method: "tools/list" })
  await until("the replay to be held", () => held.size === 1)
  const [replay] = [...held.values()]
  input({ jsonrpc: "2.0", id: 7, method: "slow" })
  await until("the new request to be held", () => held.has(7))
  // one request by that id is outstanding for the client: not a duplicate
  expect(out()).toEqual([])
  expect(t.openRequests()).toEqual([[7, "slow"]])
  input({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: "user" } })
  await until("the new request to be cancelled", () => held.get(7)!.signal.aborted)
  expect(replay!.signal.aborted).toBe(false)
  // the replay ends: nothing goes out for it (the cancelled request gets no answer either)
  replay!.go()
  input({ jsonrpc: "2.0", id: 8, method: "ping" })
  await until("the ping's answer", () => out().length === 1)
  expect(out()).toEqual([{ jsonrpc: "2.0", id: 8, result: {} } as Out])
  await t.close()
})

test("a replay's answer is dropped on every write path (fast lane serialised answer, shutdown settle)", async () => {
  const { t, input, out } = setup([1, "two"])
  const seen: (string | number)[] = []
  t.onmessage = (m) => void seen.push((m as { id: string | number }).id)
  await t.start()
  input({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }, { jsonrpc: "2.0", id: "two", method: "tools/list" })
  await until("both replays delivered", () => seen.length === 2)
  // the face sees them under ids of their own, never the client's
  expect(seen).not.toContain(1)
  expect(seen).not.toContain("two")
  expect(t.openRequests()).toEqual([])
  t.sendSerialized(`{"jsonrpc":"2.0","id":${JSON.stringify(seen[0])},"result":{}}`, seen[0]!)
  t.settle(seen[1]!, `{"jsonrpc":"2.0","id":${JSON.stringify(seen[1])},"error":{"code":-32603,"message":"shutting down"}}`)
  // the client's own ids are the client's: a later request with each is served and answered
  input({ jsonrpc: "2.0", id: 1, method: "x" }, { jsonrpc: "2.0", id: "two", method: "y" })
  await until("the new requests delivered", () => seen.length === 4)
  expect(seen.slice(2)).toEqual([1, "two"])
  t.sendSerialized('{"jsonrpc":"2.0","id":1,"result":{}}', 1)
  await t.send({ jsonrpc: "2.0", id: "two", result: {} })
  expect(out()).toEqual([{ jsonrpc: "2.0", id: 1, result: {} } as Out, { jsonrpc: "2.0", id: "two", result: {} } as Out])
  expect(t.pendingRequests).toBe(0)
  await t.close()
})
