/**
 * The classes of miss QA 178's held-out set and the open items before it showed, each as a rule of
 * src/catalog/search, checked over a recorded fleet with requests that are not in the set.
 */
import { describe, expect, test } from "bun:test"
import { qa174Fleet } from "./search-qa174-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa174Fleet)
const first = (q: string) => ix.search(q, { limit: 10 })[0]

describe("QA 178 classes: things asked of a machine", () => {
  test("words the tools know before 'on <host>' are things asked, not a command the table lacks (host.ts)", () => {
    // (once: ssh_execute first, "disk usage" read as a command line to run)
    for (const q of ["disk usage on web-01", "cpu load on app-3"]) expect(first(q)?.tool.name).not.toBe("ssh__ssh_execute")
    // (a word no tool uses, or one word, still opens a command line)
    expect(first("systemctl restart nginx on web-02")?.tool.name).toBe("ssh__ssh_execute")
    expect(first("uptime on web-01")?.tool.name).toBe("ssh__ssh_execute")
  })

  test("a request ending on a machine asks a tool taking a machine, not one matching its words elsewhere (on-host.ts)", () => {
    // (once: the memory server's add_observations first, through "memory")
    expect(first("memory usage on web-01")?.tool.server).toBe("ssh")
    expect(first("memory usage on the db box")?.tool.server).toBe("ssh")
    // (no machine named: the memory server keeps its word)
    expect(first("memory usage")?.tool.server).not.toBe("ssh")
  })
})
