/**
 * Search intent (src/catalog/search/intent.ts, synonyms.ts): requests from a QA report over the
 * reference servers (server-everything, server-memory, server-filesystem), tools that remove
 * things ranked below their constructive twins unless the request asks for removal, synonyms that
 * work both ways where they mean the same, and number/quantifier words that say nothing.
 */
import { describe, expect, test } from "bun:test"
import { loadFleet, toIndexed } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex, type IndexedTool, type ToolIndex } from "../../src/catalog/index.ts"
import { asksRemoval, removalKind } from "../../src/catalog/search/intent.ts"
import { synonymsOf } from "../../src/catalog/search/synonyms.ts"
import { stem, tokenize } from "../../src/catalog/search/tokenize.ts"

const fleet = loadFleet()

function indexOf(servers: readonly string[]): ToolIndex {
  const ix = createToolIndex()
  for (const s of servers) ix.setServer(s, toIndexed(s, fleet.get(s)!))
  return ix
}

const top = (ix: ToolIndex, q: string, limit = 5): string[] => ix.search(q, { limit }).map((h) => h.tool.name)

/** Requests of the QA report → the tool to call; the same over the 3 reference servers and the whole recorded fleet. */
const QA: ReadonlyArray<readonly [string, string]> = [
  ["add numbers", "everything__get-sum"],
  ["add two numbers", "everything__get-sum"],
  ["remember a fact about a person", "memory__add_observations"],
  ["link two entities", "memory__create_relations"],
  ["get file size", "filesystem__get_file_info"],
  // ranked right before the fix: kept
  // read_file says "DEPRECATED: Use read_text_file instead": its successor comes first
  ["read a file", "filesystem__read_text_file"],
  ["list directory", "filesystem__list_directory"],
  ["create an entity", "memory__create_entities"],
  ["long running operation with progress", "everything__trigger-long-running-operation"],
]

describe("QA requests over the reference servers", () => {
  for (const [label, ix] of [
    ["everything + memory + filesystem", indexOf(["everything", "memory", "filesystem"])],
    ["the whole recorded fleet", indexOf([...fleet.keys()])],
  ] as const) {
    test(`each comes first (${label})`, () => {
      for (const [q, want] of QA) expect([q, top(ix, q, 1)[0]]).toEqual([q, want])
    })
  }

  test("no tool that removes things is offered first unless the request asks to remove", () => {
    const ix = indexOf(["everything", "memory", "filesystem"])
    for (const q of ["remember a fact about a person", "what do you remember about me", "note that Dana prefers email", "link two entities", "add an observation to Alice"]) {
      expect([q, top(ix, q, 1)[0]]).not.toEqual([q, expect.stringMatching(/delete/)])
    }
    expect(top(ix, "forget a fact about a person", 1)[0]).toBe("memory__delete_observations")
    expect(top(ix, "remove the relation between Alice and Acme", 1)[0]).toBe("memory__delete_relations")
    expect(top(ix, "throw away an entity", 1)[0]).toBe("memory__delete_entities")
  })
})

describe("tools that remove things", () => {
  // Twins: the same words, one writes, one deletes (and one only declares destructiveHint).
  const doc = (tool: string, description: string, annotations?: Record<string, unknown>): IndexedTool => ({
    name: `kb__${tool}`,
    server: "kb",
    tool,
    description,
    ...(annotations ? { annotations } : {}),
  })
  const ix = createToolIndex()
  ix.setServer("kb", [
    doc("write_note", "Write a note to a record"),
    doc("delete_note", "Delete a note from a record"),
    doc("purge", "Wipes every note of a record", { destructiveHint: true }),
    doc("overwrite_record", "Overwrite a note of a record", { destructiveHint: true }),
    doc("read_record", "Read the notes of a record", { destructiveHint: true, readOnlyHint: true }),
  ])

  test("a request that removes nothing ranks the constructive twin first", () => {
    // equal text otherwise, and delete_note comes first by name: only the penalty orders them
    expect(top(ix, "the note")[0]).toBe("kb__write_note")
    expect(top(ix, "the note").indexOf("kb__delete_note")).toBeGreaterThan(0)
  })

  test("a request to remove (any removal verb or synonym) ranks the removing tool first", () => {
    for (const q of ["delete a note", "remove the note from the record", "erase that note", "forget a note", "get rid of a note"]) {
      expect([q, top(ix, q, 1)[0]]).toEqual([q, "kb__delete_note"])
    }
  })

  test("kinds: by name, by destructiveHint + a description starting with a removal verb, by destructiveHint alone", () => {
    expect(removalKind(tokenize("delete_note"), undefined, tokenize("Delete a note"))).toBe("name")
    expect(removalKind(tokenize("git_reset"), undefined, tokenize("Reset the index"))).toBe("name")
    expect(removalKind(tokenize("purge"), { destructiveHint: true }, tokenize("Wipes every note"))).toBe("name")
    expect(removalKind(tokenize("write_file"), { destructiveHint: true }, tokenize("Create or overwrite a file"))).toBe("hint")
    // destructiveHint means nothing on a read-only tool (MCP), nor when false
    expect(removalKind(tokenize("read_record"), { destructiveHint: true, readOnlyHint: true }, tokenize("Read"))).toBeUndefined()
    expect(removalKind(tokenize("add_note"), { destructiveHint: false }, tokenize("Add a note"))).toBeUndefined()
  })

  test("a tool that only declares destructiveHint is not penalised when the request names its action", () => {
    const a = ix.search("overwrite a note of a record", { limit: 1 })[0]!
    expect(a.tool.name).toBe("kb__overwrite_record")
    expect(asksRemoval(tokenize("overwrite a record"))).toBe(false)
    expect(asksRemoval(tokenize("wipe the cache"))).toBe(true)
  })
})

describe("vocabulary", () => {
  test("synonyms work both ways where they mean the same: add ↔ sum, link ↔ relation, size → info", () => {
    expect(synonymsOf(stem("add"))?.has(stem("sum"))).toBe(true)
    expect(synonymsOf(stem("sum"))?.has(stem("add"))).toBe(true)
    expect(synonymsOf(stem("link"))?.has(stem("relation"))).toBe(true)
    expect(synonymsOf(stem("relation"))?.has(stem("link"))).toBe(true)
    expect(synonymsOf(stem("size"))?.has(stem("info"))).toBe(true)
  })

  test("number words and 'everything' say nothing about the tool (server-everything is not named by them)", () => {
    expect(tokenize("tell me everything about two numbers")).toEqual(["tell", stem("numbers")])
    const ix = indexOf(["everything", "memory", "filesystem"])
    expect(top(ix, "tell me everything you know about Acme", 3).some((n) => n.startsWith("everything__"))).toBe(false)
  })
})

describe("deprecated tools", () => {
  test("a tool whose description says it is deprecated ranks below its successor, unless the request says deprecated", () => {
    const ix = createToolIndex()
    ix.setServer("fs", [
      { server: "fs", name: "fs__read_file", tool: "read_file", description: "Read the complete contents of a file as text. DEPRECATED: Use read_text_file instead.", inputSchema: { type: "object" } },
      { server: "fs", name: "fs__read_text_file", tool: "read_text_file", description: "Read the complete contents of a file from the file system as text.", inputSchema: { type: "object" } },
    ])
    expect(ix.search("read file", { limit: 1 })[0]!.tool.name).toBe("fs__read_text_file")
    expect(ix.search("deprecated read file", { limit: 1 })[0]!.tool.name).toBe("fs__read_file")
  })
})

