/**
 * @module core/redact
 * Secret redaction for everything that leaves the process. Strings are scrubbed of every value in
 * the secret registry (core/secrets: the configured secrets, the HTTP token…) and of well-known
 * token shapes (Bearer, sk-, ghp_, AWS keys, JWTs); `redactString` (logs, stderr, error texts) also
 * of what text names as a secret (`GITHUB_TOKEN=…`, `password: …`, a URL's password: `redactAssigned`);
 * in `redact`, keys that look secret also have their values replaced. `redactValues` scrubs strings
 * only (for results with an output schema); a downstream's own data gets registered values
 * (`redactRegistered`) or those and token shapes (definitions, own results) only.
 */
import { itemJson } from "./list-json.ts"
import { freeKey } from "./masked-key.ts"
import { BASE64_KEYS, hasEscapeSpelling, isSecretName, isSettingName, REDACTED, secrets, TOKEN_SHAPE_HINT, TOKEN_SHAPES } from "./secrets.ts"
import { JsonBytes, RawJson, unwrapRaw } from "./raw-json.ts"
import { maskWrapped } from "./split-items.ts"

const SECRET_KEY = /(token|secret|passw(or)?d|passphrase|authorization|api[-_]?key|apikey|private[-_]?key|access[-_]?key|credential|cookie|^key$|_key$|-key$)/i

/** `Bearer X` / `Basic X` (the scheme stays), then the well-known token shapes (core/secrets). */
const SECRET_PATTERNS: readonly RegExp[] = [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, ...TOKEN_SHAPES.map((r) => new RegExp(r.source, "g"))]

/** One cheap test before the individual replacements: most strings contain no secret at all. */
const ANY_SECRET = new RegExp(`Bearer|Basic|${TOKEN_SHAPE_HINT.source}`)

/** Keys repeat (the same few fields in every log record): remember the verdicts, boundedly. */
const keyVerdicts = new Map<string, boolean>()

export function isSecretKey(key: string): boolean {
  let v = keyVerdicts.get(key)
  if (v === undefined) {
    v = SECRET_KEY.test(key)
    if (keyVerdicts.size >= 4096) keyVerdicts.clear()
    keyVerdicts.set(key, v)
  }
  return v
}

/**
 * Text that leaves as a log line, a downstream's stderr, or an error (ours or a downstream's): the
 * registered values, the token shapes, and what text says is a secret whatever its shape —
 * `GITHUB_TOKEN=value`, `password: value`, `"api_key": "value"`, `Authorization: value`, a URL's
 * password (`postgres://u:value@h`), `--token value`, base64 of a registered value
 * (`redactAssigned`). Not for a downstream's own data: `redactRegistered` (results) and the
 * definitions of list answers keep everything but registered values and token shapes.
 */
export function redactString(s: string): string {
  // Text that had something masked is read again until nothing more changes (at most 3 more
  // times): a mask can end what hid a secret from the rules (a `${env:X}` placeholder in a URL's
  // user part, a quote pair split by a masked value), so a second redaction of a log line or an
  // error quoting another masked more — each pass only masks, so this only ever hides more
  // first, a value folded across its line breaks (an error quoting a dump wrapped at a column, a log
  // notification's text): masked in each line it has a part in (core/split-items); before the rules
  // below, which may mask the first line's part alone (`API_KEY=<part>`) and hide the rest's
  let out = redactOnce(maskWrapped(s))
  for (let i = 0, prev = s; i < 3 && out !== prev; i++) [prev, out] = [out, redactOnce(out)]
  return out
}

function redactOnce(s: string): string {
  // base64 runs first: a run holding a value is masked whole, before the registry's own base64
  // spellings of it (core/secrets) would mask only the part the value decides
  return redactNamed(redactShapes(redactBase64Runs(s)))
}

/** Each base64 run in `s` that holds a registered value (see `BASE64_RUN`), masked whole. */
function redactBase64Runs(s: string): string {
  if (secrets.empty || !BASE64_RUN_HINT.test(s)) return s
  return s.replace(BASE64_RUN, (run) => ((run.endsWith("=") || run.length >= LONG_BASE64_RUN ? holdsRegistered(run) : secrets.isShortBase64(run)) ? REDACTED : run))
}

