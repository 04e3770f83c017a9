/**
 * @module pool/uninitialized
 * A downstream's error answer that says it was never initialized, on a session that was: the
 * process behind the pipes is not the one that got `initialize` (a shell wrapper that starts the
 * server again after it exits, a server that re-executes itself, a supervisor restarting it on the
 * same stdio). Such a process refuses every request until it gets an `initialize` it will never get
 * on this session, so the session is restarted (pool/session).
 *
 * Read from the answer's message ("Server not initialized", "Client not initialized yet", "received
 * request before initialization was complete", "expected initialize request"), or — the Python SDK,
 * whose answer is a bare -32602 "Invalid request parameters" — from that answer with the warning
 * it writes to stderr just before ("Failed to validate request: Received request before
 * initialization was complete").
 */

/**
 * Wordings of "I was never initialized" (TypeScript, Java, Go, Rust and Python SDKs, hand-written
 * servers): the protocol session's, not a tool's ("Redis client not initialized", "repository not
 * initialized" are a tool's own failures: the subject must open the message, after at most a short
 * "Bad Request:"-style prefix).
 */
const NOT_INITIALIZED = new RegExp(
  [
    String.raw`^(?:[\w -]{1,24}: )?(?:the )?(?:mcp )?(?:server|session|client|connection)(?: is| has)? (?:not|never) (?:yet )?(?:been )?initiali[sz]ed\b`,
    String.raw`\b(?:received|got) (?:a |the )?(?:request|message|\w+ request) before (?:the )?initiali[sz]ation\b`,
    String.raw`\bexpected (?:an? |the )?initiali[sz]e (?:request|message)\b`,
    String.raw`\bmust (?:first )?(?:call|send) initiali[sz]e\b`,
    String.raw`\binitiali[sz]e (?:request )?must (?:be )?(?:sent |called )?first\b`,
  ].join("|"),
  "i",
)

/** The Python SDK's answer to a request before initialize (its stderr says why). */
const PYTHON_MESSAGE = "Invalid request parameters"

/** How much of the stderr tail is read for the Python SDK's warning. */
const STDERR_LOOK = 2048

/**
 * Whether an error answer (`code`, `message`) of a server whose session was initialized says the
 * process answering was not: `stderrTail` reads the server's latest stderr (for the Python SDK's
 * warning; "" for a remote server).
 */
export function answersUninitialized(code: number, message: string, stderrTail: (max: number) => string): boolean {
  if (code === -32601) return false // method not found: says nothing about initialization
  if (NOT_INITIALIZED.test(message.slice(0, 500))) return true
  return code === -32602 && message === PYTHON_MESSAGE && NOT_INITIALIZED.test(stderrTail(STDERR_LOOK))
}
