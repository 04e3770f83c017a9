/**
 * @module proxy/name-guess
 * The exposed tool names an unknown name most likely stands for: the same name in other case
 * (`EV__ECHO`), or a server's own tool name without its prefix (`echo` for `ev__echo`), the
 * mistakes a model makes most. Shared by unknown-tool errors (proxy) and describe_tools.
 */

/**
 * The names of `exposed` that `name` may stand for, in order, at most `limit + 1` (one more than
 * `limit` says there are too many to name them all). `own`: a tool's name on its server.
 */
export function guessToolNames(name: string, exposed: Iterable<string>, own: (exposed: string) => string | undefined, limit = 3): string[] {
  const lower = name.toLowerCase()
  const out: string[] = []
  for (const e of exposed) {
    if (e.toLowerCase() !== lower && own(e) !== name) continue
    out.push(e)
    if (out.length > limit) break
  }
  return out
}
