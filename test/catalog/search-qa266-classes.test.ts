/**
 * The classes of miss QA 266 took up from the open list of docs/proxy.md, each as a rule of
 * src/catalog/search, checked with requests that are in no set.
 */
import { describe, expect, test } from "bun:test"
import { contactBack } from "../../src/catalog/search/call-back.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa211Fleet } from "./search-qa211-fleet.ts"
import { qa255Fleet } from "./search-qa255-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const desk = fleetIndex(qa255Fleet)

describe("\"back\" after a verb of contact is its particle, no past thing (call-back.ts)", () => {
  test("a phone call asked of a fleet that makes none finds no strong history tool", () => {
    // (once: slack's `get_channel_history` and twilio's conversation history strong and first,
    // through back → previous, history)
    for (const q of ["ring the client back at 555 0199", "call me back", "phone the vendor back tomorrow"]) {
      const hits = desk.search(q, { limit: 5 })
      expect(hits.filter((h) => !h.weak).map((h) => h.tool.name)).toEqual([])
    }
  })
  test("only after a contact verb, with up to three words of its object between", () => {
    const at = (q: string) => contactBack(splitWords(q), splitWords(q).indexOf("back"))
    expect(at("call the customer back")).toBe(true)
    expect(at("get back to the client")).toBe(true)
    expect(at("go back to the previous page")).toBe(false)
    expect(at("call about the back office")).toBe(false)
    expect(at("show the history back to monday")).toBe(false)
  })
})

describe("a server whose every tool says \"deprecated\" is a deprecated server, no tool of it has a successor (index.ts)", () => {
  const ci = (description: string) => ({ inputSchema: { type: "object" }, description })
  test("its tools rank for their own words, as any server's", () => {
    // (once: CircleCI's tools, whose every description ends "This CircleCI MCP server … is
    // deprecated", all × 0.5, so `get_build_failure_logs` came below GitHub Actions' job logs)
    const fleet = fleetIndex(qa211Fleet)
    expect(fleet.search("why did the build fail", { limit: 5 })[0]?.tool.name).toBe("circleci__get_build_failure_logs")
    expect(fleet.search("why did CI fail on the release build", { limit: 5 })[0]?.tool.name).toBe("circleci__get_build_failure_logs")
    const legacy = fleetIndex([
      ["legacy", [{ name: "export_report", ...ci("Export a report. NOTE: this server is deprecated.") }, { name: "list_reports", ...ci("List reports. NOTE: this server is deprecated.") }]],
      ["other", [{ name: "get_report", ...ci("Get a report to export") }]],
    ])
    expect(legacy.search("export the report", { limit: 3 })[0]?.tool.name).toBe("legacy__export_report")
  })
  test("a deprecated tool beside its successor still goes below it", () => {
    const fs = fleetIndex([["files", [{ name: "read_file", ...ci("Read a file. DEPRECATED: use read_text_file") }, { name: "read_text_file", ...ci("Read a text file") }]]])
    expect(fs.search("read the file", { limit: 2 }).map((h) => h.tool.name)).toEqual(["files__read_text_file", "files__read_file"])
  })
})
