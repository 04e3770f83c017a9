/**
 * The classes of miss QA 234's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { existsAsFind } from "../../src/catalog/search/exists-question.ts"
import { countTerms } from "../../src/catalog/search/number-of.ts"
import { productLast } from "../../src/catalog/search/product-first.ts"
import { qa211Fleet } from "./search-qa211-fleet.ts"
import { qa223Fleet } from "./search-qa223-fleet.ts"
import { qa234Fleet } from "./search-qa234-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const infra = fleetIndex(qa234Fleet)
const devops = fleetIndex(qa211Fleet)

describe("QA 234 classes: a product's name opening a request, then a verb (product-first.ts)", () => {
  test("a verb no tool of that product does leaves every hit weak", () => {
    // (once: every registry tool strong through "terraform" alone, the verb no verb of the request)
    for (const q of ["terraform destroy the old vpc", "terraform import this bucket into state"]) {
      expect(infra.search(q, { limit: 5 }).every((h) => h.weak)).toBe(true)
    }
    // (Vercel deploys nothing new: "redeploy" is no verb of its tools)
    expect(devops.search("vercel redeploy the preview branch", { limit: 5 }).every((h) => h.weak)).toBe(true)
  })
  test("a verb the product's tool does still finds it, strong and first", () => {
    for (const [q, tool] of [
      ["sentry assign the WEB-9 issue to me", "sentry__update_issue"],
      ["datadog: unmute the db-02 host", "datadog__unmute_host"],
      ["grafana create an incident for the checkout outage", "grafana__create_incident"],
    ] as const) {
      const [top] = (q.startsWith("grafana") ? devops : infra).search(q, { limit: 5 })
      expect(top?.tool.name).toBe(tool)
      expect(top?.weak).toBeFalsy()
    }
  })
  test("only a server's name, then a verb of plain language before a word that follows verbs; not a CLI's line", () => {
    const servers = (w: string) => ["terraform", "sentry", "git", "kubectl"].includes(w)
    expect(productLast("terraform apply the staging workspace", servers)).toBe("apply the staging workspace in terraform")
    expect(productLast("Sentry: resolve this issue.", servers)).toBe("resolve this issue in Sentry")
    // (a CLI's command line, shell.ts reads it; a plural names things; no word that follows verbs; no server)
    expect(productLast("git add the readme", servers)).toBe("git add the readme")
    expect(productLast("kubectl get the pods", servers)).toBe("kubectl get the pods")
    expect(productLast("sentry issues in the web project", servers)).toBe("sentry issues in the web project")
    expect(productLast("terraform module for an s3 bucket", servers)).toBe("terraform module for an s3 bucket")
    expect(productLast("pulumi apply the stack", servers)).toBe("pulumi apply the stack")
  })
})

describe("QA 234 classes: \"is there a …?\" asks to find one (exists-question.ts)", () => {
  test("the tool searching for the thing ranks first, not the one reading one by its id", () => {
    // (once: `get_module_details` and `get_issue_details`, which take an id found by the search, first)
    for (const [q, tool] of [
      ["is there a terraform module for a postgres database", "terraform__search_modules"],
      ["is there an issue in sentry about the login timeout", "sentry__search_issues"],
      ["is there a module for a redis cluster in the registry?", "terraform__search_modules"],
    ] as const) {
      expect(infra.search(q, { limit: 5 })[0]?.tool.name).toBe(tool)
    }
  })
  test("only \"is there a/an\" opening the request or a sentence; not several (\"any\", \"are there\")", () => {
    expect(existsAsFind("is there a module for s3?")).toBe("find a module for s3?")
    expect(existsAsFind("The deploy failed. Is there an alert for it?")).toBe("The deploy failed. find an alert for it?")
    expect(existsAsFind("are there any open incidents?")).toBe("are there any open incidents?")
    expect(existsAsFind("is there any coffee left")).toBe("is there any coffee left")
    expect(existsAsFind("what is there a lot of")).toBe("what is there a lot of")
  })
})

describe("QA 234 classes: a tool getting \"the number of\" things counts them (number-of.ts)", () => {
  const data = fleetIndex(qa223Fleet)
  test("\"how many\" finds the tool whose summary reads the number of what is asked", () => {
    // (once: every Redis tool naming keys ranked, `dbsize` "Get the number of keys …" out of the first six or below `scan_keys`)
    expect(data.search("how many keys are stored in redis", { limit: 5 })[0]?.tool.name).toBe("redis__dbsize")
    expect(data.search("how many keys r there in redis", { limit: 2 }).map((h) => h.tool.name)).toContain("redis__dbsize")
  })
  test("only a summary opening by reading the (total) number of something", () => {
    expect(countTerms("Get the number of keys stored in the Redis database")).toEqual(["count"])
    expect(countTerms("Returns the total number of active hosts")).toEqual(["count"])
    expect(countTerms("Simplify a LineString by reducing the number of vertices")).toEqual([])
    expect(countTerms("Get a list of connected clients")).toEqual([])
  })
})
