/**
 * Regression (QA qa22, servers from npm): desktop-commander writes its tool descriptions as
 * indented template literals, 24 spaces a line: read_file's 4 557 characters are 3 300 without
 * them. The proxy.maxDescription cap (4 096) counted the indentation and cut the description's end
 * ("… [truncated by mcp-orchestrator: 4557 characters]"). A description over the cap now loses the
 * indentation its lines share first, and is cut only if still over; one under the cap is unchanged.
 */
import { expect, test } from "bun:test"
import { sanitizeItem, type SanitizeReport } from "../../src/catalog/index.ts"

const O = { maxDescription: 4096 }
const PAD = " ".repeat(24)

function clean(description: string): { description: string; report: SanitizeReport } {
  const report: SanitizeReport = { hidden: 0, truncated: 0 }
  const out = sanitizeItem({ name: "read_file", description, inputSchema: { type: "object" } }, O, report)
  return { description: out.description, report }
}

// the shape of desktop-commander 0.2.52's read_file: a blank first line, every line indented, a nested list
const lines = ["Read contents from files and URLs.", "Supports partial file reading with:", "- 'offset' (start line, default: 0)", "  * Positive: Start from line N (0-based indexing)", "  * Negative: Read last N lines from end (tail behavior)"]
const body: string[] = []
for (let i = 0; body.join("\n").length < 3300; i++) body.push(`${lines[i % lines.length]} (${i})`)
body.push("IMPORTANT: Always use absolute paths for reliability.")
const indented = `\n${body.map((l) => PAD + l).join("\n")}\n${PAD}`

test("an indented description over the cap keeps its end: the shared indentation goes, not its words", () => {
  expect(indented.length).toBeGreaterThan(4096)
  const { description, report } = clean(indented)
  expect(report.truncated).toBe(0)
  expect(description).toBe(body.join("\n"))
  // relative indentation (the nested list) stays
  expect(description).toContain("\n  * Positive: Start from line N")
  expect(description).toEndWith("IMPORTANT: Always use absolute paths for reliability.")
})

test("still over the cap without its indentation: cut, the note counted in the cap", () => {
  const long = `\n${Array.from({ length: 300 }, (_, i) => `${PAD}line ${i} of a long description`).join("\n")}`
  const { description, report } = clean(long)
  expect(report.truncated).toBe(1)
  expect(description.length).toBeLessThanOrEqual(4096)
  expect(description).toStartWith("line 0 of a long description\nline 1")
})

test("an indented description under the cap is passed as it is", () => {
  const short = `\n${PAD}Read a file.\n${PAD}  * nested\n${PAD}`
  expect(clean(short).description).toBe(short)
})
