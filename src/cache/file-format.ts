/**
 * @module cache/file-format
 * On-disk entry format: one header line `MCPOC <json>` with format version, sha256 and byte length
 * of the body, storedAt and the key, then the body (the value as JSON). Decoding checks all of it.
 */
import { createHash } from "node:crypto"

export const FORMAT_VERSION = 1
const MAGIC = "MCPOC "

interface Header {
  v: number
  sha256: string
  len: number
  storedAt: number
  key: string
}

export type Decoded =
  | { ok: true; key: string; storedAt: number; value: unknown; bytes: number; bodyBytes: number }
  | { ok: false; reason: string; newer?: true }

export function encodeEntry(key: string, storedAt: number, bodyText: string): Buffer {
  const body = Buffer.from(bodyText, "utf8")
  const header: Header = {
    v: FORMAT_VERSION,
    sha256: createHash("sha256").update(body).digest("hex"),
    len: body.length,
    storedAt,
    key,
  }
  return Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + "\n", "utf8"), body])
}

/** Parses only the header (cheap scans for `cache stats`); undefined when it is not one. */
export function decodeHeader(buf: Buffer): { header: Header; bodyStart: number } | undefined {
  const nl = buf.indexOf(0x0a)
  if (nl < 0) return undefined
  const line = buf.subarray(0, nl).toString("utf8")
  if (!line.startsWith(MAGIC)) return undefined
  let h: unknown
  try {
    h = JSON.parse(line.slice(MAGIC.length))
  } catch {
    return undefined
  }
  if (!isHeader(h)) return undefined
  return { header: h, bodyStart: nl + 1 }
}

/** Full check: magic, version, key, length, checksum, then JSON. */
export function decodeEntry(buf: Buffer, expectedKey?: string): Decoded {
  const parsed = decodeHeader(buf)
  if (!parsed) return { ok: false, reason: "bad header" }
  const { header, bodyStart } = parsed
  // a later version of ours sharing the directory wrote it: not damaged, just not ours to read
  if (Number.isSafeInteger(header.v) && header.v > FORMAT_VERSION) return { ok: false, reason: `written in format version ${header.v} (a newer mcp-orchestrator)`, newer: true }
  if (header.v !== FORMAT_VERSION) return { ok: false, reason: `unknown format version ${header.v}` }
  if (expectedKey !== undefined && header.key !== expectedKey) return { ok: false, reason: "key mismatch" }
  const body = buf.subarray(bodyStart)
  if (body.length !== header.len) return { ok: false, reason: `truncated (${body.length}/${header.len} bytes)` }
  const sum = createHash("sha256").update(body).digest("hex")
  if (sum !== header.sha256) return { ok: false, reason: "checksum mismatch" }
  try {
    return { ok: true, key: header.key, storedAt: header.storedAt, value: JSON.parse(body.toString("utf8")), bytes: buf.length, bodyBytes: body.length }
  } catch {
    return { ok: false, reason: "body is not JSON" }
  }
}

function isHeader(h: unknown): h is Header {
  if (h === null || typeof h !== "object") return false
  const o = h as Record<string, unknown>
  return (
    typeof o.v === "number" &&
    typeof o.sha256 === "string" &&
    typeof o.len === "number" &&
    typeof o.storedAt === "number" &&
    Number.isFinite(o.storedAt) &&
    typeof o.key === "string"
  )
}
