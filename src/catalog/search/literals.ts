/**
 * @module catalog/search/literals
 * The parts of a request that are arguments, not intent: URLs, paths, file names, quoted text,
 * issue keys ("open https://x.io/a", "rename notes.txt", "move PROJ-12"). Their words say little
 * about which tool to pick ("notes" in notes.txt is not about notes), so they are taken out of the
 * query's words and kept at a low weight; what they are says more ("a file", "a URL"), so each
 * brings in its kind's words instead. A URL may come without its scheme ("example.com",
 * "localhost:3000"), and a name may be an identifier of words and digits ("web-7f9", "api-v2"): its
 * words are a pod's or a branch's name, not what the request is about ("web" is no web search).
 * A SQL statement ("run SELECT count(*) FROM orders") is one too: its words are columns and tables,
 * and it says "a SQL query".
 */

export interface Literal {
  text: string
  kind: "url" | "path" | "file" | "quoted" | "key" | "shortid" | "ref" | "channel" | "id" | "sql"
}

/** Words each kind of literal stands for. */
export const LITERAL_KIND_WORDS: Record<Literal["kind"], string> = {
  url: "url",
  path: "file path",
  file: "file",
  quoted: "",
  key: "issue",
  shortid: "issue",
  ref: "issue owner repo",
  channel: "channel",
  id: "",
  sql: "sql query",
}

/** Top-level domains a host typed without its scheme ends with (not a file extension: no "sh", "md", "py"). */
const TLD = "com|org|net|io|dev|app|ai|co|me|us|uk|de|fr|eu|info|biz|edu|gov|tech|site|cloud|xyz|page"

const EXT =
  "txt|md|markdown|json|jsonl|ya?ml|toml|ini|cfg|conf|env|csv|tsv|log|xml|html?|css|s[ac]ss|jsx?|tsx?|mjs|cjs|py|rb|go|rs|java|kt|swift|c|h|cpp|hpp|cs|php|sh|sql|db|sqlite|pdf|docx?|xlsx?|pptx?|png|jpe?g|gif|svg|webp|mp3|wav|mp4|mov|zip|tar|gz|tgz"
const TABLE = `[\\w."]+`
const PATTERNS: ReadonlyArray<[Literal["kind"], RegExp]> = [
  // a SQL statement: keywords in capitals, or a shape no sentence has ("select * from t", "select
  // count(*) from t", "select a, b from t", "insert into t values", "update t set a =", "delete from t where")
  ["sql", new RegExp(`\\b(?:SELECT\\s[^;]{1,300}?\\sFROM|INSERT\\s+INTO|DELETE\\s+FROM|UPDATE\\s+${TABLE}\\s+SET)\\s+${TABLE}`, "g")],
  ["sql", new RegExp(`\\b(?:select\\s+(?:distinct\\s+)?(?:\\*|\\w+\\s*\\([^)]{0,80}\\)|[\\w.]+(?:\\s*,\\s*[\\w.]+)+)\\s+from)\\s+${TABLE}|\\binsert\\s+into\\s+${TABLE}\\s*(?:\\(|values\\b|select\\b)|\\bupdate\\s+${TABLE}\\s+set\\s+\\w+\\s*=|\\bdelete\\s+from\\s+${TABLE}\\s+where\\b`, "gi")],
  ["url", /\bhttps?:\/\/[^\s"'`<>]+/gi],
  // a host without its scheme: "example.com", "docs.bun.dev/api", "localhost:3000"
  ["url", new RegExp(`(?<=^|[\\s(])(?:localhost(?::\\d+)?|[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${TLD})(?::\\d+)?)(?:\\/[^\\s"'\`<>]*)?(?=$|[\\s.,;:!?)])`, "gi")],
  ["quoted", /(?<=^|[\s(:])(?:"[^"\n]{1,200}"|'[^'\n]{1,200}'|`[^`\n]{1,200}`)(?=$|[\s.,;:!?)])/g],
  ["path", /(?<=^|\s)(?:~|\.{1,2})?\/[\w.@~+-]+(?:\/[\w.@~+-]*)*/g],
  ["file", new RegExp(`\\b[\\w-]+(?:\\.[\\w-]+)*\\.(?:${EXT})\\b`, "gi")],
  // an issue of a repository as GitHub writes it ("octo-org/api#212")
  ["ref", /(?<=^|[\s(])[A-Za-z0-9][\w.-]*\/[\w.-]+#\d+\b/g],
  ["key", /\b[A-Z][A-Z0-9]{1,9}-\d+\b/g],
  // a short id of letters and digits after a project's key ("FRONTEND-4X2", "PROJECT-1Z43")
  ["shortid", /\b[A-Z][A-Z0-9]{1,19}-(?=[0-9A-Z]*[A-Z])(?=[0-9A-Z]*\d)[0-9A-Z]{2,12}\b/g],
  // an identifier of words and digits joined by "-" or "_" ("web-7f9", "release_2024_10", "api-v2")
  ["id", /(?<=^|[\s(])(?=[\w-]*\d)[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+(?=$|[\s.,;:!?)])/g],
  // a chat channel as people write it ("post in #deploys"); "#12" is an issue number, not this
  ["channel", /(?<=^|[\s(])#[A-Za-z][\w-]{0,79}\b/g],
]

/** The request without its literals (each replaced by a space), and the literals found. */
export function extractLiterals(query: string): { rest: string; literals: Literal[] } {
  let rest = query
  const literals: Literal[] = []
  for (const [kind, re] of PATTERNS) {
    rest = rest.replace(re, (m) => {
      literals.push({ text: m, kind })
      return " "
    })
  }
  return { rest, literals }
}

/** The shapes of identifier whose examples a text gives, each as its index term (`#key`, `#shortid`, `#ref`: no word is spelled so). */
const SHAPED: ReadonlyArray<Literal["kind"]> = ["key", "shortid", "ref"]

/** The index term of an identifier's shape ("PROJ-42" → `#key`), or undefined for a literal of no such shape. */
export function shapeTerm(kind: Literal["kind"]): string | undefined {
  return SHAPED.includes(kind) ? `#${kind}` : undefined
}

/**
 * The shapes of identifier a tool's argument help shows ("Jira issue key (e.g., 'PROJ-123')",
 * "The Issue ID. e.g. `PROJECT-1Z43`"), or its arguments' names take (`owner` and `repo`): a request typing an id of that shape asks for a tool that
 * takes it, whichever server's words it shares otherwise.
 */
export function shapesIn(text: string, argNames = ""): string[] {
  // each shape on its own (an example is often quoted or inside a URL, which other kinds take first)
  const kinds = SHAPED.filter((k) => PATTERNS.some(([kind, re]) => kind === k && text.match(re) !== null))
  // a tool taking an owner and a repository takes what "owner/repo#12" names
  if (!kinds.includes("ref") && OWNER.test(argNames) && REPO.test(argNames)) kinds.push("ref")
  return kinds.map((k) => `#${k}`)
}

const OWNER = /(?:^|\s)owner(?:\s|$)/i
const REPO = /(?:^|\s)repo(?:sitory)?(?:\s|$)/i
