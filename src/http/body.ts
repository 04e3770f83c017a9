/**
 * @module http/body
 * Reads a request body with a byte cap (declared Content-Length, then counted while streaming),
 * without replacing the original Request (Bun ties per-request controls to that object).
 */
import { concatBytes } from "../core/index.ts"

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`)
  }
}

export async function readBodyLimited(req: Request, limit: number): Promise<string> {
  const declared = req.headers.get("content-length")
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => {})
    throw new BodyTooLarge(limit)
  }
  // a declared length within the limit: Bun.serve already holds the body to it (maxRequestBodySize),
  // and reading it whole before touching `req.body` skips the body's ReadableStream (the getter alone
  // builds one) and a reader per request
  if (declared !== null) return await req.text()
  if (!req.body) return ""
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
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concatBytes(chunks, size))
}

