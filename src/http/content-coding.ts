/**
 * @module http/content-coding
 * The `Content-Encoding` of a POST to the MCP endpoint. A client that compresses its requests
 * (`gzip`, `x-gzip`, `deflate`: zlib-wrapped or bare) has them decoded, the decoded bytes held to `http.bodyLimit` (a
 * gzip bomb stops at the limit: zlib's `maxOutputLength`, off the main thread); `identity` or none
 * is read as it is. Any other coding (br, zstd, several stacked) is 415 naming the ones taken, with
 * `Accept-Encoding` (RFC 9110 §15.5.16), instead of a parse error about bytes nobody decoded.
 */
import { promisify } from "node:util"
import { gunzip, inflate, inflateRaw } from "node:zlib"
import { BodyTooLarge, readBodyLimited, readBytesLimited } from "./body.ts"
import { decodeCharset } from "./charset.ts"

export type Coding = "identity" | "gzip" | "deflate"

/** The codings decoded here, as `Accept-Encoding` names them. */
export const ACCEPTED_CODINGS = "gzip, deflate"

/** A compressed body that does not decode (corrupt, truncated, another format). */
export class BodyUndecodable extends Error {
  constructor(
    readonly coding: Coding,
    why: string,
  ) {
    super(`the request body is not valid ${coding} data (Content-Encoding: ${coding}): ${why}`)
  }
}

/** The request's coding, or the header value when it is one this endpoint does not decode. */
export function codingOf(headers: Headers): { coding: Coding } | { unsupported: string } {
  const raw = headers.get("content-encoding")
  if (raw === null) return IDENTITY
  const v = raw.trim().toLowerCase()
  if (v === "" || v === "identity") return IDENTITY
  if (v === "gzip" || v === "x-gzip") return GZIP
  if (v === "deflate") return DEFLATE
  return { unsupported: raw.length > 100 ? `${raw.slice(0, 100)}…` : raw }
}

const IDENTITY = { coding: "identity" } as const
const GZIP = { coding: "gzip" } as const
const DEFLATE = { coding: "deflate" } as const

const gunzipAsync = promisify(gunzip)
const inflateAsync = promisify(inflate)
const inflateRawAsync = promisify(inflateRaw)

/** Decodes `bytes` as `coding` into text; more than `limit` decoded bytes is BodyTooLarge. */
export async function decodeBody(coding: Exclude<Coding, "identity">, bytes: Uint8Array, limit: number): Promise<string> {
  return new TextDecoder().decode(await inflateBody(coding, bytes, limit)) // as req.text(): a BOM is dropped
}

async function inflateBody(coding: Exclude<Coding, "identity">, bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  try {
    return await (coding === "gzip" ? gunzipAsync : inflateAsync)(bytes, { maxOutputLength: limit })
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw new BodyTooLarge(limit)
    // `deflate` is zlib-wrapped (RFC 9110 §8.4.1.2), but many clients send bare DEFLATE under that
    // name (zlib's raw mode, .NET's DeflateStream, Python's wbits=-15): browsers read both, so do we.
    // A body with no zlib header is tried raw; what neither reads keeps the zlib error
    if (coding === "deflate" && !zlibHeader(bytes)) {
      try {
        return await inflateRawAsync(bytes, { maxOutputLength: limit })
      } catch (raw) {
        if ((raw as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw new BodyTooLarge(limit)
      }
    }
    throw new BodyUndecodable(coding, e instanceof Error ? e.message : String(e))
  }
}

/** A zlib stream's first two bytes: deflate method (CM 8) and a header check that is a multiple of 31 (RFC 1950 §2.2). */
function zlibHeader(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0
}

/**
 * The body of a POST as text: decoded when compressed, `limit` on the bytes as sent and as decoded,
 * read in `charset` when the client declared one other than UTF-8 (charset.ts). Its coding and
 * charset were checked (`codingOf`, `charsetOf`).
 */
export async function readDecoded(req: Request, limit: number, charset?: string): Promise<string> {
  const c = codingOf(req.headers)
  if ("unsupported" in c) throw new BodyUndecodable("identity", `Content-Encoding ${c.unsupported} is not decoded here`)
  if (charset === undefined) {
    if (c.coding === "identity") return await readBodyLimited(req, limit)
    return await decodeBody(c.coding, await readBytesLimited(req, limit), limit)
  }
  const bytes = await readBytesLimited(req, limit)
  return decodeCharset(c.coding === "identity" ? bytes : await inflateBody(c.coding, bytes, limit), charset)
}