/** Registered values first (longest first, whole), then the token shapes nobody registered. */
function redactShapes(s: string): string {
  let out = secrets.redact(s)
  out = secrets.redactEscaped(out)
  if (ANY_SECRET.test(out))
    for (const re of SECRET_PATTERNS) out = out.replace(re, (m) => (m.startsWith("Bearer") || m.startsWith("Basic") ? `${m.split(/\s+/)[0]} ${REDACTED}` : REDACTED))
  return out
}

/** Whether `text` may hold something `redactString` replaces (one scan; false means surely not). */
export function mayHoldSecret(text: string): boolean {
  return mayHoldShape(text) || ASSIGN_HINT.test(text) || (!secrets.empty && BASE64_RUN_HINT.test(text))
}

/** `mayHoldSecret` for the definitions of a list answer: registered values and token shapes only. */
function mayHoldShape(text: string): boolean {
  return secrets.test(text) || ANY_SECRET.test(text) || (!secrets.empty && (text.includes('"blob"') || hasEscapeSpelling(text)))
}

// --- secrets that text names: `NAME=value`, `name: value`, `"name": "value"`, URL passwords ---

/** One cheap test before `redactAssigned`'s scans: a secret-ish word, or a URL with userinfo. */
const ASSIGN_HINT = /tok|secret|pass|pwd|key|auth|cookie|credential|sig|jwt|bearer|code|pin\b|mnemonic|phrase|seed\b|:\/\/[^\s/@]*@/i
/**
 * A run that may be base64: 16+ characters are decoded and checked against the registry; a shorter
 * one (8+, the base64 of a value of 4 to 11 bytes) ending in `=` padding is decoded too, another is looked up among the registered values' whole
 * encodings (`SecretRegistry.isShortBase64`: decoding every 8-letter word of a log cost 13 times more).
 */
const BASE64_RUN_HINT = /[A-Za-z0-9+/_-]{8,}/
const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g
const LONG_BASE64_RUN = 16

/**
 * A name and its separator: `name=`, `name: `, `"name": `, `'name' = `, also two words (`API key:`,
 * `Invalid token:`) and a backslash-escaped quote (`\"name\":`, JSON inside a JSON string).
 * Group 1: what precedes the name (`?`/`&`: a URL's query); 2: the quote; 3: the name; 4: the separator.
 */
