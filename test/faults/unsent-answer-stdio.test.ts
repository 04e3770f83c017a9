/**
 * A client's answer to a request a stdio server relayed to it (roots/list, sampling, elicitation)
 * that cannot be written back: here over pool.maxRequestBytes (test/faults/servers/request-flooder.ts
 * asks once and reports the answer it got). The relay swallowed the failed write: the server,
 * which asked, waited for its own timeout ("no answer"), and nothing was logged. Now it gets a
 * JSON-RPC error answer naming why (sizes only, none of the answer's content), and the log says so.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { BUN, captureLog, config } from "../proxy/helpers.ts"

const FLOODER = join(import.meta.dir, "servers", "request-flooder.ts")
const text = (r: unknown): string => (r as { content: { text: string }[] }).content[0]!.text
const SECRET = "root-content-that-is-not-for-the-error"

describe("a client's answer to a relayed request that cannot be written to the stdio server", () => {
  for (const method of ["roots/list", "sampling/createMessage", "elicitation/create"]) {
    test(`${method}: over pool.maxRequestBytes, the server gets an error answer naming why; logged`, async () => {
      const { log, records } = captureLog()
      // an answer of ~2 MiB, the limit 1 MiB
      const huge = (m: string): unknown =>
        m === "roots/list"
          ? { roots: Array.from({ length: 20_000 }, (_, i) => ({ uri: `file:///${SECRET}/${"r".repeat(60)}/${i}` })) }
          : m === "sampling/createMessage"
            ? { role: "assistant", model: "m", content: { type: "text", text: SECRET + "x".repeat(2 * 1024 * 1024) } }
            : { action: "accept", content: { text: SECRET + "x".repeat(2 * 1024 * 1024) } }
      await using p = new Pool({ config: config({ pool: { maxRequestBytes: 1024 * 1024 } }), log, onRequest: async (_server, m) => huge(m) })
      p.add({ name: "asker", source: "config", spec: { command: BUN, args: [FLOODER] } as ServerSpec })
      const got = text(await p.call("asker", "tools/call", { name: "ask", arguments: { method } }, {}))
      // before: "no answer" (the server waited out its own timeout)
      expect(got).not.toBe("no answer")
      const answer = JSON.parse(got) as { error: { code: number; message: string } }
      expect(answer.error.code).toBe(-32603)
      expect(answer.error.message).toContain(`the client's answer to ${method} could not be sent to this server`)
      expect(answer.error.message).toContain("pool.maxRequestBytes (1.0 MiB)")
      expect(answer.error.message).not.toContain(SECRET)
      const said = records.filter((r) => String(r.msg).includes("could not be sent to the server"))
      expect(said.length).toBe(1)
      expect(said[0]!.method).toBe(method)
      expect(JSON.stringify(said[0])).not.toContain(SECRET)
    }, 60_000)
  }
})
