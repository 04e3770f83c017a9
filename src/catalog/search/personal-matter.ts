/**
 * @module catalog/search/personal-matter
 * "File my personal tax return", "how do i do my personal taxes": a thing said to be personal is
 * the asker's own affair, not an organisation's record. A payroll's tax tools, an HR system's files
 * or a store's customers share its other words ("tax", "return", "file") and answered strong
 * (QA 286, QA 322); a tool that does handle personal things says so ("personal access token",
 * "personal calendar") and still answers (index.ts marks the others weak).
 */

/** Words saying a thing is the asker's own. */
const PERSONAL = new Set(["personal"])

/** The personal word of `words` (as typed, lowercase) and the thing it qualifies, the word after it ("personal" "tax"), if any. */
export function personalThing(words: readonly string[]): { word: string; thing: string } | undefined {
  const at = words.findIndex((w) => PERSONAL.has(w))
  const thing = words[at + 1]
  return at >= 0 && thing !== undefined ? { word: words[at]!, thing } : undefined
}

/**
 * True when a tool's own text says the personal thing: the word and then the thing's stem
 * ("personal access token" for "my personal access token"; not "personal details" for "my personal
 * tax return", nor "personal card spend" for it).
 */
export function handlesPersonal(toolText: string, asked: { word: string; thing: string }, thingStem: string): boolean {
  return new RegExp(String.raw`\b${asked.word}[\s_-]+${thingStem.replace(/[^a-z0-9]/g, "")}`, "i").test(toolText)
}
