/**
 * @module test/faults/servers/folding-server
 * A raw JSON-RPC stdio server (run with `bun`) that prints its configured key folded at a column,
 * as a formatter or `fold -w` does: `fold` answers with `FOLD_API_KEY` wrapped every 7 characters
 * (LF), `fold_crlf` with CRLF and the continuation lines indented, `fold_structured` in a
 * `structuredContent` string, `fold_error` as an `isError` result. Each text holds no whole value.
 */
import { serveRawStdio } from "../../fixtures/servers/raw-stdio.ts"

const key = process.env.FOLD_API_KEY ?? ""
const folded = (sep: string): string => `config dump:\nFOLD_API_KEY=${key.match(/.{1,7}/g)!.join(sep)}\nHOME=/home/user`
const tool = (name: string) => ({ name, description: `${name} of the env`, inputSchema: { type: "object" } })

serveRawStdio({
  name: "folding",
  tools: ["fold", "fold_crlf", "fold_structured", "fold_error"].map(tool),
  call: (params) => {
    switch (params?.name) {
      case "fold_crlf":
        return { content: [{ type: "text", text: folded("\r\n    ") }] }
      case "fold_structured":
        return { content: [{ type: "text", text: "see structuredContent" }], structuredContent: { dump: folded("\n") } }
      case "fold_error":
        return { isError: true, content: [{ type: "text", text: `failed; ${folded("\n")}` }] }
      default:
        return { content: [{ type: "text", text: folded("\n") }] }
    }
  },
})
