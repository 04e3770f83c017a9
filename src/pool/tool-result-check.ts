/**
 * @module pool/tool-result-check
 * What makes a `tools/call` result no valid MCP `CallToolResult`: the checks an SDK client's schema
 * runs (content blocks by type, `structuredContent`, `isError`), so a bad answer fails its own call
 * here, naming the block and what is wrong with it, instead of reaching the client as a schema dump
 * with no server name. Runs on every tool result: property reads and `typeof` only, nothing
 * allocated unless something is wrong; an image/audio `data` and a resource `blob` are read once as
 * base64 (the SDK clients' `Base64Schema` refuses the whole answer otherwise). A large result (forwarded as its bytes, never parsed whole)
 * is checked the same way over its bytes, one content block at a time (`toolResultBytesProblem`).
 */
import { base64BytesProblem, base64Problem, JsonSkim, type LongString } from "../core/index.ts"
import { isModernKey } from "./modern-keys.ts"

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
  /** The types of its content blocks (what a client older than some of them needs rewritten: proxy/old-client-content). */
  types: Set<string>
  /** It has a 2026-07-28 key (`resultType`, `ttlMs`, `cacheScope`) at its top level (pool/modern-keys). */
  modernKeys: boolean
  /** It has a `content` member (one without is given one before it goes out: proxy/result-content). */
  content: boolean
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
  let modernKeys = false
  let content = false
  const types = new Set<string>()
  if (skim.kind() !== "object") return { problem: `its result is ${skim.kind() === "array" ? "a list" : `a ${skim.kind()}`}, not an object`, structured, modernKeys, types, content }
  skim.object((key) => {
    if (isModernKey(key)) modernKeys = true
    if (problem !== undefined) return skim.skip()
    // a repeated key: JSON.parse keeps the last one, so the last is what is checked
    if (key === "content") {
      content = true
      const kind = skim.kind()
      if (kind !== "array") {
        // an object is not built (it may be large)
        if (kind === "object") skim.skip()
        problem = `its content is ${kind === "object" ? "an object" : shown(skim.value(SHORT))}, not a list of content blocks`
        return
      }
      const longs = { keys: BASE64_KEYS, found: [] as LongString[] }
      skim.longs = longs
      skim.array((i) => {
        if (problem !== undefined) return skim.skip()
        longs.found.length = 0
        const block = skim.value(SHORT)
        const type = (block as { type?: unknown } | null)?.type
        if (typeof type === "string") types.add(type)
        // the long base64 strings (skipped unread) are checked over their bytes
        const p = blockProblem(block, shown, (owner, key) => {
          const at = longs.found.find((l) => l.owner === owner && l.key === key)
          return at === undefined ? builtBase64(owner, key) : base64BytesProblem(chunks, at.start, at.end)
        })
        if (p !== undefined) problem = `content[${i}] ${p}`
      })
      skim.longs = undefined
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
  return { problem, structured, modernKeys, types, content }
}

/** The keys whose long strings a bytes check notes, to read them as base64. */
const BASE64_KEYS: ReadonlySet<string> = new Set(["data", "blob"])

/** What makes `owner[key]` (a string) no base64, or undefined. */
type Base64Check = (owner: object, key: string) => string | undefined

/** The check of a built value: the string itself (a bytes check passes its own, which reads long strings over their bytes). */
const builtBase64: Base64Check = (owner, key) => base64Problem((owner as Record<string, string>)[key]!)

/**
 * What is wrong with one content block ("is …" / "(type) has …"), or undefined. `base64` reads a
 * `data` or `blob` string (a bytes check reads the long ones over their bytes).
 */
export function blockProblem(b: unknown, shown: (v: unknown) => string, base64: Base64Check = builtBase64): string | undefined {
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
      else {
        const bad = base64(c, "data")
        if (bad !== undefined) missing = `data that is no base64: ${bad}`
      }
      break
    case "resource": {
      const res = c.resource as Record<string, unknown> | null | undefined
      if (typeof res !== "object" || res === null || Array.isArray(res)) missing = `no resource object: its resource is ${shown(res)}`
      else if (typeof res.uri !== "string") missing = `no resource.uri string: it is ${shown(res.uri)}`
      else if (typeof res.text !== "string" && typeof res.blob !== "string") missing = "a resource with neither a text nor a blob string"
      else if (typeof res.text !== "string") {
        // with a text, the SDK schemas read it as text contents (the blob unread)
        const bad = base64(res, "blob")
        if (bad !== undefined) missing = `a resource.blob that is no base64: ${bad}`
      }
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
