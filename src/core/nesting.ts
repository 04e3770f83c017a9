/**
 * @module core/nesting
 * How deep a parsed JSON value nests, found without recursion: a value tens of thousands of levels
 * deep (JSON.parse takes it) overflows every recursive walk, and JSON.stringify of it spends seconds
 * of the event loop before it throws. Check with this first, then refuse it by name.
 */

/** True when `value` nests arrays and objects more than `limit` levels deep (stops as soon as it does). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false
  // two parallel stacks (no pair allocated per object: this runs on every parsed answer)
  const values: object[] = [value]
  const depths: number[] = [1]
  while (values.length > 0) {
    const v = values.pop()!
    const depth = depths.pop()!
    if (depth > limit) return true
    if (Array.isArray(v)) {
      for (const child of v) if (child !== null && typeof child === "object") (values.push(child), depths.push(depth + 1))
    } else {
      for (const k in v) {
        const child = (v as Record<string, unknown>)[k]
        if (child !== null && typeof child === "object") (values.push(child), depths.push(depth + 1))
      }
    }
  }
  return false
}
