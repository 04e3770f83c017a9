/**
 * @module core/lookup
 * A fixed table looked up by a string from outside (a config key, a client's method or log level,
 * a downstream's header, a word of a request): it answers its own entries only. A plain object
 * literal also answers `constructor`, `toString`, `hasOwnProperty` or `__proto__` with
 * Object.prototype's members: a function as a log level, a config key `constructor` read as a `url`,
 * "did you mean \"[object Object]\"", a request word that threw inside search_tools.
 */

/** `entries` as a frozen table with no prototype: a key it does not hold reads `undefined`. */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries))
}
