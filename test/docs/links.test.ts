/**
 * @module test/docs/links
 * Every relative link of README.md and docs/*.md reaches a file that exists and, with a `#anchor`,
 * a heading of that file as GitHub renders it. (The generated docs/tools.md once linked
 * `#orchestrator-status` and `troubleshooting.md#docker-not-found`: GitHub keeps the `_`, so every
 * one of its 100-odd links led nowhere.)
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, normalize } from "node:path"
import { anchorsOf, githubSlug, relativeLinks } from "../../scripts/lib/markdown-links.ts"

const ROOT = join(import.meta.dir, "..", "..")
const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]

describe("links between the docs resolve", () => {
  test("slugs as GitHub makes them", () => {
    expect(githubSlug("orchestrator_status")).toBe("orchestrator_status")
    expect(githubSlug("DOCKER_NOT_FOUND")).toBe("docker_not_found")
    expect(githubSlug("Tools that must run as tasks")).toBe("tools-that-must-run-as-tasks")
    expect(githubSlug("Notification floods and clients that stop reading")).toBe("notification-floods-and-clients-that-stop-reading")
    expect(githubSlug("HTTP endpoint (`serve --http`)")).toBe("http-endpoint-serve---http")
  })

  for (const doc of docs) {
    test(doc, () => {
      const md = readFileSync(join(ROOT, doc), "utf8")
      const broken: string[] = []
      for (const { line, target } of relativeLinks(md)) {
        const [path, anchor] = target.split("#", 2) as [string, string | undefined]
        const file = path ? normalize(join(dirname(join(ROOT, doc)), decodeURIComponent(path))) : join(ROOT, doc)
        if (!existsSync(file)) broken.push(`${doc}:${line}: ${target}: no such file`)
        else if (anchor !== undefined && file.endsWith(".md") && statSync(file).isFile() && !anchorsOf(readFileSync(file, "utf8")).has(anchor))
          broken.push(`${doc}:${line}: ${target}: no such heading`)
      }
      expect(broken).toEqual([])
    })
  }
})
