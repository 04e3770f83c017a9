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
 * and it says "a SQL query". A date or a time of day ("on 2025-03-14", "3/14", "at 10am", "14:30") says
 * when: it asks for a tool that takes a date or a time (`#when`, see `shapesIn`), not for an id.
 */
import { isStop, splitWords } from "./tokenize.ts"

export interface Literal {
  text: string
  kind: "url" | "path" | "file" | "quoted" | "key" | "shortid" | "ref" | "number" | "channel" | "id" | "sql" | "when" | "qualified" | "bundle" | "cve" | "ip" | "email"
}

/** Words each kind of literal stands for. */
export const LITERAL_KIND_WORDS: Record<Literal["kind"], string> = {
  url: "url",
  path: "file path",
  file: "file",
  quoted: "",
  key: "issue",
  shortid: "issue",
  // (its owner and repository are the item's place, not what is asked for: as words they favoured
  // the tools taking fewest arguments, github's list_issue_types for "close octo/api#12")
  ref: "issue owner repo",
  // (an item's number as forges write it, "#42", "!42": one item, of whatever kind the request names)
  number: "",
  channel: "channel",
  id: "",
  sql: "sql query",
  when: "",
  // (a schema-qualified name, `ANALYTICS.PUBLIC`: its parts are a place, what it asks of is the request's)
  qualified: "",
  // (an app's id in reverse-DNS, "com.acme.app": what the request is about is that app's bundle
  // id or package name, not a web host; its words are the company's, not the request's)
  bundle: "bundle identifier package app",
  // (a CVE id, "CVE-2024-3094", is a vulnerability, not a Jira issue of a project "CVE"; an IPv4
  // address, "185.220.101.4", an IP address: its numbers are no version nor count, QA 276)
  cve: "cve vulnerability",
  ip: "ip address",
  // (an email address, "dana.k@acme.com", is a person's address: its words are a name and a
  // company, not the request's things, QA 276)
  email: "email",
}

/**
 * What a file name's extension says the file is, in the words tools for that kind are named with
 * ("report.xlsx" → a spreadsheet, Excel's; "notes.docx" → a Word document; "data.csv" → CSV): the
 * request asks for a tool of that kind of file more than for a generic file reader. Kinds a tool is
 * named for only; a source or text file ("notes.md", "app.ts") is a file, no more.
 */
const EXTENSION_KINDS: ReadonlyArray<[RegExp, string]> = [
  [/^xl(?:sx|sm|s)$/, "excel spreadsheet sheet workbook"],
  [/^(?:csv|tsv)$/, "csv spreadsheet sheet"],
  [/^docx?$/, "word document docx"],
  [/^pdf$/, "pdf"],
  [/^pptx?$/, "powerpoint presentation slides"],
  [/^(?:png|jpe?g|gif|webp|svg)$/, "image"],
  [/^(?:mp3|wav)$/, "audio"],
  [/^(?:mp4|mov)$/, "video"],
]

