/**
 * @module core/nesting
 * How deep a parsed JSON value nests, found without recursion: a value tens of thousands of levels
 * deep (JSON.parse takes it) overflows every recursive walk, and JSON.stringify of it spends seconds
 * of the event loop before it throws. Check with this first, then refuse it by name.
 */

/** True when `value` nests arrays and objects more than `limit` levels deep (stops as soon as it does). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false
  const stack: [object, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (depth > limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1])
    }
  }
  return false
}
