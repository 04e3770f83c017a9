/**
 * @module docker/partial
 * What a read of a list left out (docker/registry `leftOutOf`), kept with the list itself: a list
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
