/**
 * @module catalog/search/choices
 * The values a tool's arguments choose between say what it can do as much as its summary does:
 * `ssh_monitor` ("Collects a read-only snapshot of system resources …") takes a `type` of cpu,
 * memory, disk, network, process, and its description says "other values are cpu, memory, disk",
 * so "memory usage on web-01" asks a view it has. Only a thing the request names, as typed, and
 * one the description speaks of too: a value listed and never explained is often another thing's
 * kind (the "orders" among hubspot's object types for "order a pizza", asana's tag colors
 * "light-…" for lights).
 */
import type { Bm25Index } from "./bm25.ts"
import { FIELDS } from "./fields.ts"
import type { Concept, QueryUnit } from "./query.ts"

const CHOICES = [FIELDS.indexOf("choices")]
const DESCRIPTION = [FIELDS.indexOf("description")]

/** True when a thing the request names (`units` of role object, a word as typed) is among the tool `name`'s argument choices and in its description. */
export function thingChosen(bm: Bm25Index, name: string, units: readonly QueryUnit[], concepts: readonly Concept[]): boolean {
  return units.some((u) => u.role === "object" && u.concepts.some((i) => [...concepts[i]!].some(([t, w]) => w === 1 && bm.docHasTermIn(name, t, CHOICES) && bm.docHasTermIn(name, t, DESCRIPTION))))
}
