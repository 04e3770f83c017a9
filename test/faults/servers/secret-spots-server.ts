/**
 * @module test/faults/servers/secret-spots-server
 * A downstream (raw JSON-RPC on stdio) that puts its configured `SPOT_API_KEY` in every place a
 * definition or a relayed request can carry text (qa327): its `initialize` result (`serverInfo`,
 * `instructions`), a tool's `title`, `annotations` and `_meta` (keys and values), a resource
 * template's URI, an elicitation request's message during a call (`ask`), and a tool call's error.
 */
import { dispatchLines } from "../../fixtures/servers/raw-dispatch.ts"

const K = process.env.SPOT_API_KEY ?? "unset"
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

const ask = dispatchLines({
  send,
  call: (id, params) => {
    if (params?.name === "ask") {
      void ask("elicitation/create", { message: `confirm the key ${K} please`, requestedSchema: { type: "object", properties: { ok: { type: "boolean", description: `for ${K}` } } } }).then((r) =>
        send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `asked: ${JSON.stringify(r).length}` }] } }),
      )
      return
    }
    send({ jsonrpc: "2.0", id, error: { code: -32000, message: `upstream refused key ${K}`, data: { key: K } } })
  },
  handlers: {
    initialize: (p) => ({ protocolVersion: p.protocolVersion, capabilities: { tools: {}, resources: {} }, serverInfo: { name: `spots-${K}`, version: K, title: `title ${K}` }, instructions: `use key ${K}` }),
    ping: () => ({}),
    "tools/list": () => ({
      tools: [
        { name: "ask", title: `Ask with ${K}`, description: "asks", inputSchema: { type: "object", properties: {} }, annotations: { title: `annot ${K}`, readOnlyHint: true }, _meta: { [`x/${K}`]: K, note: `k=${K}` } },
        { name: "fail", description: "fails", inputSchema: { type: "object", properties: {} } },
      ],
    }),
    "resources/list": () => ({ resources: [] }),
    "resources/templates/list": () => ({ resourceTemplates: [{ uriTemplate: `spot://${K}/{id}`, name: "t", title: `tpl ${K}` }] }),
  },
})
