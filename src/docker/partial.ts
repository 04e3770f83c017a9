/**
 * @module docker/partial
 * What a read of a list (or a configuration map) left out (docker/registry `leftOutOf`), kept with the list itself: a list
 * is a plain array, so the note rides in a WeakMap beside it in memory, and in a cached form
 * (`{list, leftOut}`) on disk. An answer built from a list asks the list (`partialOf`), never "the
 * last read of that kind": a list served from the cache, in this process or a new one, says what
 * its read left out until a complete read replaces it.
 */
import { z } from "zod"
import { LeftOutSchema, type LeftOut } from "./types.ts"

const notes = new WeakMap<object, LeftOut>()

/** `list`, noted as a read that left `l` out (none: a complete read). */
export function withPartial<T extends object>(list: T, l: LeftOut | undefined): T {
  if (l) notes.set(list, l)
  return list
}

/** What the read that produced `list` left out, if anything. */
export function partialOf(list: object): LeftOut | undefined {
  return notes.get(list)
}

/** A partial list as the cache stores it (a complete one is stored as the plain array). */
const CachedPartialSchema = z.object({ list: z.array(z.unknown()), leftOut: LeftOutSchema })

/** A list in the form the cache stores it. */
export type CachedList<T> = T[] | { list: T[]; leftOut: LeftOut }

/** `list` as the cache stores it: with its note when its read left entries out. */
export function toCachedList<T>(list: T[]): CachedList<T> {
  const l = partialOf(list)
  return l ? { list, leftOut: l } : list
}

/**
 * Validates a cached list's form (a file in the cache directory is a boundary); throws on anything
 * else, so the cache drops the entry and reads the list again.
 */
export function checkCachedList<T>(cached: unknown): CachedList<T> {
  return Array.isArray(cached) ? (cached as T[]) : (CachedPartialSchema.parse(cached) as { list: T[]; leftOut: LeftOut })
}

/** A cached list back as the list, with its note restored. */
export function fromCachedList<T>(cached: CachedList<T>): T[] {
  return Array.isArray(cached) ? cached : withPartial(cached.list, cached.leftOut)
}

/**
 * A map (a configuration: `{server: {key: value}}`) as the cache stores it: always wrapped, its
 * note beside it (a map cannot tell a note from a server named `leftOut`, as an array can).
 */
export interface CachedMap<T extends object> {
  map: T
  leftOut?: LeftOut
}

const CachedMapSchema = z.object({ map: z.record(z.string(), z.unknown()), leftOut: LeftOutSchema.optional() })

/** `map` as the cache stores it, with what its read left out. */
export function toCachedMap<T extends object>(map: T): CachedMap<T> {
  const l = partialOf(map)
  return l ? { map, leftOut: l } : { map }
}

/** Validates a cached map's form (throws on anything else, e.g. an entry of an older release: read again). */
export function checkCachedMap<T extends object>(cached: unknown): CachedMap<T> {
  return CachedMapSchema.parse(cached) as CachedMap<T>
}

/** A cached map back as the map, with its note restored (a frozen cached value is a WeakMap key all the same). */
export function fromCachedMap<T extends object>(cached: CachedMap<T>): T {
  return withPartial(cached.map, cached.leftOut)
}
