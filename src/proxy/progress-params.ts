/**
 * @module proxy/progress-params
 * A downstream's `notifications/progress` as it goes on to the client: `progress` (a finite
 * number, else the notification is dropped: the client's SDK would refuse it), `total` (when a
 * finite number), `message` (a string, at most `MAX_PROGRESS_MESSAGE_CHARS`) and a small `_meta`;
 * nothing else. A hostile server's 1 MB message twenty times a second (what the rate limit lets
 * through) would otherwise be 20 MB a second to the client, and any field it adds would go along.
 */
import { cutText } from "../core/index.ts"

/** Characters of a progress message relayed (a status line, not data). */
export const MAX_PROGRESS_MESSAGE_CHARS = 1000
/** Characters of JSON of a progress notification's `_meta` relayed; a larger one is left out. */
const MAX_PROGRESS_META_CHARS = 1000

export function progressParams(p: Record<string, unknown>): Record<string, unknown> | undefined {
  const { progress, total, message, _meta } = p
  if (typeof progress !== "number" || !Number.isFinite(progress)) return undefined
  const out: Record<string, unknown> = { progress }
  if (typeof total === "number" && Number.isFinite(total)) out.total = total
  if (typeof message === "string") out.message = message.length <= MAX_PROGRESS_MESSAGE_CHARS ? message : `${cutText(message, MAX_PROGRESS_MESSAGE_CHARS)}… (cut: ${message.length.toLocaleString("en")} characters)`
  if (_meta !== undefined && typeof _meta === "object" && _meta !== null && !Array.isArray(_meta) && smallJson(_meta)) out._meta = _meta
  return out
}

function smallJson(v: unknown): boolean {
  try {
    return (JSON.stringify(v)?.length ?? Infinity) <= MAX_PROGRESS_META_CHARS
  } catch {
    return false
  }
}
