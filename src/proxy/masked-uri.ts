/**
 * @module proxy/masked-uri
 * A resource URI that holds a configured secret (`https://api.example/data?apikey=<key>`, a file
 * named after a token) is listed to the client masked (`…?apikey=[REDACTED]`, list answers are
 * redacted at the face). A read of that masked URI means the resource listed so: it goes to its
 * server as the server listed it, or the server got `[REDACTED]` in place of its own key and could
 * not find the resource. The answer is redacted on its way out as every answer is, so the client
 * never sees the value; a masked URI that stands for several listed ones (two keys) is sent as it came.
 */
import { REDACTED, redactValuesChecked } from "../core/index.ts"

/** The listed URI that `uri`, as the client got it, stands for; `uri` itself when none or several do. */
export function unmaskedUri(uri: string, listed: Iterable<string>): string {
  if (!uri.includes(REDACTED)) return uri
  let found: string | undefined
  for (const l of listed) {
    if (l === uri || l === found || redactValuesChecked(l) !== uri) continue
    if (found !== undefined) return uri
    found = l
  }
  return found ?? uri
}
