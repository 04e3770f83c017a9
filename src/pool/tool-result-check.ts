/**
 * @module pool/tool-result-check
 * What makes a `tools/call` result no valid MCP `CallToolResult`: the checks an SDK client's schema
 * runs (content blocks by type, `structuredContent`, `isError`), so a bad answer fails its own call
 * here, naming the block and what is wrong with it, instead of reaching the client as a schema dump
 * with no server name. Runs on every tool result: property reads and `typeof` only, nothing
 * allocated unless something is wrong. A large result (forwarded as its bytes, never parsed whole)
 * is checked the same way over its bytes, one content block at a time (`toolResultBytesProblem`).
 */
import { JsonSkim } from "../core/index.ts"

const TYPES = "text, image, audio, resource, resource_link"

/** The problem with a tool result (an object), or undefined when it is a valid `CallToolResult`. */
export function toolResultProblem(result: object, shown: (v: unknown) => string): string | undefined {
  const r = result as { content?: unknown; structuredContent?: unknown; isError?: unknown }
  const content = r.content
  if (content !== undefined) {
    if (!Array.isArray(content)) return `its content is ${shown(content)}, not a list of content blocks`
    for (let i = 0; i < content.length; i++) {
      const problem = blockProblem(content[i], shown)
      if (problem !== undefined) return `content[${i}] ${problem}`
    }
  }
  const sc = r.structuredContent
  if (sc !== undefined && (typeof sc !== "object" || sc === null || Array.isArray(sc))) return `its structuredContent is ${shown(sc)}, not an object`
  const isError = r.isError
  if (isError !== undefined && typeof isError !== "boolean") return `its isError is ${shown(isError)}, not true or false`
  return undefined
}

/**
 * Strings a block check of a large result reads in full (a type, a MIME type: what is compared or
 * shown); longer ones (the text, the data, a URI) are only known to be strings, and skipped unread.
 */
const SHORT = 64

/** What a check of a large result's bytes found. */
export interface BytesCheck {
  /** What is wrong with it, as `toolResultProblem` words it; undefined when it is a valid `CallToolResult`. */
  problem: string | undefined
  /** Where the result's `structuredContent` value sits in its bytes ([start, end)), when it has one. */
  structured: [number, number] | undefined
}

/**
 * `toolResultProblem` over the bytes of a large result (valid JSON, `checkJsonBytes` ran), without
 * building it: each content block is built alone, its long strings (the text, the base64 data) only
 * known to be strings, checked, and dropped before the next; every other member is skipped, only its
 * type read. Memory: one block's skeleton at a time. Throws on what it cannot read (the caller then
 * parses the result and checks that).
 */
export function toolResultBytesProblem(chunks: readonly Uint8Array[], shown: (v: unknown) => string): BytesCheck {
  const skim = new JsonSkim(chunks)
  let problem: string | undefined
  let structured: [number, number] | undefined
  if (skim.kind() !== "object") return { problem: `its result is ${skim.kind() === "array" ? "a list" : `a ${skim.kind()}`}, not an object`, structured }
  skim.object((key) => {
    if (problem !== undefined) return skim.skip()
    // a repeated key: JSON.parse keeps the last one, so the last is what is checked
    if (key === "content") {
      const kind = skim.kind()
      if (kind !== "array") {
        // an object is not built (it may be large)
        if (kind === "object") skim.skip()
        problem = `its content is ${kind === "object" ? "an object" : shown(skim.value(SHORT))}, not a list of content blocks`
        return
      }
      skim.array((i) => {
        if (problem !== undefined) return skim.skip()
        const p = blockProblem(skim.value(SHORT), shown)
        if (p !== undefined) problem = `content[${i}] ${p}`
      })
    } else if (key === "structuredContent") {
      const start = skim.pos
      const kind = skim.kind()
      if (kind === "object") skim.skip()
      else if (kind === "array") {
        skim.skip() // not built: it may be large
        problem = "its structuredContent is a list, not an object"
      } else problem = `its structuredContent is ${shown(skim.value(SHORT))}, not an object`
      structured = [start, skim.pos]
    } else if (key === "isError") {
      const v = skim.value(SHORT)
      if (typeof v !== "boolean") problem = `its isError is ${shown(v)}, not true or false`
    } else skim.skip()
  })
  return { problem, structured }
}

/** What is wrong with one content block ("is …" / "(type) has …"), or undefined. */
export function blockProblem(b: unknown, shown: (v: unknown) => string): string | undefined {
  if (typeof b !== "object" || b === null || typeof (b as { type?: unknown }).type !== "string") return `is ${shown(b)}, not a content block (an object with a type)`
  const c = b as Record<string, unknown>
  const type = c.type as string
  let missing: string | undefined
  switch (type) {
    case "text":
      if (typeof c.text !== "string") missing = field("text", c.text, shown)
      break
    case "image":
    case "audio":
      if (typeof c.data !== "string") missing = field("data", c.data, shown)
      else if (typeof c.mimeType !== "string") missing = field("mimeType", c.mimeType, shown)
      break
    case "resource": {
      const res = c.resource as Record<string, unknown> | null | undefined
      if (typeof res !== "object" || res === null || Array.isArray(res)) missing = `no resource object: its resource is ${shown(res)}`
      else if (typeof res.uri !== "string") missing = `no resource.uri string: it is ${shown(res.uri)}`
      else if (typeof res.text !== "string" && typeof res.blob !== "string") missing = "a resource with neither a text nor a blob string"
      break
    }
    case "resource_link":
      if (typeof c.uri !== "string") missing = field("uri", c.uri, shown)
      else if (typeof c.name !== "string") missing = field("name", c.name, shown)
      break
    default:
      return `has type ${shown(type)}, which is no MCP content type (${TYPES})`
  }
  if (missing === undefined) {
    const a = c.annotations
    if (a !== undefined && (typeof a !== "object" || a === null || Array.isArray(a))) missing = `annotations that are ${shown(a)}, not an object`
  }
  return missing === undefined ? undefined : `(${type}) has ${missing}`
}

function field(name: string, v: unknown, shown: (v: unknown) => string): string {
  return `no ${name} string: its ${name} is ${shown(v)}`
}
