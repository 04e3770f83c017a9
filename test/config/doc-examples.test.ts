/**
 * @module test/config/doc-examples
 * Every YAML config example of README.md and docs/*.md loads as written: a user who copies one into
 * config.yaml gets a running orchestrator, not a config error. (The README's first example once
 * had `Authorization: "Bearer …"`, refused as a header value beyond Latin-1; its toolsets example
 * named servers it did not configure.)
 */
import { describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const ROOT = join(import.meta.dir, "..", "..")
const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]

const examples: Array<{ where: string; text: string }> = []
for (const doc of docs) {
  const md = readFileSync(join(ROOT, doc), "utf8")
  const re = /^```yaml\n([\s\S]*?)^```$/gm
  for (let m = re.exec(md); m; m = re.exec(md)) examples.push({ where: `${doc}:${md.slice(0, m.index).split("\n").length}`, text: m[1]! })
}

describe("config examples in the docs load as written", () => {
  test("there are examples to check", () => {
    expect(examples.filter((e) => e.where.startsWith("README.md")).length).toBeGreaterThanOrEqual(2)
  })
  for (const { where, text } of examples) {
    test(where, () => {
      // the environment a user would have: the variables the example reads are set
      const env: Record<string, string> = { HOME: "/home/me" }
      for (const m of text.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) env[m[1]!] = "example-value-0123456789"
      expect(() => loadConfig({ inline: { text, name: where }, env })).not.toThrow()
    })
  }
})
