/**
 * @module http/body
 * Reads a request body with a byte cap (declared Content-Length, then counted while streaming),
 * without replacing the original Request (Bun ties per-request controls to that object); as text,
 * or as the bytes sent (a compressed body, decoded by content-coding.ts).
 */
import { concatBytes } from "../core/index.ts"

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`)
  }
}

export async function readBodyLimited(req: Request, limit: number): Promise<string> {
  if (declaredOver(req, limit)) return await refuse(req, limit)
  // a declared length within the limit: Bun.serve already holds the body to it (maxRequestBodySize),
  // and reading it whole before touching `req.body` skips the body's ReadableStream (the getter alone
  // builds one) and a reader per request
  if (req.headers.get("content-length") !== null) return await req.text()
  return new TextDecoder().decode(await streamLimited(req, limit))
}

/** The body's bytes as sent (a compressed body still compressed), with the same cap. */
export async function readBytesLimited(req: Request, limit: number): Promise<Uint8Array> {
  if (declaredOver(req, limit)) return await refuse(req, limit)
  if (req.headers.get("content-length") !== null) return new Uint8Array(await req.arrayBuffer())
  return await streamLimited(req, limit)
}

/** A declared Content-Length over the limit. */
function declaredOver(req: Request, limit: number): boolean {
  const declared = req.headers.get("content-length")
  return declared !== null && Number(declared) > limit
}

/** The body is cancelled, not read. */
async function refuse(req: Request, limit: number): Promise<never> {
  await req.body?.cancel().catch(() => {})
  throw new BodyTooLarge(limit)
}

/** Reads a body of no declared length, counting its bytes as they come. */
async function streamLimited(req: Request, limit: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0)
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLarge(limit)
    }
    chunks.push(value)
  }
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, size)
}
