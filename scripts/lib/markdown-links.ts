/**
 * @module scripts/lib/markdown-links
 * Heading anchors as GitHub renders them, and the relative links of a Markdown file. Used by
 * `bun run docs` (the generated docs link their own headings and the troubleshooting entries) and
 * by test/docs/links.test.ts (every link between README.md and docs/*.md resolves).
 */

/** GitHub's anchor for a heading text: lower-cased, punctuation but `-` and `_` dropped, spaces to `-`. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-")
}

const blank = (s: string): string => s.replace(/[^\n]/g, " ")

/** Markdown with fenced blocks blanked (same line count). */
function withoutBlocks(md: string): string {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank)
}

/** Markdown with fenced blocks and inline code spans blanked (same line count). */
function proseOnly(md: string): string {
  return withoutBlocks(md).replace(/(`+)[^`\n][\s\S]*?\1/g, blank)
}

/** Every anchor a file offers: its headings (duplicates numbered `-1`, `-2` as GitHub does) and explicit `<a name|id>`. */
export function anchorsOf(md: string): Set<string> {
  const out = new Set<string>()
  const seen = new Map<string, number>()
  for (const line of withoutBlocks(md).split("\n")) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (h) {
      const base = githubSlug(h[1]!)
      const n = seen.get(base)
      seen.set(base, (n ?? -1) + 1)
      out.add(n === undefined ? base : `${base}-${n + 1}`)
    }
    for (const a of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(a[1]!)
  }
  return out
}

export type Link = { line: number; target: string }

/** The relative links `[text](target)` of a file's prose (not URLs with a scheme, not code). */
export function relativeLinks(md: string): Link[] {
  const prose = proseOnly(md)
  const out: Link[] = []
  for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
    out.push({ line: prose.slice(0, m.index).split("\n").length, target })
  }
  return out
}
