/**
 * @module plugin/route-args
 * What a tool call's arguments may be for route hooks to be given them: at most `routeArgsLimit`
 * bytes of JSON and at most ROUTE_ARGS_MAX_DEPTH levels of nesting. Past either, the call is
 * refused before any route hook runs, naming the limit: not a fault of a plugin's (before, 20 000
 * levels overflowed the sandbox's stack while the input was decoded and blamed the first plugin,
 * `SyntaxError: stack overflow` at its route line, and 1 000 levels ran a hook that returns the
 * arguments past its deadline: QuickJS writes nested JSON in time quadratic in its depth).
 */

/** Levels of arrays and objects a route hook is given (no tool's arguments nest near this deep). */
export const ROUTE_ARGS_MAX_DEPTH = 256

/** Why arguments are refused unchecked, or undefined when route hooks may be given them. */
export function refusedArgs(args: unknown, limitBytes: number, plugins: readonly string[]): string | undefined {
  const json = JSON.stringify(args ?? {})
  const bytes = Buffer.byteLength(json, "utf8")
  const names = `route plugins (${plugins.join(", ")})`
  if (bytes > limitBytes) return `its arguments are ${formatBytes(bytes)} of JSON; ${names} are given at most ${formatBytes(limitBytes)} (plugins.routeArgsLimit), so the call is refused unchecked`
  if (jsonDepth(json, ROUTE_ARGS_MAX_DEPTH) > ROUTE_ARGS_MAX_DEPTH) {
    return `its arguments nest more than ${ROUTE_ARGS_MAX_DEPTH} levels of arrays and objects deep; ${names} are given at most ${ROUTE_ARGS_MAX_DEPTH}, so the call is refused unchecked`
  }
  return undefined
}

/** Deepest nesting of arrays and objects in a JSON text, counted up to just past `stopAbove`. */
function jsonDepth(json: string, stopAbove: number): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // a backslash: the next character is escaped
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > max && (max = depth) > stopAbove) return max
    } else if (c === 125 || c === 93) depth--
  }
  return max
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`
}
