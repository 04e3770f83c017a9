/**
 * Shell vocabulary and weak matches in tool search (src/catalog/search/shell.ts, intent.ts,
 * index.ts): the requests of QA report item 15 over the reference servers (server-everything,
 * server-memory, server-filesystem) and over the whole recorded fleet; how a command line is read
 * (flags, operands, git subcommands, redirects, English words that are commands only where a
 * command line starts); and which hits are marked weak (missing a command, the action asked for,
 * or every object named).
 */
import { describe, expect, test } from "bun:test"
import { loadFleet, toIndexed } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex, type ToolIndex } from "../../src/catalog/index.ts"
import { wordRole } from "../../src/catalog/search/intent.ts"
import { readCommandLine } from "../../src/catalog/search/shell.ts"
import { stem } from "../../src/catalog/search/tokenize.ts"

const fleet = loadFleet()

function indexOf(servers: readonly string[]): ToolIndex {
  const ix = createToolIndex()
  for (const s of servers) ix.setServer(s, toIndexed(s, fleet.get(s)!))
  return ix
}

/** Requirement words as the index has them (stemmed). */
const w = (words: string): string[] => words.split(" ").map(stem)

const demo = indexOf(["everything", "memory", "filesystem"])
const all = indexOf([...fleet.keys()])

describe("QA report: shell words over the reference servers", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["mkdir", "filesystem__create_directory"],
    ["ls", "filesystem__list_directory"],
    // (over the whole fleet github's search_code, grep over a repository, comes first for grep)
    ["grep", "filesystem__search_files"],
    ["mv", "filesystem__move_file"],
    ["cat file", "filesystem__read_text_file"],
    ["mkdir -p src/components/ui", "filesystem__create_directory"],
    ["ls -la ~/projects", "filesystem__list_directory"],
    ["grep -r TODO src", "filesystem__search_files"],
    ["mv old.txt new.txt", "filesystem__move_file"],
    ["cat README.md", "filesystem__read_text_file"],
    ["touch notes.txt", "filesystem__write_file"],
    ["echo hello > hello.txt", "filesystem__write_file"],
    ["ls -R docs", "filesystem__directory_tree"],
    ["du -sh *", "filesystem__list_directory_with_sizes"],
    ["printenv", "everything__get-env"],
  ]
  for (const [label, ix] of [
    ["everything + memory + filesystem", demo],
    ["the whole recorded fleet", all],
  ] as const) {
    test(`each comes first, not marked weak (${label})`, () => {
      for (const [q, want] of cases) {
        const h = ix.search(q, { limit: 1 })[0]
        const ok = ix === all && q.startsWith("grep") ? "github__search_code" : want
        expect([q, h?.tool.name, h?.weak]).toEqual([q, ok, undefined])
      }
    })
  }

  test('"delete a file" where no tool deletes files: every hit is weak and says "file" is missing', () => {
    for (const q of ["delete a file", "delete a directory", "rm notes.txt", "rm -rf build"]) {
      const hits = demo.search(q, { limit: 8 })
      expect(hits.length).toBeGreaterThan(0)
      for (const h of hits) expect([q, h.tool.name, h.weak]).toEqual([q, h.tool.name, true])
    }
    const del = demo.search("delete a file", { limit: 8 })
    // the memory server's destructive tools delete, but not files
    const rel = del.find((h) => h.tool.name === "memory__delete_relations")!
    expect(rel.unmatched).toEqual(["file"])
    // filesystem's tools are about files, but none deletes
    const write = del.find((h) => h.tool.name === "filesystem__write_file")
    if (write) expect(write.unmatched).toEqual(["delete"])
    expect(demo.search("rm notes.txt", { limit: 1 })[0]!.unmatched).toEqual(["rm"])
  })

  test('"delete a file" where a tool deletes files: that one first, not weak', () => {
    const h = all.search("delete a file", { limit: 3 })
    expect(h[0]!.tool.name).toBe("github__delete_file")
    expect(h[0]!.weak).toBeUndefined()
    expect(all.search("rm notes.txt", { limit: 1 })[0]!.tool.name).toBe("github__delete_file")
  })

  test("commands no tool does: every hit weak (or none)", () => {
    for (const q of ["git stash", "git blame src/main.ts", "chmod +x deploy.sh", "ssh into the staging server", "docker ps", "npm install lodash", "kill -9 1234", "tar -xzf release.tar.gz", "cp config.yaml config.yaml.bak"]) {
      for (const h of all.search(q, { limit: 10 })) expect([q, h.tool.name, h.weak]).toEqual([q, h.tool.name, true])
    }
  })

  test("weak marks do not reorder: a query of plain words ranks as it did, and right answers stay unmarked", () => {
    for (const [q, want] of [
      ["read a file", "filesystem__read_text_file"],
      ["create an entity", "memory__create_entities"],
      ["remember a fact about a person", "memory__add_observations"],
      ["list directory", "filesystem__list_directory"],
    ] as const) {
      const h = demo.search(q, { limit: 1 })[0]!
      expect([q, h.tool.name, h.weak]).toEqual([q, want, undefined])
    }
  })
})