/** The words of a file name's kind by its extension (EXTENSION_KINDS); empty for another file. */
export function fileKindWords(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? ""
  return EXTENSION_KINDS.find(([re]) => re.test(ext))?.[1] ?? ""
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
  // an app's bundle id or package name, reverse-DNS ("com.acme.app", "io.acme.mobile.beta"): no
  // host begins with a top-level domain, so it is no URL (before the host pattern, which took it)
  ["bundle", /(?<=^|[\s('"`])(?:com|org|net|io)(?:\.[a-z][a-z0-9_-]*){2,}(?=$|[\s,;:!?)'"`]|\.(?:\s|$))/gi],
  // an email address (before the host it ends with: "acme.com" of "dana@acme.com" is no web address)
  ["email", /(?<=^|[\s(<:,])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?=$|[\s,;:!?)>]|\.(?:\s|$))/gi],
  // (not the punctuation after it: "comment on https://x.io/a/OPS-7: waiting", "… at https://x.io.")
  ["url", /\bhttps?:\/\/[^\s"'`<>]*[^\s"'`<>.,;:!?)]/gi],
  // a host without its scheme: "example.com", "docs.bun.dev/api", "localhost:3000"
  ["url", new RegExp(`(?<=^|[\\s(])(?:localhost(?::\\d+)?|[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${TLD})(?::\\d+)?)(?:\\/[^\\s"'\`<>]*)?(?=$|[\\s.,;:!?)])`, "gi")],
  // a CVE id ("CVE-2024-3094"), before the issue key it would otherwise be read as ("CVE-2024")
  ["cve", /\bCVE-\d{4}-\d{4,7}\b/gi],
  // an IPv4 address, with its port or prefix length ("10.0.0.5:22", "10.0.0.0/16")
  ["ip", /(?<=^|[\s(])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?::\d{1,5}|\/\d{1,2})?(?=$|[\s,;:!?)]|\.(?:\s|$))/g],
  ["quoted", /(?<=^|[\s(:])(?:"[^"\n]{1,200}"|'[^'\n]{1,200}'|`[^`\n]{1,200}`)(?=$|[\s.,;:!?)])/g],
  ["path", /(?<=^|\s)(?:~|\.{1,2})?\/[\w.@~+-]+(?:\/[\w.@~+-]*)*/g],
  // a relative path of three parts or more, or of two ending in "/" ("secret/payments/stripe",
  // "kv/team-platform/"): a place, not the request's things; "owner/repo" and "and/or" stay words,
  // and so does a registry's address pinning a version ("terraform-aws-modules/vpc/aws/5.8.1": a module)
  // (that look-ahead bounded: unbounded, it scanned to the string's end after every "(", quadratic)
  ["path", /(?<=^|[\s(])(?![^\s,;]{0,256}\/v?\d+(?:\.\d+)+(?=$|[\s,;:!?)/]))[\w.@~+-]+\/(?:[\w.@~+-]+\/)+[\w.@~+-]*(?=$|[\s,;:!?)])/g],
  // (each part bounded: unbounded, "a.a.a.…" or "a-a-a-…" of 32 000 characters scanned to its end
  // from every word start, 0.6 s a query; 128 characters a part cover any real file name)
  ["file", new RegExp(`\\b[\\w-]{1,128}(?:\\.[\\w-]{1,128}){0,8}\\.(?:${EXT})\\b`, "gi")],
  // a date or a time of day: "2025-03-14", "2025-03-14T10:00", "3/14", "14.03.2025", "10am", "3:30 pm", "14:30"
  ["when", /(?<=^|[\s(])(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?Z?)?|\d{1,2}\/\d{1,2}(?:\/\d{2,4})?|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}(?::\d{2})?\s?[ap]\.?m\.?|\d{1,2}:\d{2})(?=$|[\s.,;:!?)])/gi],
  // an issue of a repository as GitHub writes it ("octo-org/api#212")
  ["ref", /(?<=^|[\s(])[A-Za-z0-9][\w.-]*\/[\w.-]+#\d+\b/g],
  // an item's number as forges write it: an issue or pull request "#42", a GitLab merge request "!42"
  ["number", /(?<=^|[\s(])[#!]\d+\b/g],
  ["key", /\b[A-Z][A-Z0-9]{1,9}-\d+\b/g],
  // a short id of letters and digits after a project's key ("FRONTEND-4X2", "PROJECT-1Z43")
  ["shortid", /\b[A-Z][A-Z0-9]{1,19}-(?=[0-9A-Z]*[A-Z])(?=[0-9A-Z]*\d)[0-9A-Z]{2,12}\b/g],
  // an identifier of words and digits joined by "-" or "_" ("web-7f9", "release_2024_10", "api-v2")
  ["id", /(?<=^|[\s(])(?=[\w-]*\d)[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+(?=$|[\s.,;:!?)])/g],
  // a warehouse's qualified name in capitals, as Snowflake and SQL consoles write it: a database and
  // schema ("ANALYTICS.PUBLIC"), or with its table ("RAW.STRIPE.CHARGES")
  ["qualified", /(?<=^|[\s(])[A-Z][A-Z0-9_$]+(?:\.[A-Z][A-Z0-9_$]+){1,2}(?=$|[\s,;:!?)]|\.(?:\s|$))/g],
  // a chat channel as people write it ("post in #deploys"); "#12" is an issue number, not this
  ["channel", /(?<=^|[\s(])#[A-Za-z][\w-]{0,79}\b/g],
]

/**
 * Identifiers of words alone, no digit: snake_case of two parts or more ("node_cpu_seconds_total",
 * "dpl_abc"), dotted names of three parts or more ("http.server.requests"), kebab-case not opening
 * the request ("the payments-service project", "the kube-system namespace"). They name a metric, a
 * service, a deployment: their words are not what the request asks to do ("payments" is no payment
 * tool, "seconds total" no total), so they are an `id` literal like "web-7f9". Not English
 * compounds of fewer than two words of their own ("up-to-date", "lo-fi", "on-call", "e-mail"), nor
 * one a tool is named with (`keep`: "use send_email", "cherry-pick abc123").
 */
const NAMES: readonly RegExp[] = [
  /(?<=^|[\s(])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?=$|[\s.,;:!?)])/g,
  /(?<=^|[\s(])[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9_]*){2,}(?=$|[\s,;:!?)]|\.(?:\s|$))/g,
  /(?<=\S\s+\(?)[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+){2,}(?=$|[\s.,;:!?)']|'s\b)/g,
]

/** A hyphenated word of two words of its own or more (not "up-to-date", "lo-fi", "re-run"): a name, not a compound. */
function ownWords(text: string): boolean {
  return !text.includes("-") || new Set(splitWords(text).filter((w) => w.length >= 3 && !isStop(w))).size >= 2
}

/** A hyphenated word of two parts, no digit ("prod-logs", "team-data"). */
const TWO_PART = /(?<=^|[\s(])[A-Za-z][A-Za-z0-9]*-[A-Za-z][A-Za-z0-9]*(?=$|[\s.,;:!?)'])/g
/**
 * Things people call by a name of their own, typed right before it ("the bucket prod-logs", "repo
 * web-app", "namespace kube-system"): the hyphenated word after one names it.
 */
const NAMED_THINGS = new Set(
  "bucket repo repository project namespace cluster service branch team channel database db table queue topic group site app application server host pod deployment environment env folder directory workspace org organization space index collection schema job pipeline stack function mount engine role policy account vault dashboard board list tag label image container volume node zone region instance dataset model bot flag toggle worker alarm trigger monitor"
    .split(" "),
)
/** Words that point at one thing ("the new-checkout flag", "our edge-router worker"): a hyphenated word between one and a named thing's noun is its name. */
const POINTERS = new Set(["the", "my", "our", "this", "that", "your"])
/** Prepositions that, before the last word of a request, place it in a thing named ("… at team-data", "… in prod-east"). */
const PLACE_BEFORE = new Set(["at", "in", "from"])
/** First words of English compounds, not names ("two-factor", "multi-region", "self-hosted", "real-time"). */
const COMPOUND_HEADS = new Set("two three multi single double self non pre post co sub cross third first real full half high low long short well all".split(" "))

/**
 * Whether a two-part hyphenated word at `offset` of `text` names a thing: right after a noun of a
 * thing called by its name ("who deleted the bucket prod-logs"), or ending the request after at,
 * in or from ("enable the engine at team-data"). Then "prod" and "logs" are not the request's
 * words (`get_logs` shared "logs"). Not an English compound ("on-call", "follow-up", "e-mail",
 * "x-ray": fewer than two words of their own; "two-factor", "self-hosted": COMPOUND_HEADS).
 */
function namesThing(m: string, text: string, offset: number): boolean {
  if (!ownWords(m) || COMPOUND_HEADS.has(m.split("-")[0]!.toLowerCase())) return false
  // (the last word only: splitting the whole text before each match was quadratic in a long request)
  const before = splitWords(text.slice(Math.max(0, offset - 64), offset))
  const prev = before[before.length - 1] ?? ""
  if (NAMED_THINGS.has(prev)) return true
  // …or between "the" and such a noun ("turn off the new-checkout flag": no request to create anything;
  // "errors from the auth-api worker"): a key as feature flags, workers and alarms are named
  const next = splitWords(text.slice(offset + m.length, offset + m.length + 32))[0] ?? ""
  if (POINTERS.has(prev.toLowerCase()) && NAMED_THINGS.has(next.toLowerCase())) return true
  return PLACE_BEFORE.has(prev) && /^[\s.,;:!?)']*$/.test(text.slice(offset + m.length))
}

/**
 * The request without its literals (each replaced by a space), and the literals found. `keep` says
 * which identifiers of words (NAMES) stay words: a tool's name, or the whole request.
 */
export function extractLiterals(query: string, keep: (identifier: string) => boolean = () => false): { rest: string; literals: Literal[] } {
  let rest = query
  const literals: Literal[] = []
  for (const [kind, re] of PATTERNS) {
    rest = rest.replace(re, (m) => {
      literals.push({ text: m, kind })
      return " "
    })
  }
  for (const re of NAMES) {
    rest = rest.replace(re, (m) => {
      if (m.trim() === query.trim() || !ownWords(m) || keep(m)) return m
      literals.push({ text: m, kind: "id" })
      return " "
    })
  }
  rest = rest.replace(TWO_PART, (m: string, offset: number, text: string) => {
    if (m.trim() === query.trim() || keep(m) || !namesThing(m, text, offset)) return m
    literals.push({ text: m, kind: "id" })
    return " "
  })
  return { rest, literals }
}

/** The shapes of identifier whose examples a text gives, each as its index term (`#key`, `#shortid`, `#ref`: no word is spelled so). */
const SHAPED: ReadonlyArray<Literal["kind"]> = ["key", "shortid", "ref", "number", "qualified", "bundle", "cve", "ip"]

/** The index term of a tool that takes a date or a time, and of a request that says when (a date, a time of day, a day word). */
export const WHEN_SHAPE = "#when"

/** The index term of an identifier's shape ("PROJ-42" → `#key`), or undefined for a literal of no such shape. */
export function shapeTerm(kind: Literal["kind"]): string | undefined {
  return kind === "when" ? WHEN_SHAPE : SHAPED.includes(kind) ? `#${kind}` : undefined
}

/**
 * The shapes of identifier a tool's argument help shows ("Jira issue key (e.g., 'PROJ-123')",
 * "The Issue ID. e.g. `PROJECT-1Z43`"), or its arguments' names take (`owner`, `repo` and the
 * item's number: `issue_number`, `pullNumber`, `iid`): a request typing an id of that shape asks for a
 * tool that takes it, whichever server's words it shares otherwise. `owner/repo#12` names one issue or
 * pull request: a tool listing a repository's issues (it takes `owner` and `repo`, no number) does
 * not take it.
 */
export function shapesIn(text: string, argNames = ""): string[] {
  // each shape on its own (an example is often quoted or inside a URL, which other kinds take first)
  const kinds = SHAPED.filter((k) => PATTERNS.some(([kind, re]) => kind === k && text.match(re) !== null))
  // a tool taking an owner, a repository and an item's number takes what "owner/repo#12" names
  // a tool taking a schema and the database (catalog, dataset, project) it is in takes a qualified name
  if (!kinds.includes("qualified") && SCHEMA.test(argNames) && CONTAINER.test(argNames)) kinds.push("qualified")
  if (!kinds.includes("ref") && OWNER.test(argNames) && REPO.test(argNames) && argNames.split(/\s+/).some(numbersItem)) kinds.push("ref")
  return kinds.map((k) => `#${k}`)
}

/**
 * `#when` for a tool that takes a date or a time: an argument, at any depth of its schema, named so
 * (`start`, `timeMin`, `due`, `scheduledAt`, `fromDate`; not `start_cursor` nor `end_line`) or
 * declared `format: date-time`, or argument help showing one ("e.g. 2025-01-31"). A request saying
 * when ("on Friday", "at 10am", "next week") asks for such a tool (query.ts).
 */
export function whenIn(schema: unknown, argHelp: string): string[] {
  return takesWhen(schema, 0, { left: MAX_WHEN_NODES }) || PATTERNS.some(([kind, re]) => kind === "when" && argHelp.match(re) !== null) ? [WHEN_SHAPE] : []
}

/** Schema nodes looked at for a date or time argument, at most (a downstream's schema is untrusted input). */
const MAX_WHEN_NODES = 400
const MAX_WHEN_DEPTH = 6
/** Words of an argument's name that say it takes a date or a time. */
const WHEN_ARG = new Set("date dates datetime time timestamp due deadline scheduled until since".split(" "))
/** Words that say an argument named `start`/`end` counts something else (`start_cursor`, `end_line`, `startIndex`). */
const NOT_WHEN = new Set("zone cursor line lines index offset page position pos row column col char byte token".split(" "))

function whenName(name: string): boolean {
  const words = splitWords(name)
  if (words.some((w) => NOT_WHEN.has(w))) return false
  return words.some((w) => WHEN_ARG.has(w)) || ((words[0] === "start" || words[0] === "end") && words.length <= 2)
}

function takesWhen(s: unknown, depth: number, budget: { left: number }): boolean {
  if (!s || typeof s !== "object" || depth > MAX_WHEN_DEPTH || budget.left-- <= 0) return false
  const o = s as Record<string, unknown>
  if (typeof o.format === "string" && /^(?:date|date-time|time)$/.test(o.format)) return true
  const props = o.properties
  if (props && typeof props === "object") {
    for (const [k, v] of Object.entries(props as Record<string, unknown>)) if (whenName(k) || takesWhen(v, depth + 1, budget)) return true
  }
  for (const key of ["items", "anyOf", "oneOf", "allOf"]) {
    const v = o[key]
    for (const x of Array.isArray(v) ? v : [v]) if (takesWhen(x, depth + 1, budget)) return true
  }
  return false
}

const OWNER = /(?:^|\s)owner(?:\s|$)/i
/** Words of an argument's name that say it takes an item's number ("issue_number", "pullNumber", "iid", "pr_num"). */
const ITEM_NUMBER = new Set(["number", "num", "iid"])
/** Words before "id" that say the id is an issue's or a pull request's number ("pull_request_id", "issueId"). */
const NUMBERED = new Set(["issue", "pull", "pr", "request"])

/** True for an argument's name that takes an issue's or a pull request's number. */
function numbersItem(name: string): boolean {
  const words = splitWords(name)
  return words.some((w, i) => ITEM_NUMBER.has(w) || (w === "id" && NUMBERED.has(words[i - 1] ?? "")))
}
const REPO = /(?:^|\s)repo(?:sitory)?(?:\s|$)/i
/** An argument named for a schema ("schema", "schema_name", "schemaName"). */
const SCHEMA = /(?:^|\s)schema(?:_?name)?(?:\s|$)/i
/** An argument named for what holds a schema: a database, a catalog, a dataset, a project. */
const CONTAINER = /(?:^|\s)(?:database|db|catalog|dataset|project)(?:_?(?:name|id))?(?:\s|$)/i
