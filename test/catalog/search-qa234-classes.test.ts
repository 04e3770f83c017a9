/**
 * The classes of miss QA 234's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { productLast } from "../../src/catalog/search/product-first.ts"
import { qa211Fleet } from "./search-qa211-fleet.ts"
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
