/**
 * @module proxy/stored-names
 * The names each server's lists held when they were taken from the store (a previous run's lists,
 * which a warm start answers its first lists from). Cursor keeps that first answer for the whole
 * session; a server updated since (the same definition: `npx pkg@latest`, a rebuilt image) may no
 * longer have some of them once it lists anew. A call of such a name is then told so, with what the
 * server has now, instead of a bare "Unknown tool" that reads as the model's typo.
 */

/** The kinds whose stored names are kept. */
export type StoredKind = "tools" | "prompts"

export class StoredNames {
  private readonly names = new Map<string, Set<string>>()

  /** `server`'s list of `kind` was taken from the store with these names. */
  took(server: string, kind: StoredKind, names: Iterable<string>): void {
    this.names.set(`${server}\u0000${kind}`, new Set(names))
  }

  /** Whether `name` was in `server`'s stored list of `kind` (a live list lacking it dropped it since). */
  had(server: string, kind: StoredKind, name: string): boolean {
    return this.names.get(`${server}\u0000${kind}`)?.has(name) ?? false
  }

  /** `server` is gone or redefined: what its stored lists held says nothing of it any more. */
  forget(server: string): void {
    for (const kind of ["tools", "prompts"] as const) this.names.delete(`${server}\u0000${kind}`)
  }
}

/** The words of an unknown-name answer for a name that only a stored list had. */
export const STORED_ONLY = "it was in its list stored from an earlier run, which this session's first lists were answered from"
