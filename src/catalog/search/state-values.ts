/**
 * @module catalog/search/state-values
 * A state typed in words ("still waiting for review?", "is it ready for sale", "in progress")
 * is a value a tool's options take, written as a constant (`WAITING_FOR_REVIEW`, `READY_FOR_SALE`,
 * `in_progress`) in the `enum` or the help of an argument choosing a state (its name or help says state,
 * status, phase or stage: a kind's values, `merge_request` of a note's target, are things) ("Filter by App Store state (e.g.
 * READY_FOR_SALE, WAITING_FOR_REVIEW)"). The tool that filters by it answers the question, as well as the tool best
 * matching those words (index.ts credits it their best score; its match is no longer only argument
 * help, weak): without
 * this, `submit_for_review` (named "review") answered "still waiting for review?" above
 * `list_app_store_versions`. Only values of two words or more, typed in order.
 */
import { splitWords, stem } from "./tokenize.ts"

/** A constant of several words in an argument's help: SCREAMING_SNAKE ("WAITING_FOR_REVIEW"). */
const CONSTANT = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g
/** An argument choosing a state, by its name or its help ("appStoreState", "status", "Filter by stage"). */
const STATE_ARG = /\b(?:state|status|statuses|states|phase|stage)\b/i
/** How many arguments and values are read (a long list is data). */
const MAX_PROPS = 40
const MAX_VALUES = 60

/** The multi-word values a tool's arguments take, a filter object's too (each as its words, stemmed). */
export function stateValues(schema: Record<string, unknown> | undefined): string[][] {
  const raw: string[] = []
  // (arguments and a filter's fields, two levels down: `filter.appStoreState`)
  const visit = (node: unknown, depth: number): void => {
    const props = (node as { properties?: unknown } | undefined)?.properties
    if (!props || typeof props !== "object") return
    for (const [name, v] of Object.entries(props as Record<string, unknown>).slice(0, MAX_PROPS)) {
      if (!v || typeof v !== "object") continue
      if (depth < 2) visit(v, depth + 1)
      // (only an argument choosing a state: a kind's values, `merge_request` of a note's target, are things)
      const d = (v as { description?: unknown }).description
      if (!STATE_ARG.test(`${name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ")} ${typeof d === "string" ? d.slice(0, 200) : ""}`)) continue
      const e = (v as { enum?: unknown }).enum
      if (Array.isArray(e)) for (const x of e.slice(0, MAX_VALUES)) if (typeof x === "string") raw.push(x)
      if (typeof d === "string") raw.push(...(d.slice(0, 1000).match(CONSTANT) ?? []).slice(0, MAX_VALUES))
    }
  }
  visit(schema, 0)
  const out = new Map<string, string[]>()
  for (const x of raw) {
    // (a value's words: "waiting_for_review", "in-progress", "READY_FOR_SALE"; no camelCase split of one word)
    const words = x.toLowerCase().split(/[_\-\s]+/).filter((w) => /^[a-z]+$/.test(w)).map(stem)
    if (words.length >= 2) out.set(words.join(" "), words)
  }
  return [...out.values()]
}

/** The words (stemmed) of the first of `values` that `text` (the request) types in order, or undefined. */
export function typedState(text: string, values: readonly (readonly string[])[]): readonly string[] | undefined {
  if (!values.length) return undefined
  const said = splitWords(text).map(stem)
  return values.find((v) => said.some((_, i) => v.every((w, k) => said[i + k] === w)))
}
