/**
 * The number-twin step of a search (`lowerNumberTwins`, catalog/search/number-twin.ts) looks at
 * every pair of a hit and another tool of its server: in a fleet of 50 servers × 100 tools that is
 * ≈ 500 000 pairs. It split both names of each pair again (≈ 1 s and tens of MiB of garbage per
 * search there); each tool's name is now split once per search, and the scores are as before.
 */
import { describe, expect, test } from "bun:test"
import { lowerNumberTwins, type TwinHit } from "../../src/catalog/search/number-twin.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"

const SERVERS = 20
const PER = 50

function fleet(): { hits: TwinHit[]; byServer: Map<string, string[]>; own: Map<string, string> } {
  const byServer = new Map<string, string[]>()
  const own = new Map<string, string>()
  const hits: TwinHit[] = []
  for (let s = 0; s < SERVERS; s++) {
    const server = `s${s}`
    const names: string[] = []
    for (let i = 0; i < PER; i++) {
      // twins by number on every server: get_run_<k> / get_runs_<k>
      const tool = i % 2 === 0 ? `get_run_${i >> 1}` : `get_runs_${i >> 1}`
      const name = `${server}__${tool}`
      names.push(name)
      own.set(name, tool)
      hits.push({ tool: { name, server, tool }, score: 1 + ((s * PER + i) % 7) / 10 })
    }
    byServer.set(server, names)
  }
  return { hits, byServer, own }
}

describe("number twins in a large fleet (number-twin.ts lowerNumberTwins)", () => {
  test("each tool's name is split once per search, not once per pair", () => {
    const { hits, own } = fleet()
    const splits = new Map<string, number>()
    const counting = (text: string): string[] => {
      splits.set(text, (splits.get(text) ?? 0) + 1)
      return splitWords(text)
    }
    lowerNumberTwins(hits, (n) => own.get(n)!, ["runs"], 0.95, counting)
    expect(splits.size).toBe(PER) // the same tool names on every server
    // once per server at most (the same own name is another tool on each server)
    for (const [, n] of splits) expect(n).toBeLessThanOrEqual(SERVERS)
  })

  test("the twin in the number not typed goes below the one typed, the others keep their scores", () => {
    const { hits, own } = fleet()
    const before = new Map(hits.map((h) => [h.tool.name, h.score]))
    lowerNumberTwins(hits, (n) => own.get(n)!, ["runs"], 0.95, splitWords)
    for (const h of hits) {
      const was = before.get(h.tool.name)!
      if (/get_runs_/.test(h.tool.tool)) expect(h.score).toBe(was)
      else {
        // its twin get_runs_<k> was scored before it in the hits' order: capped at that × 0.95
        const twin = hits.find((t) => t.tool.server === h.tool.server && t.tool.tool === h.tool.tool.replace("get_run_", "get_runs_"))!
        expect(h.score).toBeCloseTo(Math.min(was, twin.score * 0.95), 12)
      }
    }
  })
})
