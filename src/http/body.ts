/**
 * @module http/body
 * Reads a request body with a byte cap (declared Content-Length, then counted while streaming),
 * without replacing the original Request (Bun ties per-request controls to that object); as text,
 * or as the bytes sent (a compressed body, decoded by content-coding.ts); or reads it to drop it
 * (a route that takes none), holding no more than the chunk at hand.
 */
import { concatBytes } from "../core/index.ts"

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`)
  }
}

/** The body did not arrive whole within the request's body deadline (`withinDeadline`). */
export class BodyTimedOut extends Error {
  constructor(readonly ms: number) {
    super(`request body not received whole within ${ms} ms`)
  }
}

/**
 * `read` (of `req`'s body), or BodyTimedOut once `ms` passed without it: a client that trickles its
 * body (a byte every few seconds keeps the connection's idle timer from firing) or declares a length
 * it never sends on a connection it holds open no longer holds the request, and what it sent, for ever.
 * The body is cancelled; the caller answers and closes the connection.
 */
export function withinDeadline<T>(read: Promise<T>, req: Request, ms: number): Promise<T> {
  if (!(ms > 0)) return read
  return new Promise<T>((resolve, reject) => {
    const d: Deadline = {
      at: performance.now() + ms,
      fire: () => {
        read.catch(() => {}) // ends with the connection, nobody waits for it
        try {
          req.body?.cancel().catch(() => {})
        } catch {
          // a body being read is locked: the connection's close ends it
        }
        reject(new BodyTimedOut(ms))
      },
    }
    track(d, ms)
    read.then(
      (v) => {
        deadlines.delete(d)
        resolve(v)
      },
      (e: unknown) => {
        deadlines.delete(d)
        reject(e)
      },
    )
  })
}

interface Deadline {
  at: number
  fire(): void
}
/** Bodies being read, each with its deadline: one shared ticker for all (no timer per request), running only while one is read. */
const deadlines = new Set<Deadline>()
let ticker: ReturnType<typeof setInterval> | undefined

function track(d: Deadline, ms: number): void {
  deadlines.add(d)
  if (ticker) return
  ticker = setInterval(() => {
    const now = performance.now()
    for (const x of deadlines) {
      if (x.at > now) continue
      deadlines.delete(x)
      x.fire()
    }
    if (deadlines.size === 0) {
      clearInterval(ticker)
      ticker = undefined
    }
  }, Math.max(10, Math.min(1000, ms / 4)))
  ticker.unref?.()
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

/**
 * Reads a body nobody uses to its end, with the same cap, keeping none of it: before, the routes
 * that take no body held it whole while it came (`req.text()`), so connections that sent a body
 * just short of the limit and never its last byte held that much each, without a token.
 */
export async function discardBodyLimited(req: Request, limit: number): Promise<void> {
  if (declaredOver(req, limit)) return await refuse(req, limit)
  await streamLimited(req, limit, false)
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

/** Reads a body of no declared length, counting its bytes as they come; `keep` false drops each chunk (the result is empty). */
async function streamLimited(req: Request, limit: number, keep = true): Promise<Uint8Array> {
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
    if (keep) chunks.push(value)
  }
  if (!keep) return new Uint8Array(0)
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, size)
}
