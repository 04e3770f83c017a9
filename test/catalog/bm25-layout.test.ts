/**
 * The BM25F index keeps per document one flat array of term counts and the index's own instance of
 * each term (qa289: a Map and a Float64Array per (term, document) pair and a token string per pair
 * cost ~120 MiB of RSS when a 5 000-tool fleet was first searched). Scores stay those of the BM25F
 * formula from exact counts, through adds, re-adds and removes.
 */
import { expect, test } from "bun:test"
import { BM25, Bm25Index } from "../../src/catalog/search/bm25.ts"
import { FIELDS, FIELD_B, FIELD_WEIGHT, type Field } from "../../src/catalog/search/fields.ts"

type Fields = Record<Field, string[]>
const doc = (parts: Partial<Fields>): Fields => Object.fromEntries(FIELDS.map((f) => [f, parts[f] ?? []])) as Fields

/** BM25F of `term` for every document of `docs` holding it, from scratch. */
function reference(docs: Map<string, Fields>, term: string): Map<string, number> {
  const n = docs.size
  const avg = FIELDS.map((f) => [...docs.values()].reduce((s, d) => s + d[f].length, 0) / n || 1)
  const holding = [...docs].filter(([, d]) => FIELDS.some((f) => d[f].includes(term)))
  const df = holding.length
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5))
  const out = new Map<string, number>()
  for (const [id, d] of holding) {
    let x = 0
    FIELDS.forEach((f, i) => {
      const tf = d[f].filter((t) => t === term).length
      if (tf) x += (FIELD_WEIGHT[f] * tf) / (1 - FIELD_B[f] + (FIELD_B[f] * d[f].length) / avg[i]!)
    })
    out.set(id, (idf * (x * (BM25.k1 + 1))) / (BM25.k1 + x))
  }
  return out
}

test("scores are the BM25F formula's through adds, a re-add and removes; field lookups agree", () => {
  const bm = new Bm25Index()
  const docs = new Map<string, Fields>()
  const put = (id: string, f: Fields) => (bm.add(id, f), docs.set(id, f))
  put("gh__create_issue", doc({ name: ["create", "issue"], description: ["create", "a", "new", "issue", "issue"], argName: ["title", "body"] }))
  put("gh__list_issues", doc({ name: ["list", "issue"], summary: ["list", "issue", "in", "a", "repo"], server: ["gh"] }))
  put("jira__create_ticket", doc({ name: ["create", "ticket"], title: ["create", "ticket"], choices: ["open", "closed"] }))
  put("gh__create_issue", doc({ name: ["create", "issue"], argDesc: ["issue", "title"] }))
  bm.remove("jira__create_ticket")
  docs.delete("jira__create_ticket")
  put("x__y", doc({ name: ["issue"], description: Array.from({ length: 40 }, (_, i) => (i % 3 ? "word" : "issue")) }))
  for (const term of ["create", "issue", "list", "ticket", "title", "word", "absent"]) {
    const got = bm.scoreTerm(term)
    const want = reference(docs, term)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [id, s] of want) expect(got.get(id)).toBeCloseTo(s, 12)
  }
  expect(bm.hasTerm("ticket")).toBe(false)
  expect(bm.docHasTermIn("gh__create_issue", "issue", [FIELDS.indexOf("argDesc")])).toBe(true)
  expect(bm.docHasTermIn("gh__create_issue", "issue", [FIELDS.indexOf("description")])).toBe(false)
  expect(bm.hasTermIn("repo", [FIELDS.indexOf("summary")])).toBe(true)
  expect(bm.hasTermIn("repo", [FIELDS.indexOf("name")])).toBe(false)
  expect(bm.completions("iss", 5)).toEqual(["issue"])
})

test("per document: one flat count array and the index's term instances, no array or map per term (qa289)", () => {
  const bm = new Bm25Index()
  // distinct string instances of the same words, as a tokenizer makes them per document
  const words = (s: string) => s.split(" ").map((w) => `${w} `.trim())
  bm.add("a", doc({ name: words("get user"), description: words("get the user by id") }))
  bm.add("b", doc({ name: words("get repo"), description: words("get the repo by name") }))
  const docs = (bm as unknown as { docs: Map<string, Record<string, unknown>> }).docs
  for (const d of docs.values()) {
    const perTerm = Object.values(d).filter((v) => v instanceof Map || (Array.isArray(v) && v.some((x) => ArrayBuffer.isView(x))))
    expect(perTerm).toEqual([])
    expect(Object.values(d).filter((v) => ArrayBuffer.isView(v)).length).toBeLessThanOrEqual(2)
  }
})

test("a count past one byte is kept exact (a description repeating a word 300 times scores as the formula says)", () => {
  const bm = new Bm25Index()
  const docs = new Map<string, Fields>()
  const put = (id: string, f: Fields) => (bm.add(id, f), docs.set(id, f))
  put("a__spam", doc({ name: ["spam"], description: Array.from({ length: 300 }, () => "spam") }))
  put("b__spam", doc({ name: ["spam"], description: ["spam", "once"] }))
  put("c__other", doc({ name: ["other"] }))
  const got = bm.scoreTerm("spam")
  const want = reference(docs, "spam")
  for (const [id, s] of want) expect(got.get(id)).toBeCloseTo(s, 12)
  expect(got.get("a__spam")!).toBeGreaterThan(got.get("b__spam")!)
})

test("postings compacted after removals keep scores, order and field lookups exact (documents re-added land last)", () => {
  const bm = new Bm25Index()
  const docs = new Map<string, Fields>()
  const put = (id: string, f: Fields) => (bm.add(id, f), docs.set(id, f))
  const drop = (id: string) => (bm.remove(id), docs.delete(id))
  for (let i = 0; i < 40; i++) put(`s__t${i}`, doc({ name: ["get", `thing${i % 5}`], summary: i % 2 ? ["list", "issue"] : ["issue"] }))
  for (let i = 0; i < 40; i++) if (i % 4) drop(`s__t${i}`)
  put("s__t0", doc({ name: ["get", "issue"], title: ["get", "issue"] }))
  put("s__t41", doc({ name: ["list"], argName: ["issue"] }))
  for (const term of ["get", "issue", "list", "thing1", "thing3"]) {
    const got = bm.scoreTerm(term)
    const want = reference(docs, term)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [id, s] of want) expect(got.get(id)).toBeCloseTo(s, 12)
  }
  // insertion order, the re-added document last
  expect([...bm.scoreTerm("issue").keys()].slice(-2)).toEqual(["s__t0", "s__t41"])
  expect(bm.docHasTermIn("s__t0", "issue", [FIELDS.indexOf("title")])).toBe(true)
  expect(bm.docHasTermIn("s__t41", "issue", [FIELDS.indexOf("name")])).toBe(false)
  expect(bm.docHasTermIn("s__t1", "get", [FIELDS.indexOf("name")])).toBe(false)
  expect(bm.hasTermIn("list", [FIELDS.indexOf("summary")])).toBe(false)
  expect(bm.hasTermIn("list", [FIELDS.indexOf("name")])).toBe(true)
})