describe("reading a command line", () => {
  test("the command stands for its meaning; flags are dropped; operands are arguments", () => {
    const c = readCommandLine("mkdir -p src/components/ui")
    expect(c.units).toEqual([{ text: "mkdir", groups: [w("create make new"), w("directory folder")], line: true }])
    expect(c.operands).toEqual(["src/components/ui"])
    expect(c.rest.trim()).toBe("")
    // operands end at the first word of plain language
    const s = readCommandLine("ssh into the staging server")
    expect(s.operands).toEqual([])
    expect(s.rest).toBe("into the staging server")
  })

  test("a few flags change the meaning: ls -R, tar -x, git checkout -b, git diff --staged", () => {
    expect(readCommandLine("ls -R docs").units[0]!.groups[0]).toEqual(w("tree recursive"))
    expect(readCommandLine("tar -xzf a.tgz").units[0]!.groups[0]).toEqual(w("extract decompress unpack"))
    expect(readCommandLine("git checkout -b feature/x").units[0]).toEqual({ text: "git checkout", groups: [w("create checkout"), w("branch")], line: true, cli: "git", words: ["git"] })
    expect(readCommandLine("git diff --staged").units[0]!.groups).toEqual([w("diff"), w("staged")])
    // git stays a word of the request (it names the server); unknown subcommands ask for themselves
    const st = readCommandLine("git stash")
    expect(st.rest).toBe("git")
    expect(st.units).toEqual([{ text: "git stash", groups: [w("stash")], line: true, cli: "git", words: ["git"] }])
  })

  test("redirecting a command that prints writes a file; quoted text is one operand", () => {
    expect(readCommandLine("echo hello > hello.txt").units).toEqual([{ text: "echo", groups: [w("write create"), w("file")] }])
    expect(readCommandLine("psql -c 'select count(*) from users'").operands).toEqual(["'select count(*) from users'"])
  })

  test("English words are commands only where a command line starts and looks like one", () => {
    expect(readCommandLine("cat README.md").units.map((u) => u.text)).toEqual(["cat"])
    expect(readCommandLine("head -n 20 server.log").units.map((u) => u.text)).toEqual(["head"])
    expect(readCommandLine("date").units.map((u) => u.text)).toEqual(["date"])
    for (const q of ["head of the team", "date of the last release", "touch up the docs", "the cat file", "find the user named Bob"]) {
      expect([q, readCommandLine(q).units]).toEqual([q, []])
    }
    expect(readCommandLine("find src -name '*.ts'").units.map((u) => u.text)).toEqual(["find"])
    // unambiguous command names count anywhere
    expect(readCommandLine("use grep to look for TODO").units.map((u) => u.text)).toEqual(["grep"])
  })
})

describe("word roles", () => {
  test("an imperative change verb asks for that action; participles and nouns do not; loose verbs and quantities ask for nothing", () => {
    const role = (w: string) => wordRole(w, stem(w))
    expect(["delete", "move", "send", "create", "wipe"].map(role)).toEqual(["change", "change", "change", "change", "change"])
    expect(["modified", "changes", "deleted"].map(role)).toEqual(["other", "other", "other"])
    expect(["show", "find", "make", "open", "latest", "many"].map(role)).toEqual(["other", "other", "other", "other", "other", "other"])
    expect(["file", "team", "repository"].map(role)).toEqual(["object", "object", "object"])
  })
})