const NAME_SEP = /(^|[?&]|[^\w.])((?:\\?["'])?)([A-Za-z_][\w.-]{0,127}(?: [A-Za-z][\w-]{0,63})?)\2([ \t]*(?::(?![:/])|=(?![=>]))[ \t]*)/g
/** What follows a pair's value in a form body or query: `&` and the next name. */
const FORM_NEXT = /^[^\s&"'<>]*&[A-Za-z_][\w.-]*=/
/** The value after NAME_SEP: quoted (JSON escapes inside), backslash-quoted, or a run up to a delimiter. */
const VALUE = /"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|`[^`\n]*`|\\"(?:[^"\\\n]|\\[^"])*\\"|[^\s"'`,;&)\]}<>]+/y
/** A header whose value is the rest of the line (a credential may hold spaces: `Digest a="…", b="…"`, cookies). */
const HEADER_NAME = /^(?:proxy-)?authori[sz]ation$|^(?:set-)?cookie$/i
/** An HTTP auth scheme kept in front of the masked credential (`Authorization: Basic [REDACTED]`). */
const SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest|ApiKey|Negotiate|NTLM|AWS4-HMAC-SHA256|token|bearer)\s+/
/** `--token value`, `-password value`: a secret-named flag and its value, space-separated. */
const FLAG_VALUE = /(^|[\s"'=[(,])(--?)([A-Za-z][\w.-]{0,63})([ \t]+)([^\s"'`,;<>[\]{}()-][^\s"'`,;<>[\]{}()]*)/g
/**
 * The same flag and value as two items of a quoted list (an argv quoted as JSON `"--token", "value"`,
 * Python `'--token', 'value'`, or JSON in a JSON string `\\"--token\\", \\"value\\"`).
 */
const FLAG_ITEM = /(\\?)(["'])(--?)([A-Za-z][\w.-]{0,63})\1\2([ \t]*,[ \t]*\1\2)([^"'\\\n]+)(?=\1\2)/g
/**
 * A pair URL-encoded inside a URL or a form (a `redirect_uri`'s own query, a form body quoted in a
 * query: `…%3Fpassword%3Dx%26…`, JSON `%22api_key%22%3A%22x%22`): group 2 the name, 5 the value.
 */
const ENCODED_PAIR = /(^|[^A-Za-z0-9_%]|%(?:2[0267Cc]|3[Ff]|7[Bb]))([A-Za-z_][\w.-]{0,63})((?:%2[27])?(?:%3[Dd]|%3[Aa])(?:%20|\+)*(?:%2[27])?)((?:[^\s&"'`<>%]|%(?!2[0267Cc])[0-9A-Fa-f]{2})+)/g
/** An XML element holding a secret-named value (`<password>x</password>`, `<ns:apiKey a="1">x</ns:apiKey>`): group 1 the name. */
const XML_ELEMENT = /<((?:[A-Za-z_][\w.-]{0,31}:)?[A-Za-z_][\w.-]{0,63})(\s[^<>]{0,256})?>([^<>\n]{1,4096})<\/\1>/g
/** `scheme://user:password@host` (group 3 the password), `scheme://token@host` (no colon: group 2 the user). */
const URL_USERINFO = /(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#@"'`:<>]*)(?::([^\s/?#@"'`<>]*))?@(?=[^\s/?#@"'`<>])/g

/** A name's last word (snake, kebab, dotted, camel case): it says what the value is. */
function words(name: string): string[] {
  return name
    .split(/[-_.\s]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** Last words of names whose value is a secret (`GITHUB_TOKEN`, `db.password`, `clientSecret`, `x-api-key`). */
const SECRET_LAST = /^(?:\w*token|\w*secret|\w*passw(?:or)?d|pwd|passphrase|passcode|\w*apikey|privatekey|accesskey|secretkey|credentials?|creds?|authori[sz]ation|cookie|auth|signature|jwt)\d*$/
/** Words before `key` that make it a credential (`api_key`, `AWS_SECRET_ACCESS_KEY`, `license-key`). */
const KEY_KINDS = new Set(["api", "secret", "private", "access", "auth", "client", "master", "encryption", "signing", "license", "app", "service", "subscription", "account", "x", "ssh", "session", "bot"])

/** Words before `code` that make it an OAuth authorization code (`auth_code`, `authorization_code`, `device_code`). */
const CODE_KINDS = new Set(["auth", "authorization", "device", "oauth", "pin"])

/**
 * Whether text naming `name` holds a secret after it: the last word decides (`TOKEN_FILE`,
 * `max_tokens`, `token_type`, `auth_mode` do not). `key` needs a kind before it or an env-style
 * name (`BRAVE_KEY`); a bare `key`, `sig`, `pass` only in a URL's query (`?key=AIza…`).
 */
function isSecretTextName(name: string, inQuery: boolean): boolean {
  // the registry's rule (core/secrets): `SORT_KEY=name` is a setting in a log line too
  if (isSettingName(name)) return false
  const w = words(name)
  const last = w.at(-1)
  if (last === undefined) return false
  if (SECRET_LAST.test(last)) return true
  const prev = w.at(-2)
  // OAuth's one-time values (a token request's form, a callback URL): `code_verifier`, `auth_code`, and `code` in a query or form
  if (last === "verifier") return prev === "code"
  if (last === "code") return prev !== undefined ? CODE_KINDS.has(prev) && !name.includes(" ") : inQuery
  // …or a credential word before it in any case (`secret_hash_key`, `authCacheKey`: the registry's rule too)
  if (last === "key") return prev !== undefined ? KEY_KINDS.has(prev) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(name) || w.slice(0, -1).some((x) => SECRET_LAST.test(x)) : inQuery
  // a bare `pass` or `pw` in a URL's query or a form (`?user=bob&pw=…`) is the password too
  if (last === "pass" || last === "pw") return (prev !== undefined || inQuery) && !name.includes(" ")
  if (last === "pat") return prev !== undefined && !name.includes(" ")
  if (last === "sig") return inQuery
  // a PIN, recovery words, an OTP seed: the registry's names (`DB_PIN`, `SEED_PHRASE`, `TOTP_SEED`); a
  // bare lower-case `pin` in prose or a manifest is a version pin (`pin: ^1.2`), not a credential
  if (last === "pin" || last === "mnemonic" || last === "phrase" || last === "seed") return name !== "pin" && !name.includes(" ") && isSecretName(name)
  return false
}

/** Values that say nothing secret: words of a message, placeholders, a variable's name, a masked value. */
const KEEP_WORDS = new Set([
  "true", "false", "yes", "no", "on", "off", "null", "nil", "none", "undefined", "enabled", "disabled", "default", "empty",
  "required", "missing", "invalid", "expired", "revoked", "unset", "set", "not", "provided", "present", "absent", "redacted", "hidden", "masked", "unknown", "string", "number", "boolean", "object", "error",
])
const PLACEHOLDER = /^(?:<[^>]*>|\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{[^}]*\}\}|%[sdvq]|\*+|x{3,}|X{3,}|\.{3}|…|[A-Z]+(?:_[A-Z0-9]+)*|\d{1,5})$/

/**
 * A secret's name where its value would be (`secret: github.personal_access_token` in a catalog's
 * oauth provider, `"key": "github.token"`, `se://docker/mcp/github.token`): the Docker MCP
 * Toolkit names secrets `<server>.<key>` (lower-case words, dotted), its Secrets Engine
 * `docker/mcp/<name>`, references `se://…`. A name is what the model needs to tell the user which
 * secret to set; it is no credential. At most 4 digits, each word starting with a letter.
 */
const SECRET_REFERENCE = /^(se:\/\/)?(docker\/mcp\/(?:oauth\/)?)?[a-z][a-z0-9_-]{0,63}(?:\.[a-z][a-z0-9_-]{0,63}){1,3}$/
/**
 * The last word of a bare `<server>.<key>` name says what kind of secret it names (`github.token`,
 * `github.personal_access_token`, `notion.api_key`): a dotted passphrase (`correct.horse.battery`)
 * after `password:` is a value, and stays masked.
 */
const KIND_OF_SECRET = /(?:^|[._-])(?:token|key|apikey|secret|password|passwd|pat|credentials?|auth|bearer|pass)$/

export function isSecretReference(v: string): boolean {
  if (v.length > 160 || (v.match(/\d/g)?.length ?? 0) > 4) return false
  const m = SECRET_REFERENCE.exec(v)
  if (m === null) return false
  // a Secrets Engine path or reference names a secret whatever its words; a bare name says its kind
  return m[1] !== undefined || m[2] !== undefined || KIND_OF_SECRET.test(v)
}

/**
 * The opening of a structure (`{"provider": …}`, `["api_key", …]`, `[{`, `[]`) after a name, not a
 * value: what it holds is judged pair by pair (a map keyed by secret names, a list of their names).
 */
export function opensStructure(s: string, at: number): boolean {
  return /^(?:\{\s*(?:["'}]|\\"|$)|\[\s*(?:["'{[\]]|\\"|$))/.test(s.slice(at, at + 8))
}

/**
 * A value after a secret-named key that holds no secret: empty, a word that says there is none or
 * what it is (`none`, `true`, `unset`, `required`), a placeholder (`<KEY>`, `${TOKEN}`, `***`, a
 * number of up to 5 digits), masked already, or a secret's name. Masking it blanked ordinary text
 * (`"secrets": "none"` quoted as `"secrets": "[REDACTED]"`) and hid nothing.
 */
export function keepValue(v: string): boolean {
  return v === "" || v.includes("[REDACTED") || KEEP_WORDS.has(v.toLowerCase()) || PLACEHOLDER.test(v) || isSecretReference(v)
}

/**
 * The secrets text names (see `redactString`), masked with `[REDACTED]`: the name, quotes and
 * separator stay, and an auth scheme before a credential. Ordinary pairs (`mode=fast`, `key: name`,
 * `token_type=bearer`) and prose (`token: The token you gave is invalid`) are left as they are.
 */
export function redactAssigned(s: string): string {
  return redactNamed(redactBase64Runs(s))
}

/** `redactAssigned` but its base64 runs: what text names as a secret. */
function redactNamed(s: string): string {
  let out = s
  if (!ASSIGN_HINT.test(out)) return out
  if (out.includes("://")) out = out.replace(URL_USERINFO, maskUserinfo)
  out = maskPairs(out)
  if (/%3[DdAa]/.test(out)) out = maskEncodedPairs(out)
  if (out.includes("</")) out = out.replace(XML_ELEMENT, (m, name: string, attrs: string | undefined, value: string) => (isSecretTextName(name.slice(name.indexOf(":") + 1), false) && !keepValue(value.trim()) ? `<${name}${attrs ?? ""}>${REDACTED}</${name}>` : m))
  if (out.includes("-")) {
    out = out.replace(FLAG_VALUE, (m, pre: string, dashes: string, name: string, gap: string, value: string) => (flagSecret(name, value) ? `${pre}${dashes}${name}${gap}${REDACTED}` : m))
    out = out.replace(FLAG_ITEM, (m, bs: string, q: string, dashes: string, name: string, sep: string, value: string) => (flagSecret(name, value) ? `${bs}${q}${dashes}${name}${bs}${q}${sep}${REDACTED}` : m))
  }
  return out
}

/** A secret-named flag's value that is no placeholder, word or flag (`--token abc123`, not `--token required`). */
function flagSecret(name: string, value: string): boolean {
  return isSecretTextName(name, false) && !value.startsWith("-") && !keepValue(value) && (/\d/.test(value) || value.length >= 12)
}

/** `ENCODED_PAIR`s with a secret's name, masked; another pair's value is read again (it may hold one: a URL's own query). */
function maskEncodedPairs(s: string): string {
  let out = ""
  let last = 0
  ENCODED_PAIR.lastIndex = 0
  for (let m = ENCODED_PAIR.exec(s); m; m = ENCODED_PAIR.exec(s)) {
    const [all, pre, name, sep, value] = m as unknown as [string, string, string, string, string]
    const at = m.index + pre.length + name.length + sep.length
    if (!isSecretTextName(name, true) || keepValue(safeDecode(value))) {
      ENCODED_PAIR.lastIndex = at
      continue
    }
    out += s.slice(last, at) + REDACTED
    last = m.index + all.length
  }
  return last === 0 ? s : out + s.slice(last)
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

function maskUserinfo(m: string, scheme: string, user: string, pass: string | undefined): string {
  if (pass !== undefined) return pass === "" || keepValue(pass) ? m : `${scheme}${user}:${REDACTED}@`
  // no password: the user is the token (`https://ghp_…@github.com`, `https://<key>@sentry.io`) when it looks like one
  return user.length >= 16 && /\d/.test(user) && /[A-Za-z]/.test(user) ? `${scheme}${REDACTED}@` : m
}

function maskPairs(s: string): string {
  let out = ""
  let last = 0
  NAME_SEP.lastIndex = 0
  for (let m = NAME_SEP.exec(s); m; m = NAME_SEP.exec(s)) {
    const name = m[3]!
    const end = NAME_SEP.lastIndex
    const inQuery = m[1] === "?" || m[1] === "&"
    // the first pair of a form body (`code=…&code_verifier=…` quoted by a token endpoint) is in it too
    if (!isSecretTextName(name, inQuery) && (inQuery || !isSecretTextName(name, true) || !FORM_NEXT.test(s.slice(end, end + 2048)))) {
      // the second word of a two-word name may be a name itself (`with token=x`): from there again
      const space = name.indexOf(" ")
      if (space >= 0) NAME_SEP.lastIndex = end - m[0].length + m[1]!.length + m[2]!.length + space
      // its value may be a pair itself (`refused: code=…&code_verifier=…`): from the separator's last character
      else if (end > 0) NAME_SEP.lastIndex = end - 1
      continue
    }
    const masked = maskValue(s, end, name, m[4]!.trim() === ":", m[1] === '"' || m[1] === "'")
    if (masked === undefined) continue
    out += s.slice(last, end) + masked.text
    last = masked.end
    NAME_SEP.lastIndex = last
  }
  return last === 0 ? s : out + s.slice(last)
}

/** The masked value that starts at `at` (and where it ends), or undefined to keep it. */
function maskValue(s: string, at: number, name: string, colon: boolean, inString: boolean): { text: string; end: number } | undefined {
  // a header's value is the rest of its line (up to the quote that closes the string it is in)
  if (colon && HEADER_NAME.test(name) && s[at] !== '"' && s[at] !== "'") {
    const eol = (inString ? /[\r\n"']|\\["'n]/ : /[\r\n]|\\["n]/).exec(s.slice(at))
    const value = s.slice(at, eol ? at + eol.index : s.length).trimEnd()
    const scheme = SCHEME.exec(value)?.[0] ?? ""
    const cred = value.slice(scheme.length)
    // a placeholder (`Bearer <token> required`) or a sentence (`Authorization: required for this route`)
    if (keepValue(cred) || keepValue(cred.split(/\s/)[0]!) || (scheme === "" && /^[A-Za-z]+[ \t]+[A-Za-z]/.test(cred))) return undefined
    return { text: `${scheme}${REDACTED}`, end: at + value.length }
  }
  // `auth: Bearer X`: the scheme stays, X is the value
  const scheme = SCHEME.exec(s.slice(at, at + 40))?.[0]
  if (scheme !== undefined) at += scheme.length
  if (opensStructure(s, at)) return undefined
  VALUE.lastIndex = at
  const v = VALUE.exec(s)?.[0]
  if (!v) return undefined
  const quote = v.startsWith('\\"') ? '\\"' : v[0] === '"' || v[0] === "'" || v[0] === "`" ? v[0] : ""
  // a sentence's full stop (or colon) after an unquoted value is no part of it; `!` and `?` are
  // (passwords end in them far more often than log lines do: `DB_PASSWORD=Summer2024!`)
  const run = quote ? v : v.replace(/[.:]+$/, "")
  if (!run) return undefined
  const inner = quote ? v.slice(quote.length, -quote.length) : run
  if (keepValue(inner)) return undefined
  // `name: word word…` is a sentence about the name (`token: The token is invalid`), not its value
  if (!quote && colon && /^[A-Za-z][a-z']*$/.test(inner) && /^[ \t]+[^\s.,;]/.test(s.slice(at + run.length))) return undefined
  return { text: `${scheme ?? ""}${quote}${REDACTED}${quote}`, end: at + run.length }
}

/**
 * Whether a base64 run (either alphabet, or both) decodes to bytes holding a registered value: from each of
 * its first four characters (an encoding glued to other letters or digits starts at any of them).
 */
function holdsRegistered(run: string): boolean {
  for (let k = 0; k < 4 && run.length - k >= 8; k++) {
    // Buffer's base64 decoder reads both alphabets (a run may glue a URL-safe encoding to a path)
    const text = Buffer.from(run.slice(k), "base64").toString("latin1")
    if (secrets.test(text) || secrets.test(Buffer.from(text, "latin1").toString("utf8"))) return true
  }
  return false
}

/**
 * The registered values and token shapes replaced (`redactDefinitions`), for a large value that
 * rarely holds a secret (an own tool's result): one scan of its JSON text first (the registry holds
 * JSON-escaped spellings too), the walk only when it may. Not what text names (`redactAssigned`):
 * own results carry a downstream's data (run_code's results, describe_tools' definitions), and the
 * error texts they quote were redacted with `redactString` where they were put in.
 */
export function redactValuesChecked<T>(value: T): T {
  return checkedAt(value, 0) as T
}

/**
 * Strings scrubbed at any depth (object keys too, in place), every other value kept (a result
 * validated against an output schema keeps its shape). Returns the input itself when nothing needed scrubbing.
 */
export function redactValues<T>(value: T, depth = 0): T {
  return mapStrings(value, redactString, depth, 32)
}

/**
 * Only the configured secrets (the registry's values, also inside a `Basic` credential's base64)
 * replaced, at any depth: for a downstream's own data (a successful result), where the generic
 * patterns of `redactValues` would mangle text that merely looks like a key. Returns the input
 * itself when nothing matched.
 */
export function redactRegistered<T>(value: T): T {
  return mapStrings(value, registered, 0, 64)
}

const registered = (s: string): string => secrets.redactBasic(secrets.redactEscaped(secrets.redact(s)))

/**
 * A successful result of a server whose secrets are kept where the orchestrator cannot read them
 * (the Docker MCP Toolkit's servers: `docker mcp secret set` keeps the values in Docker): the
 * registered values and the token shapes (a `ghp_…`, `sk-…`, JWT or `Bearer …` such a server
 * echoes cannot be matched against a known value). What text merely names a secret stays (the
 * server's own data). Raw text is scanned once and parsed only when it may hold one. Returns
 * `result` itself when nothing changed.
 */
export function redactUnknownSecrets(result: unknown): unknown {
  if (result instanceof RawJson) {
    const text = typeof result.json === "string" ? result.json : result.json.text()
    if (!mayHoldShape(text)) return result
  }
  const value = unwrapRaw(result)
  const clean = mapStrings(value, redactShapes, 0, 64)
  if (clean === value) return result
  if (result instanceof RawJson && result.json instanceof JsonBytes) result.json.release()
  return clean
}

/** `value` with `fn` applied to every string, keys too (plain objects and arrays walked, order kept); the input itself when nothing changed. */
// `numbers`: whether numbers are checked too (`secrets.holdsNumbers`), read once per walk
function mapStrings<T>(value: T, fn: (s: string) => string, depth: number, maxDepth: number, numbers = secrets.holdsNumbers): T {
  if (typeof value === "string") return keepBase64(value, fn) as T
  if (typeof value === "number") return numbers ? (maskedNumber(value, fn) as T) : value
  if (value === null || typeof value !== "object") return value
  if (depth > maxDepth) return pastDepth(value, fn, numbers)
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown
      const r = mapStrings(v, fn, depth + 1, maxDepth, numbers)
      if (r !== v) (copy ??= value.slice())[i] = r
    }
    return (copy ?? value) as T
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value
  const src = value as Record<string, unknown>
  const keys = Object.keys(src)
  // keys are text that leaves too (a result's `{ "<the value>": … }`): scrubbed as well
  let values: unknown[] | undefined
  let names: string[] | undefined
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = src[k]
    // base64 data (a resource's blob) holding a value: its bytes redacted, still base64
    const r = typeof v === "string" && BASE64_KEYS.has(k) ? (secrets.redactBase64Data(v) ?? fn(v)) : mapStrings(v, fn, depth + 1, maxDepth, numbers)
    if (r !== v) (values ??= keys.map((key) => src[key]))[i] = r
    const key = fn(k)
    if (key !== k) (names ??= keys.slice())[i] = key
  }
  if (values === undefined && names === undefined) return value
  // a renamed key keeps its place: a new object in the same order; else a copy with the new values
  const copy: Record<string, unknown> = names === undefined ? { ...src } : {}
  for (let i = 0; i < keys.length; i++) {
    const v = values === undefined ? src[keys[i]!] : values[i]
    // two keys masked alike (`[REDACTED]`) both stay: the later one numbered, not written over the first
    if (names !== undefined) own(copy, freeKey(copy, names[i]!), v)
    else if (v !== src[keys[i]!]) own(copy, keys[i]!, v)
  }
  return copy as T
}

/**
 * A number is text that leaves too: a configured PIN or account number (`ACCOUNT_PIN=48213957`) a
 * server echoes as a JSON number (`{"pin": 48213957}`) went out as it was, only strings being
 * checked. Checked as `String(n)` when a registered value is so spelled (`secrets.holdsNumbers`),
 * and masked as the string `[REDACTED]` (a number cannot say it was masked). A number past 2^53
 * is parsed rounded, its `String(n)` no longer the value: it is matched as the double the value
 * parses to (`secrets.isRoundedValue`), since the rounded one tells it to within its last digit.
 */
function maskedNumber(n: number, fn: (s: string) => string): number | string {
  const s = String(n)
  return fn(s) === s && !secrets.isRoundedValue(n) ? n : REDACTED
}

/**
 * What lies below a walk's depth bound is text that leaves too: given back as it came, a value 40
 * levels down in a log's data, a definition's `_meta` or a result (the pool takes 10 000) reached the
 * client whole. So it is walked on, unbounded; only a value too deep for the stack to walk (the
 * walk throws RangeError) is masked whole, as it cannot be checked.
 */
function pastDepth<T>(value: T, fn: (s: string) => string, numbers: boolean): T {
  try {
    return mapStrings(value, fn, 0, Number.POSITIVE_INFINITY, numbers)
  } catch (err) {
    if (err instanceof RangeError) return REDACTED as T
    throw err
  }
}

/**
 * `fn(s)`, except that a string which is base64 data holding a registered value (an image's or
 * audio's `data`, bytes under any key) stays base64 with those bytes redacted: masked whole as
 * `[REDACTED]` it is no base64, and a client's SDK refuses the whole result for one such block
 * (SDK v1 `Base64Schema`). Decoded only when `fn` found something in it.
 */
function keepBase64(s: string, fn: (s: string) => string): string {
  const out = fn(s)
  return out === s ? out : (secrets.redactBase64Data(s) ?? out)
}

/** Sets `o[k] = v` as an own data property (also for a key `__proto__`). */
function own(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
}

const LIST_KEYS = new Set(["tools", "prompts", "resources", "resourceTemplates"])
/** Per definition object: its `redactValues` form, valid while the registry's generation holds. */
let itemMemo = new WeakMap<object, unknown>()
let itemMemoGeneration = -1

/**
 * A downstream's definitions (a list answer's tools, prompts, resources; an own tool's result that
 * carries them) with the registered values and token shapes replaced, not what text names
 * (`redactAssigned`): a description's example (`"api_key": "YOUR_KEY"`, `password: hunter2`) is
 * the server's own text, as its results are.
 */
function redactDefinitions<T>(value: T, depth: number): T {
  return mapStrings(value, definitionString, depth, 32)
}

/** A definition's string: a value folded across its line breaks (core/split-items), then the registered values and token shapes. */
function definitionString(s: string): string {
  return redactShapes(maskWrapped(s))
}

/** Whether a definition's JSON text may hold what `redactDefinitions` replaces: a value whole, or folded across a line break (`\n` in JSON). */
function mayHoldDefinitionSecret(json: string): boolean {
  return mayHoldShape(json) || (!secrets.empty && json.includes("\\n") && secrets.testHalves(json))
}

/**
 * `redactDefinitions` of a list answer (`{ tools: […] }` …) with each definition object scanned once
 * while the secret registry is unchanged: the proxy's surfaces hand out the same objects on every
 * list, so a 5 000-tool list is not stringified and walked again per `tools/list` (it was ~100 ms).
 * The objects are never mutated.
 */
export function redactListResult<T extends Record<string, unknown>>(result: T): T {
  if (itemMemoGeneration !== secrets.generation) {
    itemMemo = new WeakMap()
    itemMemoGeneration = secrets.generation
  }
  let copy: Record<string, unknown> | undefined
  for (const k of Object.keys(result)) {
    const v = result[k]
    const r = Array.isArray(v) && LIST_KEYS.has(k) ? redactItems(v) : redactDefinitions(v, 1)
    if (r !== v) (copy ??= { ...result })[k] = r
  }
  return (copy ?? result) as T
}

function redactItems(items: unknown[]): unknown[] {
  let copy: unknown[] | undefined
  for (let i = 0; i < items.length; i++) {
    const v = items[i]
    let r: unknown
    if (v === null || typeof v !== "object") r = redactDefinitions(v, 2)
    else if (itemMemo.has(v)) r = itemMemo.get(v)
    else {
      r = checkedText(v, 2)
      itemMemo.set(v, r)
    }
    if (r !== v) (copy ??= items.slice())[i] = r
  }
  return copy ?? items
}

/** `redactValuesChecked` at a depth (the walk's depth bound counts from the message's result, or from `value` at 0). */
function checkedAt(value: unknown, depth: number): unknown {
  let json: string
  try {
    json = JSON.stringify(value) ?? ""
  } catch {
    return redactDefinitions(value, depth)
  }
  return mayHoldDefinitionSecret(json) ? redactDefinitions(value, depth) : value
}

/** `redactDefinitions` checked on the item's memoised JSON text (core/list-json): the list answer is built from the same texts. */
function checkedText(value: object, depth: number): unknown {
  let json: string
  try {
    json = itemJson(value)
  } catch {
    return redactDefinitions(value, depth)
  }
  return mayHoldDefinitionSecret(json) ? redactDefinitions(value, depth) : value
}

/** Keys repeat (the same few fields in every log record): their `redactString` form (short keys), while the registry is unchanged. */
const cleanKeys = new Map<string, string>()
let cleanKeysGeneration = -1

function cleanKey(k: string): string {
  if (k.length > 256) return redactString(k)
  if (cleanKeysGeneration !== secrets.generation || cleanKeys.size >= 4096) {
    cleanKeys.clear()
    cleanKeysGeneration = secrets.generation
  }
  let c = cleanKeys.get(k)
  if (c === undefined) cleanKeys.set(k, (c = redactString(k)))
  return c
}

/** Deep copy with secret-looking keys masked and strings scrubbed (keys too). Cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, path: object[] = []): unknown {
  if (typeof value === "string") return redactString(value)
  if (typeof value === "number") return secrets.holdsNumbers ? maskedNumber(value, redactString) : value
  if (value === null || typeof value !== "object") return value
  if (depth > 12) return "[…]"
  if (path.includes(value)) return "[Circular]"
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message) }
  }
  path.push(value)
  let out: unknown
  if (Array.isArray(value)) out = value.map((v) => redact(v, depth + 1, path))
  else {
    const o: Record<string, unknown> = {}
    const src = value as Record<string, unknown>
    for (const k of Object.keys(src)) {
      const v = src[k]
      // a key goes out scrubbed as a value does (a downstream's error data or log notification
      // keyed by a configured value, a token, `token=…`): before, only of the configured values
      const key = freeKey(o, cleanKey(k))
      const copy = v !== undefined && v !== null && v !== "" && isSecretKey(k) ? REDACTED : redact(v, depth + 1, path)
      // an own `__proto__` key (JSON.parse makes one) stays a key: assigned, it set the copy's prototype and was lost
      if (key === "__proto__") Object.defineProperty(o, key, { value: copy, enumerable: true, writable: true, configurable: true })
      else o[key] = copy
    }
    out = o
  }
  path.pop()
  return out
}
