/**
 * @module catalog/search/questions
 * Two questions whose answer is not in their words: whether a service answers ("is the sonarqube
 * server up?", "can you reach grafana?": its ping, health or status tool, not every tool sharing
 * its name), and how to do something ("how do I add apple pay to checkout with stripe?": the
 * service's documentation tool, not the tool that creates what the question names). index.ts
 * boosts those tools of the service the question names (or of the only server there is).
 */
import { splitWords, stem } from "./tokenize.ts"

/** Predicates asking whether a service answers ("is X up", "is X down?", "is X healthy"). */
const LIVENESS = new Set("up down alive dead healthy unhealthy reachable unreachable running responding online offline available unavailable".split(" "))
/** Verbs asking to reach a service ("can you reach X", "can you ping X"). */
const REACH = new Set(["reach", "ping", "contact"])
/** Words a question may have around the service named and its predicate ("is the X server still up right now?"). */
const FILLER = new Set("the our my your this that a an still even currently right now at all yet and again not".split(" "))
/** Words naming a service itself beside its name ("the sonarqube server", "our grafana instance"). */
const ITSELF = new Set("server service instance api site app host system runtime backend node cluster".split(" ").map(stem))
/** Words of a tool's name saying it reports whether its service answers ("system_ping", "get_health", "runtime_info"). */
const STATE = new Set("ping health healthcheck heartbeat alive uptime status info".split(" ").map(stem))
/** Verbs such a tool's name may open with ("get_status", "check_health"). */
const READS = new Set("get check read show fetch".split(" ").map(stem))

/**
 * The words of the subject a question asks the liveness of ("is the sonarqube server up?" → the,
 * sonarqube, server; "can you reach grafana" → grafana), or undefined when it asks none: "is"/"are"
 * before the subject and a predicate after it ("is X up", "is X not responding"), the subject then
 * "is"/"are" and the predicate ("X is down"), or "can/could you/we/I reach X".
 */
export function livenessSubject(query: string): string[] | undefined {
  const w = splitWords(query)
  if ((w[0] === "can" || w[0] === "could") && ["you", "we", "i"].includes(w[1] ?? "") && REACH.has(w[2] ?? "")) return w.slice(3).filter((x) => !FILLER.has(x))
  const be = w.findIndex((x) => x === "is" || x === "are")
  if (be < 0) return undefined
  // the predicate: the last word but filler ("… up and running", "… down right now?")
  const rest = w.slice(be + 1)
  let end = rest.length
  while (end > 0 && (FILLER.has(rest[end - 1]!) || (rest[end - 1] === "running" && LIVENESS.has(rest[end - 3] ?? "")))) end--
  if (end === 0 || !LIVENESS.has(rest[end - 1]!)) return undefined
  const subject = be === 0 ? rest.slice(0, end - 1) : w.slice(0, be)
  // "X is down": nothing between "is" and the predicate but filler
  if (be > 0 && rest.slice(0, end - 1).some((x) => !FILLER.has(x))) return undefined
  const own = subject.filter((x) => !FILLER.has(x))
  return own.length ? own : undefined
}

/**
 * True when the subject is a service itself: its words are those of the service's name and words
 * naming a service ("the sonarqube server"), not a thing of it ("are the prometheus targets down").
 */
export function namesService(subject: readonly string[], serverWords: readonly string[]): boolean {
  const stems = subject.map(stem)
  return serverWords.length > 0 && serverWords.every((s) => stems.includes(s)) && stems.every((s) => serverWords.includes(s) || ITSELF.has(s))
}

/**
 * True for a tool whose name says it reports whether its service answers: a word of state (ping,
 * health, status, info…) and otherwise only words naming the service itself, its own name's words
 * or a verb that reads (`system_ping`, `get_health`, `prometheus_runtime_info`; not
 * `quality_gate_status`, which is the state of something else).
 */
export function reportsLiveness(toolName: string, serverWords: readonly string[]): boolean {
  const stems = splitWords(toolName).map(stem)
  return stems.some((s) => STATE.has(s)) && stems.every((s) => STATE.has(s) || ITSELF.has(s) || READS.has(s) || serverWords.includes(s))
}

/** How a question asking how to do something opens ("how do I", "how to", "what's the best way to"). */
const HOW_TO = /^(?:how\s+(?:do|can|could|should|would|might)\s+(?:i|we|you|one)\b|how\s+to\b|what(?:'s|’s|\s+is|s)?\s+the\s+(?:best|right|correct|recommended)\s+way\s+to\b|(?:the\s+)?best\s+way\s+to\b)/i

/** True when a request asks how to do something rather than asking for it done. */
export function asksHowTo(query: string): boolean {
  return HOW_TO.test(query.trim())
}

/** Words of a tool's name or title saying it answers from documentation ("search_stripe_documentation", "get_docs", "help"). */
const DOCS = new Set("doc docs documentation guide guides help knowledge".split(" ").map(stem))

/** True for a tool whose name or title says it answers from documentation. */
export function answersFromDocs(toolName: string, title: string | undefined): boolean {
  return [...splitWords(toolName), ...splitWords(title ?? "")].some((w) => DOCS.has(stem(w)))
}
