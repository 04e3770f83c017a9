/**
 * @module core/secrets
 * The one process-wide registry of secret VALUES the orchestrator holds (server env values, header
 * values, URL userinfo and secret query parameters, values after secret-looking flags in args and
 * credential-looking bare arguments, the HTTP token, OAuth tokens and client secrets). Every exit (logger, error mapping, own tool results,
 * notifications, status, doctor, metrics) scrubs text through `redactString` (core/redact), which
 * asks this registry: whatever was registered never leaves the process, whatever its shape.
 *
 * What is registered (documented in README "Redaction"):
 * - "strong" values — the key, header name, flag or query parameter says it is a secret, or it is
 *   URL userinfo, the HTTP token or a token handed in by code — when at least 4 characters long and
 *   not a trivial word (true/false/yes/no/on/off/null/none…) or a short number;
 * - "weak" values — any other env or header value — only when they look like a credential: 16+
 *   characters of token alphabet, letters and digits mixed, not a path, high character entropy;
 * - credentials written inline anywhere in env values, header values and args: `Bearer X`,
 *   `Basic X`, a header line `Authorization: X`, a JSON object's secret-named fields, a secret-named
 *   `NAME=VALUE` pair inside longer text (`…;Password=X;`, `password=X`, `--env=API_KEY=X`);
 * - names that describe a secret rather than hold one (AUTH_TYPE, TOKEN_FILE, SESSION_TIMEOUT…)
 *   are not secret names; names of capability URLs (`*WEBHOOK*`, `*HOOK_URL`) are, URL or not;
 * - path segments and query values of URLs (in env and header values, args, a server's url) that look like
 *   credentials (as "weak" values above): a capability URL's token segment.
 * Each value is also registered in its JSON-escaped and URL-encoded/decoded spellings, so text that
 * was serialised (JSON lines, URLs) is scrubbed too. JSON text that may spell a value some other way
 * (`\u` escapes, `\/`) is checked on its decoded strings (`testJson`), and so is JSON text carried
 * in a decoded string, its escapes read run by run (`redactEscaped`); a resource's base64
 * `blob` on its decoded bytes (`redactBase64Data`). Base64 written into a log line or an error text
 * is decoded and checked there (core/redact `redactAssigned`; a run under 16 characters looked up
 * among the values' whole encodings, `isShortBase64`); in a successful result only a `Basic`
 * credential is (`redactBasic`). A one-line value is also registered upper- and lower-cased and
 * escaped character by character (`%68%75…`, `&#104;…`, `&#x68;…`), and (8+ characters) as hex and
 * base64 (`encodedSpellings`: a match masked with the run it stands in). A value split across
 * strings read one after the other (items of a result, `structuredContent` strings, in parts of 6+
 * characters) is found by core/split-items (`testHalves`, `seamMatches`); one split across other
 * strings is not recognised; what plugin code sends back is also scrubbed of a value re-encoded
 * (case, reversed, hex, base64: core/secret-encodings, applied by sandbox/received).
 *
 * A spelling shorter than `WHOLE_TOKEN_BELOW` characters is matched as a whole token (no letter or
 * digit right before or after it, an escape's last letter aside); longer ones anywhere. The byte
 * scans (`testChunks`, `redactBytes`) match anywhere: a yes there only costs the slower path.
 *
 * Values are grouped by owner (`config`, `http`, `oauth:<server>`…): a group is replaced as a whole
 * when its owner changes (config reload, token refresh). Matching uses one compiled regex of the
 * escaped values, longest first, rebuilt lazily after a change.
 */
import { LiteralScan } from "./literal-scan.ts"

export const REDACTED = "[REDACTED]"

/** A value written as JSON writes a number (no leading zero, no sign of its own: what `String(n)` gives). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]\d+)?$/

/** Names (env keys, header names, flags, query parameters) whose values are secrets. */
const SECRET_NAME =
  /(token|secret|passw(or)?d|passwd|^pass$|[-_.]pass$|^pass[-_]|pwd|^pw$|[-_.]pw$|passcode|^creds?$|[-_.]creds?$|passphrase|authori[sz]ation|auth(?!or)|api[-_]?key|apikey|private[-_]?key|access[-_]?key|client[-_]?key|credential|cookie|session|signature|^sig$|^key$|[-_.]key$|^dsn$|_dsn$|conn(ection)?[-_]?str|bearer|jwt|^pat$|[-_]pat$|^salt$|[-_.]salt$|pepper)/i

/**
 * Well-known credential shapes (a provider's token prefix, a PEM private key): registered as strong
 * wherever they appear in config, and masked wherever they appear in text that leaves (core/redact),
 * configured or not — a Toolkit secret the gateway prints, a remote server's error page, a
 * downstream's own settings in its stderr. Each specific enough (prefix, alphabet, length) not to
 * match prose or an identifier.
 */
export const TOKEN_SHAPES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{12,}/, // OpenAI, Anthropic (sk-ant-), OpenRouter (sk-or-)
  /\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}/, // GitHub
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS access key id
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWT
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/, // Stripe secret and restricted keys
  /\bgl(?:pat|dt|rt|ptt|ft)-[A-Za-z0-9_-]{20,}/, // GitLab
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm
  /\bAIza[0-9A-Za-z_-]{35}/, // Google API key
  /\bhf_[A-Za-z0-9]{30,}/, // Hugging Face
  /\b(?:ntn_[A-Za-z0-9]{40,}|secret_[A-Za-z0-9]{43}\b)/, // Notion
  /\blin_(?:api|oauth)_[A-Za-z0-9]{32,}/, // Linear
  /\bgsk_[A-Za-z0-9]{40,}/, // Groq
  /\bpplx-[A-Za-z0-9]{32,}/, // Perplexity
  /\btvly-[A-Za-z0-9-]{20,}/, // Tavily
  /\bsbp_[a-f0-9]{40}\b/, // Supabase
  /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/, // Shopify
  /\bdo[por]_v1_[a-f0-9]{64}\b/, // DigitalOcean
  /\bfigd_[A-Za-z0-9_-]{32,}/, // Figma
  /\bsntr[ysu]s?_[A-Za-z0-9+/=_-]{40,}/, // Sentry
  /\bATATT[A-Za-z0-9_=-]{20,}/, // Atlassian API token
  // a PEM private key (RSA, EC, OPENSSH, PKCS#8, encrypted, PGP…) with its body (not a description
  // naming the armour): to its END line, or to the end of a text cut before it
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?=(?:(?!-----END)[\s\S]){0,200}?[A-Za-z0-9+/]{16})[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/,
]

/** One cheap test before the shapes: a text holding none of their openings holds none of them. */
export const TOKEN_SHAPE_HINT = /sk-|[sr]k_|gh[pousr]_|github_pat_|AKIA|ASIA|eyJ|xox[abposr]-|gl(?:pat|dt|rt|ptt|ft)-|npm_|AIza|hf_|ntn_|secret_|lin_|gsk_|pplx-|tvly-|sbp_|shp|do[por]_v1_|figd_|sntr|ATATT|PRIVATE KEY/

/** A whole value of one of the shapes. */
const TOKEN_SHAPE = new RegExp(`^(?:${TOKEN_SHAPES.map((r) => r.source).join("|")})$`)

const TRIVIAL = new Set(["true", "false", "yes", "no", "on", "off", "null", "nil", "none", "undefined", "enabled", "disabled", "default", "empty"])

/**
 * Published default credentials (a docker-compose `POSTGRES_PASSWORD: postgres`, `admin`, `root`):
 * not registered. Masking one rewrote every word it is in — tool names (`postgres__query` became
 * `[REDACTED]__query`, uncallable as listed), property keys (`admin`), descriptions — and hid
 * nothing: whoever knows the software knows the value. docs/proxy.md *Redaction*.
 */
const WELL_KNOWN_DEFAULTS = new Set(["admin", "administrator", "root", "password", "passwd", "pass", "secret", "changeme", "letmein", "guest", "user", "test", "demo", "example", "postgres", "mysql", "mariadb", "redis", "mongo", "mongodb", "rabbitmq", "minio", "minioadmin", "elastic", "neo4j", "sa", "oracle"])

const MIN_STRONG = 4
const MIN_WEAK = 16

/**
 * Names that describe a secret rather than hold one (AUTH_TYPE=bearer, TOKEN_FILE=/run/x,
 * SESSION_TIMEOUT=30m): their values are ordinary words and paths that must not be shredded
 * out of every log line.
 */
const DESCRIPTOR =
  /[-_.]?(type|mode|provider|method|url|uri|endpoint|host|port|timeout|ttl|expiry|expires|file|path|dir|name|enabled|disabled|header|scheme|scopes?|issuer|audience|region|format|version|level|strategy|kind|length|size|count|algorithm|algo|samesite|secure|httponly|store|storage|backend|engine|prefix|suffix|limit|budget|tokenizers?|encoding|charset|minutes|seconds|hours|days|interval|threshold)$/i

/**
 * Settings whose name holds a secret word without naming a credential (qa70): a count of LLM tokens
 * (`MAX_TOKENS=128000`, `OPENAI_MAX_OUTPUT_TOKENS`, `TOKENS_PER_MINUTE`) and a key that is a field,
 * a column or a keystroke (`SORT_KEY=name`, `PARTITION_KEY=tenant`, `SHORTCUT_KEY=ctrl+k`). Their
 * values are ordinary words and numbers: registered, they were masked in every answer of every
 * server (`SORT_KEY=name` made each tool's `name` property `[REDACTED]`).
 */
const SETTING_NAME =
  /(^|[-_.])(max|min)[-_.](\w+[-_.])?tokens$|(^|[-_.])tokens[-_.]per[-_.]\w+$|(^|[-_.])(sort|partition|primary|foreign|cache|group|order|lookup|shortcut|hot|hash|range|row|column|field|index|routing|dedup|idempotency)[-_.]?key$/i

/** `SETTING_NAME`'s token counts in camel case (`maxTokens`, `openaiMaxOutputTokens`, `tokensPerMinute`). */
const CAMEL_TOKEN_COUNT = /^(?:max|min)(?:[A-Z]\w*)?Tokens$|[a-z0-9](?:Max|Min)(?:[A-Z]\w*)?Tokens$|^tokensPer[A-Z]\w*$/

/** Names of capability URLs: the whole value is the credential, `_URL` suffix or not (SLACK_WEBHOOK_URL). */
const CAPABILITY_URL_NAME = /web[-_]?hook|hook[-_]?url/i

/**
 * Words that name a credential wherever they stand in a name: they win over a setting's suffix
 * (`SECRET_HASH_KEY`, `AUTH_CACHE_KEY`, `API_KEY_ROUTING_KEY` hold secrets; before qa222 the
 * `_HASH_KEY`/`_PRIMARY_KEY`/`_ROUTING_KEY` suffix made them settings, and a value without digits,
 * `mysupersecrethashkey`, was shown). `token` counts only as a word of its own (`MAX_TOKENS` is a
 * count). A descriptor's suffix still wins (`SECRET_NAME`, `TOKEN_URL`, `PRIVATE_KEY_PATH` name or
 * locate a secret: their values are names, URLs, paths).
 */
const CREDENTIAL_WORD =
  /secret|token(?![sS])|passw(or)?d|passwd|pwd|passphrase|credential|private|auth(?!or)|cookie|session|api[-_]?key|apikey|access[-_]?key|bearer|jwt|encryption|signing|hmac/i

/**
 * A setting whose name merely holds a secret word (`SORT_KEY`, `MAX_TOKENS`, `maxTokens`): its value
 * is no secret — unless the rest of the name names a credential (`SECRET_HASH_KEY`: `CREDENTIAL_WORD`).
 */
export function isSettingName(name: string): boolean {
  const setting = SETTING_NAME.exec(name)
  if (setting !== null) return !CREDENTIAL_WORD.test(name.slice(0, setting.index))
  const camel = CAMEL_TOKEN_COUNT.exec(name)
  return camel !== null && !CREDENTIAL_WORD.test(name.slice(0, camel.index + 1).replace(/(?:Max|Min)$/, ""))
}

/**
 * Names of a secret that `SECRET_NAME`'s words miss (qa228): a PIN (`PIN`, `DB_PIN`, `SIM_PIN_CODE`,
 * `pinCode`), a wallet's recovery words (`MNEMONIC`, `SEED_PHRASE`, `RECOVERY_PHRASE`) and a
 * one-time-password seed (`TOTP_SEED`, `MFA_SEED`). A pin that numbers a wire or fixes a version
 * (`GPIO_PIN`, `LED_PIN`, `VERSION_PIN`, a certificate's `CERT_PIN`) is no secret (`NOT_SECRET_PIN`).
 */
const SECRET_WORD_NAME = /(?:^|[-_.])pin(?:[-_.]?code)?$|mnemonic|(?:seed|recovery)[-_.]?phrase|(?:otp|mfa|2fa)[-_.]?seed$|[a-z0-9](?:Pin(?:Code)?|Mnemonic|SeedPhrase|RecoveryPhrase)$|[a-z0-9](?:Otp|Mfa|2fa)Seed$/
const NOT_SECRET_PIN = /(?:gpio|led|reset|irq|io|data|clock|clk|cs|power|version|cert|certificate|ssl|tls|spki|hpkp|public[-_.]?key)[-_.]?pin$/i

export function isSecretName(name: string): boolean {
  if ((SECRET_NAME.test(name) && !DESCRIPTOR.test(name) && !isSettingName(name)) || CAPABILITY_URL_NAME.test(name)) return true
  // snake, kebab and dotted names in any case; camel case (`simPin`) by its capital only (`spin` is no pin)
  return (SECRET_WORD_NAME.test(name) || SECRET_WORD_NAME.test(name.toLowerCase())) && !NOT_SECRET_PIN.test(name) && !DESCRIPTOR.test(name)
}

/** A value that a secret-named key holds is worth registering (not "true", not "8080"). */
export function admitStrong(v: string): boolean {
  const t = v.trim()
  if (t.length < MIN_STRONG) return false
  if (TRIVIAL.has(t.toLowerCase()) || WELL_KNOWN_DEFAULTS.has(t.toLowerCase())) return false
  if (/^\d{1,5}$/.test(t)) return false
  // a value masked already (a parser plugin's config, read from redacted text) hides nothing more
  if (t.includes(REDACTED)) return false
  return true
}

/**
 * A value under a secret name that is too short to mask safely (`PIN=1234`, `API_KEY=ab1`): under
 * MIN_STRONG characters, or a number of up to 5 digits. It is not registered — masked, it would
 * blank every such word or number in every answer and log line — so it is not redacted either: the
 * config load says so (config/short-secrets). Trivial words (`none`, `true`) and empty values say
 * there is no secret, and published defaults are known to all: no warning for those.
 */
export function tooShortToMask(v: string): boolean {
  const t = v.trim()
  return t.length > 0 && (t.length < MIN_STRONG || /^\d{1,5}$/.test(t)) && !TRIVIAL.has(t.toLowerCase()) && !WELL_KNOWN_DEFAULTS.has(t.toLowerCase())
}

/**
 * Where the collectors below report a value under a secret name that `admitStrong` turned away as
 * too short to mask (`tooShortToMask`): set only while `shortNamedSecrets` runs them. So each place
 * a value is registered by its name (an env key, a header, a `--token` flag, a URL's password or
 * `?api_key=`, a Toolkit setting) can say it is NOT masked, from the same reading that registers:
 * before, only env and header values were warned about, and `--api-key ab1`, `https://u:pw1@…`,
 * `?api_key=k12` or a Toolkit `token: ab1` reached answers and logs with nothing said.
 */
let shortSink: ((v: string) => void) | undefined

/** `admitStrong` for a value a secret name holds: one turned away as too short goes to `shortSink`. */
function admitNamed(v: string): boolean {
  if (admitStrong(v)) return true
  if (shortSink !== undefined && tooShortToMask(v)) shortSink(v.trim())
  return false
}

/** How too-short values are told in a warning: their lengths, never the values. */
export function describeShort(values: readonly string[]): string {
  return values.map((v) => (/^\d+$/.test(v) ? `a number of ${v.length} digit${v.length === 1 ? "" : "s"}` : `${v.length} characters`)).join(", ")
}

/** The values under a secret name that `collect` (a run of the collectors) found too short to mask. */
export function shortNamedSecrets(collect: () => void): string[] {
  const found = new Set<string>()
  const outer = shortSink
  shortSink = (v) => void found.add(v)
  try {
    collect()
  } finally {
    shortSink = outer
  }
  return [...found]
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>()
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) {
    const p = n / s.length
    h -= p * Math.log2(p)
  }
  return h
}

/**
 * Bits per character a credential-looking value needs. 3.3 for a large alphabet (base62, base64:
 * a random 16 characters are nearly all distinct, ~3.9 bits). Hex has 16 symbols, and a short
 * sample of it repeats many: a fixed 3.3 judged 63 % of random 16-hex-digit keys, 34 % of 20-digit
 * and 4 % of `Sg3` + 20 (a prefix and hex) no credential, so whether a key was masked depended on
 * its draw. A value of 16+ hex digits (at most 6 other characters: a prefix) needs 2.6 (misses
 * about 0.4 % of 16 random digits, 0.02 % of 20); patterns stay out (`deadbeefdeadbeef` 2.2,
 * `abcabcabcabc1234` 2.5). The cost: an identifier of 16+ hex digits under an ordinary name (a
 * commit SHA, a UUID, an object id in a URL) is masked, as most already were at 3.3.
 */
const MIN_BITS = 3.3
const MIN_BITS_HEX = 2.6

/** A value under an ordinary name that still looks like a credential. */
export function looksLikeSecret(v: string): boolean {
  const t = v.trim()
  if (TOKEN_SHAPE.test(t)) return true
  if (t.length < MIN_WEAK || t.length > 4096) return false
  if (!/^[A-Za-z0-9+/=_.~:-]+$/.test(t)) return false
  if (/^[/~.]/.test(t) || t.includes("://")) return false
  if (!/[0-9]/.test(t) || !/[A-Za-z]/.test(t)) return false
  const other = t.length - (t.match(/[0-9a-fA-F]/g)?.length ?? 0)
  return entropy(t) >= (other <= 6 && t.length - other >= MIN_WEAK ? MIN_BITS_HEX : MIN_BITS)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
}

/**
 * The values one configured value stands for: itself and, for a multi-line secret (a PEM private
 * key, a service-account key in an env value), the same with its `\\n` escapes written as line
 * breaks (what a server reading `GOOGLE_PRIVATE_KEY` makes of it, and prints) and each of its
 * lines that looks like a credential (a key's base64 lines, not its `-----BEGIN …-----` armour nor
 * a JSON document's `"type": "service_account",`): an error quoting one line of the key is caught too.
 */
function variants(v: string): string[] {
  const out = [v]
  // a value configured inside its own quotes (`'sk-…'` copied from a shell export): the child gets
  // the quotes, and what it prints (an API's "invalid key", a parser that strips them) may not hold them
  const quoted = /^\s*(["'`])([^]*)\1\s*$/.exec(v)
  if (quoted && admitStrong(quoted[2]!)) out.push(quoted[2]!.trim())
  const broken = v.includes("\\n") ? v.replace(/\\r\\n|\\n/g, "\n") : v
  if (broken !== v) out.push(broken, broken.replaceAll("\n", "\r\n"))
  if (!broken.includes("\n")) return out
  // inside PEM armour every body line is the key's, whatever it looks like (a base64 line may start
  // with `/`, which reads as a path to looksLikeSecret: one key in four had such a line leak)
  let armoured = false
  for (const line of broken.split(/\r?\n/)) {
    const t = line.trim()
    if (t.startsWith("-----BEGIN ")) armoured = true
    else if (t.startsWith("-----END ")) armoured = false
    else if (t !== v && ((armoured && PEM_BODY_LINE.test(t)) || looksLikeSecret(t))) out.push(t)
  }
  return out
}

/** A line of a PEM block's body: base64, long enough to name the key (its last line may be short). */
const PEM_BODY_LINE = /^[A-Za-z0-9+/]{12,}={0,2}$/

/**
 * The text one value may be held as before any escaping: as it is, trimmed, and URL-decoded (a
 * value configured percent-encoded). What code holding it may re-encode (core/secret-encodings) —
 * whatever characters it has: a password with a `\`, a `%3F` or an `&amp;` in it is such a text too.
 */
function plainForms(v: string): Set<string> {
  const bases = new Set([v])
  const t = v.trim()
  if (t.length >= MIN_STRONG) bases.add(t)
  // a value configured already percent-encoded: what it decodes to, spelled by every encoder too
  for (const s of [...bases]) {
    try {
      const dec = decodeURIComponent(s)
      if (dec !== s && dec.length >= MIN_STRONG) bases.add(dec)
    } catch {
      // not percent-encoded
    }
  }
  return bases
}

/**
 * The spellings of one value as it may appear in outgoing text: as it is, trimmed, URL-decoded (a
 * value configured percent-encoded), each of those URL-encoded as the common encoders write it
 * (`URL_KEEP`; upper- or lowercase hex, `%20` or `+` for a space), those encoded once more (a URL
 * nested in another URL's parameter: `%25` for `%`) and HTML-escaped (an error page),
 * and each of those JSON-escaped the way `JSON.stringify` writes it (`\"`, `\\`, `\n`, `\t`, `\r`,
 * `\b`, `\f`, `\u00XX` for other control characters), once and twice (JSON quoted inside a JSON
 * string). JSON text that holds no `\u` and no `\/` escape spells every string it holds exactly
 * that way, so a raw scan of it finds every registered value it decodes to (`hasOpaqueEscape`);
 * other JSON text is decided on its decoded strings (`testJson`).
 */
function spellings(v: string, respell: boolean): string[] {
  // upper- and lower-cased too: a downstream that changes the case of what it prints (`HUNTER22`);
  // a mix of cases is not (`Password1` the model writes stays with `password1` configured)
  // (`respell`: a configured value itself, up to RESPELL_MAX characters, not a multi-line value's lines:
  // a hundred PEM keys' lines so respelled made every scan three times slower)
  const bases = new Set([...plainForms(v)].flatMap((s) => (respell && s.length <= RESPELL_MAX ? [s, s.toUpperCase(), s.toLowerCase()] : [s])))
  const forms = new Set(bases)
  for (const s of bases) {
    for (const keep of URL_KEEP) {
      const enc = percentEncode(s, keep)
      if (enc === s) continue
      forms.add(enc)
      // lowercase hex (`%2f`), and `+` for a space (a form body, Python's quote_plus, Go's QueryEscape)
      forms.add(enc.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))
      forms.add(enc.replaceAll("%20", "+"))
      forms.add(enc.replaceAll("%20", "+").replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))
    }
    // an HTML page quoting it (a remote server's or a proxy's error page: `&amp;`, `&#39;` or `&#x27;`, quotes kept)
    if (/[&<>"']/.test(s)) for (const quotes of HTML_QUOTES) forms.add(escapeHtml(s, quotes))
  }
  // a URL holding it percent-encoded, put in another URL's parameter (a redirect's `return_to`,
  // `next`, `redirect_uri`; a login page's link back): encoded twice, each `%` as `%25`, `+` as `%2B`
  for (const f of [...forms]) if (f.includes("%")) forms.add(f.replaceAll("%", "%25").replaceAll("+", "%2B"))
  // every character escaped (an encoder that escapes all of it: `%68%75…` or `%6a…`, `&#104;&#117;…`, `&#x68;…`)
  for (const s of plainForms(v)) {
    if (!respell || s.length > RESPELL_MAX) continue
    const pct = everyChar(s, PERCENT)
    forms.add(pct).add(pct.toLowerCase()).add(everyChar(s, HTML_DEC)).add(everyChar(s, HTML_HEX))
  }
  const out = new Set(forms)
  for (const s of forms) {
    const json = JSON.stringify(s).slice(1, -1)
    if (json === s) continue
    out.add(json)
    // JSON inside a JSON string (an error quoting a request body): escaped twice
    out.add(JSON.stringify(json).slice(1, -1))
  }
  // its bytes as hex and base64 (qa228): a server printing a hex dump or an encoded header of what
  // it sends (`x-api-key: <base64>`) in a successful result, a list, a log notification — every exit,
  // not only error text (which decodes base64 runs itself); none of these is JSON- or URL-escaped
  if (respell) for (const s of plainForms(v)) for (const [form] of encodedSpellings(s)) out.add(form)
  return [...out]
}

const HEX_CHAR = /[0-9A-Fa-f]/
const BASE64_CHAR = /[A-Za-z0-9+/]/
const BASE64URL_CHAR = /[A-Za-z0-9_-]/

/**
 * A plain value's hex (either case) and base64 spellings (`base64Forms`), each with the alphabet of
 * the run it stands in (what `SecretRegistry.redact` masks with it). None for a value under
 * MIN_ENCODED or over RESPELL_MAX characters.
 */
function encodedSpellings(s: string): Array<[string, RegExp]> {
  if (s.length < MIN_ENCODED || s.length > RESPELL_MAX) return []
  const bytes = Buffer.from(s, "utf8")
  const hex = bytes.toString("hex")
  const out: Array<[string, RegExp]> = [[hex, HEX_CHAR], [hex.toUpperCase(), HEX_CHAR]]
  for (const b of base64Forms(bytes)) out.push([b, /[-_]/.test(b) ? BASE64URL_CHAR : BASE64_CHAR])
  return out
}

/** Shortest value also registered as hex and base64: a shorter one's encodings would match unrelated text. */
export const MIN_ENCODED = 8

/**
 * The base64 and base64url of `bytes`, padded and not, alone and as the part that they decide inside
 * a longer encoded text (at each of the three byte alignments they may start at: the characters
 * that depend on the bytes before or after are left off).
 */
export function base64Forms(bytes: Buffer): string[] {
  const whole = bytes.toString("base64")
  const out = [whole, whole.replace(/=+$/, "")]
  for (let at = 0; at < 3; at++) {
    const enc = Buffer.concat([Buffer.alloc(at), bytes]).toString("base64")
    out.push(enc.slice(Math.ceil((8 * at) / 6), Math.floor((8 * (at + bytes.length)) / 6)))
  }
  return [...new Set(out.flatMap((b) => [b, b.replaceAll("+", "-").replaceAll("/", "_")]))]
}

/** Longest value also registered in other cases and escaped character by character. */
const RESPELL_MAX = 1024

/** Characters of a piece of a value (core/split-items): a value of 12+ characters is cut into pieces of 6 to 11. */
const PIECE = 6

/** Whether one of `seams` (ascending) lies strictly inside [start, end). */
function crossesSeam(seams: readonly number[], start: number, end: number): boolean {
  let lo = 0
  let hi = seams.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (seams[mid]! <= start) lo = mid + 1
    else hi = mid
  }
  return lo < seams.length && seams[lo]! < end
}

/**
 * A value's pieces for the split scans: its halves when under 2 × PIECE characters, else its
 * consecutive pieces of PIECE characters (the last one taking the rest). A value cut into no more
 * parts than it has pieces keeps a piece whole in one part.
 */
function valuePieces(v: string): string[] {
  if (v.length < 2 * PIECE) return [v.slice(0, Math.ceil(v.length / 2)), v.slice(Math.floor(v.length / 2))]
  const out: string[] = []
  const n = Math.floor(v.length / PIECE)
  for (let i = 0; i < n; i++) out.push(v.slice(i * PIECE, i === n - 1 ? v.length : (i + 1) * PIECE))
  return out
}

const PERCENT = (c: string): string => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("")
const HTML_DEC = (c: string): string => `&#${c.codePointAt(0)};`
const HTML_HEX = (c: string): string => `&#x${c.codePointAt(0)!.toString(16)};`

/** `s` with each of its characters written by `enc`. */
function everyChar(s: string, enc: (c: string) => string): string {
  let out = ""
  for (const c of s) out += enc(c)
  return out
}

/**
 * What each common URL encoder leaves unencoded besides ASCII letters and digits: JavaScript's
 * encodeURIComponent; RFC 3986's unreserved (Python's quote with safe='', Go, curl, Rust); Python's
 * quote with its default safe '/'; a form body (URLSearchParams, Java's URLEncoder; its space is a
 * `+`, see above); JavaScript's encodeURI (a whole URL). A value holding `!`, `'`, `(`, `/` or `~`
 * is spelled differently by each, and a server quoting a request it made (an OAuth token request's
 * form body, a URL in an error) uses its language's.
 */
const URL_KEEP: readonly string[] = ["-_.!~*'()", "-_.~", "-_.~/", "-_.*", "-_.!~*'();,/?:@&=+$#"]

function percentEncode(s: string, keep: string): string {
  let out = ""
  for (const ch of s) {
    if (/^[A-Za-z0-9]$/.test(ch) || keep.includes(ch)) out += ch
    else for (const b of Buffer.from(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return out
}

/** How HTML escapers write `"` and `'` (or leave them, in text outside an attribute). */
const HTML_QUOTES: ReadonlyArray<readonly [string, string]> = [
  ["&quot;", "&#39;"],
  ["&quot;", "&#x27;"],
  ["&#34;", "&#39;"],
  ['"', "'"],
]

function escapeHtml(s: string, [dq, sq]: readonly [string, string]): string {
  return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? dq : sq))
}

/**
 * Keys whose string values are base64 data decoded and checked: resource contents' `blob`
 * (resources/read, an embedded resource). An image's or audio's `data` is not: the model gets
 * pixels and sound, not those bytes as text.
 */
export const BASE64_KEYS: ReadonlySet<string> = new Set(["blob"])
/** A `blob` key in JSON text: resource contents whose decoded bytes are checked. */
const BLOB_KEY = '"blob"'
const BLOB_KEY_BYTES = Buffer.from(BLOB_KEY)

/**
 * A `Basic` authorization credential: base64 of `user:password`. A server that signs in with a
 * configured key this way (Jira, Confluence: `email:api_token`) and prints its request (an HTTP
 * client's error, serialised with its config, returned as a successful result) shows the key only
 * so encoded.
 */
const BASIC_CREDENTIAL = /\b([Bb]asic)(\s+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/g
const BASIC_HINT = /[Bb]asic\s/
const BASIC_BYTES = [Buffer.from("Basic "), Buffer.from("basic ")]

/** Whether UTF-8 bytes held as `chunks` contain `needle` (in a chunk or across a seam). */
function chunksInclude(chunks: readonly Uint8Array[], needle: Buffer): boolean {
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!
    const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength)
    if (buf.indexOf(needle) >= 0) return true
    const next = chunks[i + 1]
    if (next === undefined) continue
    const seam = Buffer.concat([buf.subarray(Math.max(0, buf.length - needle.length + 1)), Buffer.from(next.buffer, next.byteOffset, Math.min(next.byteLength, needle.length - 1))])
    if (seam.indexOf(needle) >= 0) return true
  }
  return false
}

/** A whole string of base64 (either alphabet, padded or not). */
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/

/** A run of JSON string text holding escapes (no whitespace, no unescaped quote): `redactEscaped`. */
const ESCAPED_RUN = /(?:\\u[0-9a-fA-F]{4}|\\[/bfnrt"\\]|[^\s"\\])+/g

const BACKSLASH = 0x5c
const U = 0x75
const SLASH = 0x2f
/** The two opaque escapes' openings, searched for as they are (a backslash alone is common: `\"`, `\n`). */
const OPAQUE = ["\\u", "\\/"] as const
const OPAQUE_BYTES = OPAQUE.map((p) => Buffer.from(p))

/**
 * Whether JSON text holds an escape a scan for the registered spellings cannot see through: `\uXXXX`
 * (any character, `\u0051` for `Q` or `\u0022` for a quote) or `\/`. The other escapes (`\"`,
 * `\\`, `\b`, `\f`, `\n`, `\r`, `\t`) are the only short spelling of their character and the
 * ones `JSON.stringify` writes, so the registered JSON-escaped spelling matches them. An escaped
 * backslash (`\\u…`) is no escape of the `u`. False positives (text that is no JSON) only cost a parse.
 */
export function hasOpaqueEscape(text: string): boolean {
  for (const p of OPAQUE) {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) {
      // an escape when the backslashes right before it pair up among themselves
      let n = 0
      for (let j = i - 1; j >= 0 && text.charCodeAt(j) === BACKSLASH; j--) n++
      if (n % 2 === 0) return true
    }
  }
  return false
}

/** An escape a decoded string still shows (JSON text carried in a string), as raw JSON writes it: `\\u0067`, `\\/`. */
const ESCAPE_TEXT = /\\\\(?:u[0-9a-fA-F]{4}|\/)/
const ESCAPE_TEXT_BYTES = [Buffer.from("\\\\u"), Buffer.from("\\\\/")]

/**
 * Whether JSON text may spell a value past a scan for the registered spellings, at any level: an
 * opaque escape (`hasOpaqueEscape`), or one written as text inside a string (JSON text a tool
 * returns as its text, `{"k":"\u0067hp_…"}`; PHP's `\/` in it), which its decoded string
 * still shows, as the model reads it (`SecretRegistry.redactEscaped`). A false positive (a Windows
 * path `C:\u1234`) only costs a parse.
 */
export function hasEscapeSpelling(text: string): boolean {
  return hasOpaqueEscape(text) || ESCAPE_TEXT.test(text)
}

/** `hasEscapeSpelling` of UTF-8 bytes held as `chunks`: joined only when a byte search finds a candidate. */
export function chunksHaveEscapeSpelling(chunks: readonly Uint8Array[]): boolean {
  if (chunksHaveOpaqueEscape(chunks)) return true
  return ESCAPE_TEXT_BYTES.some((b) => chunksInclude(chunks, b)) && ESCAPE_TEXT.test(Buffer.concat(chunks).toString("utf8"))
}

/** `hasOpaqueEscape` of UTF-8 bytes held as `chunks`, without joining them: an escape may straddle a seam. */
export function chunksHaveOpaqueEscape(chunks: readonly Uint8Array[]): boolean {
  // 0x5c, 0x75 and 0x2f are never part of a multi-byte UTF-8 sequence: a byte search is a character search
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!
    if (chunk.byteLength === 0) continue
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    for (const p of OPAQUE_BYTES) {
      for (let i = buf.indexOf(p); i >= 0; i = buf.indexOf(p, i + 1)) if (evenBackslashesBefore(chunks, c, i)) return true
    }
    // across the seam: this chunk ends on a backslash, the next non-empty one starts with u or /
    if (buf[buf.length - 1] === BACKSLASH) {
      let d = c + 1
      while (d < chunks.length && chunks[d]!.byteLength === 0) d++
      const next = d < chunks.length ? chunks[d]![0] : undefined
      if ((next === U || next === SLASH) && evenBackslashesBefore(chunks, c, buf.length - 1)) return true
    }
  }
  return false
}

/** Whether the run of backslashes right before byte `i` of `chunks[c]` (reaching into earlier chunks) is even. */
function evenBackslashesBefore(chunks: readonly Uint8Array[], c: number, i: number): boolean {
  let n = 0
  for (let k = c, j = i - 1; k >= 0; ) {
    const chunk = chunks[k]!
    while (j >= 0 && chunk[j] === BACKSLASH) {
      n++
      j--
    }
    if (j >= 0) break
    if (--k >= 0) j = chunks[k]!.byteLength - 1
  }
  return n % 2 === 0
}

export class SecretRegistry {
  private readonly groups = new Map<string, Set<string>>()
  /** Per group: its values as held before any escaping (`plainForms`), a subset of its spellings. */
  private readonly plains = new Map<string, Set<string>>()
  /** undefined: rebuild needed; null: nothing registered. */
  private re: RegExp[] | null | undefined = null
  private shortest = Infinity
  private encoded: { generation: number; values: Buffer[]; longest: number } | undefined
  /** Bumped on every change of the registered values (memoized redactions are stale then). */
  generation = 0

  /** Per rotating group (`rotate`): its current values and the retired ones still kept, newest first. */
  private readonly rotations = new Map<string, { current: string[]; retired: string[] }>()

  /**
   * Replaces the values of `group` with `values` (admitted as `add` does), keeping the last `keep`
   * values it held before that are no longer among them: a credential that rotates (an OAuth token
   * a refresh replaces) stays masked while a request sent with it may still be answered, and a long
   * run does not keep every token it ever refreshed (the group grew without bound).
   */
  rotate(group: string, values: Iterable<string | undefined>, keep: number): void {
    const now = [...new Set([...values].filter((v): v is string => typeof v === "string" && admitStrong(v)))]
    const was = this.rotations.get(group)
    const retired = [...new Set([...(was?.current ?? []), ...(was?.retired ?? [])])].filter((v) => !now.includes(v)).slice(0, Math.max(0, keep))
    this.replace(group, [...now, ...retired])
    this.rotations.set(group, { current: now, retired })
  }

  /** Replaces the values of `group` (already admitted: use the collectors below). */
  set(group: string, values: Iterable<string>): void {
    this.rotations.delete(group)
    this.replace(group, values)
  }

  private replace(group: string, values: Iterable<string>): void {
    const set = new Set<string>()
    const plain = new Set<string>()
    for (const v of values) for (const x of variants(v)) addForms(x, set, plain, respelled(x, v))
    // the same values again (a config loaded again from unchanged files): memoised redactions stay valid
    if (sameSet(this.groups.get(group), set) && sameSet(this.plains.get(group), plain)) return
    if (set.size) this.groups.set(group, set)
    else this.groups.delete(group)
    if (plain.size) this.plains.set(group, plain)
    else this.plains.delete(group)
    this.re = undefined
    this.generation++
  }

  /** Adds one value to `group` (strong: the caller knows it is a secret). Returns whether it was taken. */
  add(group: string, value: string | undefined): boolean {
    if (!value || !admitStrong(value)) return false
    let set = this.groups.get(group)
    if (!set) this.groups.set(group, (set = new Set()))
    let plain = this.plains.get(group)
    if (!plain) this.plains.set(group, (plain = new Set()))
    for (const x of variants(value)) addForms(x, set, plain, respelled(x, value))
    this.re = undefined
    this.generation++
    return true
  }

  /**
   * The registered values as they are now, and a function that puts them back (every group added,
   * changed or deleted since as it was). The registry is one per process: a test file's values,
   * its own or what the code it drives registered (a remote server's headers), stayed for the files
   * after it, masking or holding their text (test/helpers/secrets.ts).
   */
  snapshot(): () => void {
    const copy = <T>(m: Map<string, T>, dup: (v: T) => T): Map<string, T> => new Map([...m].map(([k, v]) => [k, dup(v)]))
    const groups = copy(this.groups, (v) => new Set(v))
    const plains = copy(this.plains, (v) => new Set(v))
    const rotations = copy(this.rotations, (v) => ({ current: [...v.current], retired: [...v.retired] }))
    return () => {
      for (const [to, from] of [
        [this.groups, groups],
        [this.plains, plains],
      ] as const) {
        to.clear()
        for (const [k, v] of from) to.set(k, new Set(v))
      }
      this.rotations.clear()
      for (const [k, v] of rotations) this.rotations.set(k, { current: [...v.current], retired: [...v.retired] })
      this.re = undefined
      this.generation++
    }
  }

  delete(group: string): void {
    this.rotations.delete(group)
    this.plains.delete(group)
    if (this.groups.delete(group)) {
      this.re = undefined
      this.generation++
    }
  }

  private numbers: { generation: number; any: boolean } | undefined
  /**
   * Whether a registered value is spelled as a JSON number is (a PIN, an account or card number):
   * then the numbers of what leaves are checked as their text (`String(n)`) too.
   */
  get holdsNumbers(): boolean {
    if (this.numbers?.generation !== this.generation) this.numbers = { generation: this.generation, any: this.plainValues().some((v) => JSON_NUMBER.test(v)) }
    return this.numbers.any
  }

  private rounded: { generation: number; values: Set<number> } | undefined
  /**
   * Whether `n` is what a registered value spelled as a JSON number parses to when that is not the
   * value itself: a number past 2^53 (a 17-digit account number) or with more digits than a double
   * holds. Parsed on its way through (every answer the SDK reads), such a number is written back
   * rounded — `98123456789012345` as `98123456789012344` —, which `String(n)` no longer matches but
   * which still tells the value to within its last digit (qa262: before, it went out so).
   */
  isRoundedValue(n: number): boolean {
    if (this.rounded?.generation !== this.generation) {
      const values = new Set<number>()
      for (const v of this.plainValues()) {
        if (!JSON_NUMBER.test(v)) continue
        const x = Number(v)
        if (Number.isFinite(x) && String(x) !== v) values.add(x)
      }
      this.rounded = { generation: this.generation, values }
    }
    return this.rounded.values.size !== 0 && this.rounded.values.has(n)
  }

  /** Nothing registered (the common case: every check below returns at once). */
  get empty(): boolean {
    return this.groups.size === 0
  }

  /**
   * Whether UTF-8 bytes held as `chunks` (a large result as it arrived) contain a registered value,
   * without joining or decoding them: each chunk, and each seam between two chunks.
   */
  testChunks(chunks: readonly Uint8Array[]): boolean {
    if (this.groups.size === 0) return false
    const { longest } = this.bytes()
    // one scan of the bytes read as Latin-1 (one character per byte) per chunk and seam, whatever the
    // number of spellings (an `indexOf` per spelling cost 0.16 ms per MB each)
    const scan = this.latin1Scan()
    const holds = (buf: Buffer): boolean => scan.test(buf.toString("latin1"))
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!
      const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength)
      if (holds(buf)) return true
      const next = chunks[i + 1]
      if (next === undefined || longest < 2) continue
      const tail = buf.subarray(Math.max(0, buf.length - (longest - 1)))
      const head = Buffer.from(next.buffer, next.byteOffset, Math.min(next.byteLength, longest - 1))
      if (holds(Buffer.concat([tail, head]))) return true
    }
    return false
  }

  /** Number of distinct spellings registered. */
  get size(): number {
    return this.all().size
  }

  has(value: string): boolean {
    for (const g of this.groups.values()) if (g.has(value)) return true
    return false
  }

  /** `text` with every registered value replaced by `[REDACTED]`. */
  redact(text: string): string {
    const res = this.regex()
    if (res === null || text.length < this.shortest || !this.scan!.test(text)) return text
    for (const re of res) {
      re.lastIndex = 0
      if (re.test(text)) text = this.replaceAll(text, re)
    }
    return text
  }

  /**
   * `text` with each match of `re` masked; a value's hex or base64 spelling with the run of that
   * alphabet it stands in (`Basic <base64 of user:value>`, a JSON header's base64): masked whole,
   * not as the part the value decides with its neighbours' characters left around it.
   */
  private replaceAll(text: string, re: RegExp): string {
    const encoded = this.encodedForms()
    if (encoded.size === 0) return text.replace(re, REDACTED)
    let out = ""
    let last = 0
    re.lastIndex = 0
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let start = m.index
      let end = start + m[0].length
      const run = encoded.get(m[0])
      if (run !== undefined) {
        while (start > last && run.test(text[start - 1]!)) start--
        while (end < text.length && run.test(text[end]!)) end++
        while (end < text.length && text[end] === "=" && run !== HEX_CHAR) end++
      }
      out += text.slice(last, start) + REDACTED
      last = end
      re.lastIndex = Math.max(end, m.index + 1)
    }
    return out + text.slice(last)
  }

  private encodedRuns: { generation: number; forms: Map<string, RegExp> } | undefined
  /** The registered hex and base64 spellings (`spellings`' `encodedSpellings`), each with the alphabet of the run it stands in. */
  private encodedForms(): Map<string, RegExp> {
    if (this.encodedRuns?.generation !== this.generation) {
      const all = this.all()
      const forms = new Map<string, RegExp>()
      for (const v of this.plainValues()) for (const [form, alphabet] of encodedSpellings(v)) if (all.has(form)) forms.set(form, alphabet)
      this.encodedRuns = { generation: this.generation, forms }
    }
    return this.encodedRuns.forms
  }

  /** Whether `text` contains a registered value. */
  test(text: string): boolean {
    const res = this.regex()
    return res !== null && text.length >= this.shortest && this.scan!.test(text)
  }

  /**
   * `text` with each `Basic` credential whose decoded `user:password` holds a registered value
   * masked (`Basic [REDACTED]`): a downstream's own data keeps every other base64 as it is.
   */
  redactBasic(text: string): string {
    if (this.groups.size === 0 || !BASIC_HINT.test(text)) return text
    return text.replace(BASIC_CREDENTIAL, (m, scheme: string, gap: string, cred: string) => {
      const decoded = Buffer.from(cred, "base64")
      return this.test(decoded.toString("latin1")) || this.test(decoded.toString("utf8")) ? `${scheme}${gap}${REDACTED}` : m
    })
  }

  /**
   * `text` (a decoded string) with each run of JSON string text that holds escapes (`\\u0067`, `\\/`:
   * JSON text carried inside a string, a log line or an error; PHP's json_encode, Python's
   * ensure_ascii) decoded, and, when it holds a registered value, redacted and JSON-escaped again.
   * The same text when nothing is registered or it holds no such run.
   */
  redactEscaped(text: string): string {
    if (this.groups.size === 0 || !hasOpaqueEscape(text)) return text
    return text.replace(ESCAPED_RUN, (run) => {
      if (!run.includes("\\u") && !run.includes("\\/")) return run
      let decoded: string
      try {
        decoded = JSON.parse(`"${run}"`) as string
      } catch {
        return run
      }
      return this.test(decoded) ? JSON.stringify(this.redact(decoded)).slice(1, -1) : run
    })
  }

  /**
   * A base64 string (a resource's `blob`) whose decoded bytes hold a registered
   * value: the bytes redacted (`redactBytes`) and encoded again, so it stays valid base64 of the
   * same alphabet. Undefined when it is no base64 or holds none.
   */
  redactBase64Data(data: string): string | undefined {
    if (this.groups.size === 0 || data.length < 8 || !BASE64_TEXT.test(data)) return undefined
    const urlSafe = /[-_]/.test(data)
    const bytes = Buffer.from(data, urlSafe ? "base64url" : "base64")
    const clean = this.redactBytes(bytes)
    if (clean === undefined) return undefined
    // padded as it came: with `=`, or standard base64 whose length needed none; URL-safe without `=` stays unpadded
    const enc = clean.toString(urlSafe ? "base64url" : "base64").replace(/=+$/, "")
    const padded = data.endsWith("=") || (!urlSafe && data.length % 4 === 0)
    return padded ? enc + "=".repeat((4 - (enc.length % 4)) % 4) : enc
  }

  /**
   * UTF-8 (or any) bytes with every registered value's bytes replaced by those of `[REDACTED]`:
   * for base64 data (a resource's blob) whose decoded bytes hold a configured
   * secret. Undefined when none is there.
   */
  redactBytes(bytes: Uint8Array): Buffer | undefined {
    if (this.groups.size === 0) return undefined
    let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")
    if (!this.latin1Scan().test(text)) return undefined
    let hit = false
    for (const re of this.latin1Regex()) {
      re.lastIndex = 0
      if (!re.test(text)) continue
      hit = true
      text = text.replace(re, REDACTED)
    }
    return hit ? Buffer.from(text, "latin1") : undefined
  }

  private latin1: { generation: number; re: RegExp[]; scan: LiteralScan } | undefined
  /** Patterns of the registered values' UTF-8 bytes read as Latin-1 (one character per byte), longest first. */
  private latin1Regex(): RegExp[] {
    return this.latin1Built().re
  }

  /** Whether bytes read as Latin-1 hold a registered value (`latin1Regex`'s verdict, sampled: core/literal-scan). */
  private latin1Scan(): LiteralScan {
    return this.latin1Built().scan
  }

  private latin1Built(): { re: RegExp[]; scan: LiteralScan } {
    if (this.latin1?.generation !== this.generation) {
      const values = this.bytes().values.map((b) => b.toString("latin1")).sort((a, b) => b.length - a.length)
      this.latin1 = { generation: this.generation, re: alternations(values.map(escapeRegExp)), scan: new LiteralScan(values, escapeRegExp, alternations) }
    }
    return this.latin1
  }

  /**
   * Whether JSON text holds a registered value once decoded, as a client reads it: one scan of the
   * text for the registered spellings (raw, JSON-escaped, URL-encoded); when that finds none but the
   * text holds an escape the scan cannot see through (`\u0051`, `\/`: `hasOpaqueEscape`), it is
   * parsed and every decoded string (keys too) is checked; so is text that holds a `"blob"` key (its
   * base64 is checked decoded: `redactBase64Data`). Other text is never parsed;
   * with nothing registered nothing is read. Text that does not parse counts as holding one (the
   * caller's own parse then decides).
   */
  testJson(text: string): boolean {
    if (this.groups.size === 0) return false
    if (this.test(text)) return true
    if (!hasEscapeSpelling(text) && !text.includes(BLOB_KEY) && !BASIC_HINT.test(text)) return false
    return this.testParsed(text)
  }

  /** `testJson` of UTF-8 bytes held as `chunks` (a large result as it arrived): joined and decoded only when an escape needs it. */
  testJsonChunks(chunks: readonly Uint8Array[]): boolean {
    if (this.groups.size === 0) return false
    if (this.testChunks(chunks)) return true
    if (!chunksHaveEscapeSpelling(chunks) && !chunksInclude(chunks, BLOB_KEY_BYTES) && !BASIC_BYTES.some((b) => chunksInclude(chunks, b))) return false
    return this.testParsed(Buffer.concat(chunks).toString("utf8"))
  }

  /** `testJson` of UTF-8 `bytes` (a stored list answer). */
  testJsonBytes(bytes: Uint8Array): boolean {
    return this.testJsonChunks([bytes])
  }

  /** Whether any string of the JSON `text`, decoded (keys and values, at any depth), holds a registered value. */
  private testParsed(text: string): boolean {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return true
    }
    const stack: unknown[] = [value]
    while (stack.length !== 0) {
      const v = stack.pop()
      if (typeof v === "string") {
        if (this.test(v) || this.redactBasic(v) !== v || this.redactEscaped(v) !== v) return true
      } else if (Array.isArray(v)) {
        for (const x of v) stack.push(x)
      } else if (v !== null && typeof v === "object") {
        for (const k of Object.keys(v)) {
          if (this.test(k) || this.redactEscaped(k) !== k) return true
          const x = (v as Record<string, unknown>)[k]
          // base64 data: its decoded bytes (a resource's blob whatever its length)
          if (typeof x === "string" && BASE64_KEYS.has(k) && this.redactBase64Data(x) !== undefined) return true
          stack.push(x)
        }
      }
    }
    return false
  }

  /** The registered values as UTF-8, and the longest one's length: built once per generation. */
  private bytes(): { values: Buffer[]; longest: number } {
    if (this.encoded?.generation !== this.generation) {
      const values = [...this.all()].map((v) => Buffer.from(v))
      this.encoded = { generation: this.generation, values, longest: Math.max(0, ...values.map((v) => v.length)) }
    }
    return this.encoded
  }

  /** Every registered spelling (core/secret-encodings derives from them what code could re-encode them as). */
  spellings(): string[] {
    return [...this.all()]
  }

  private shortBase64: { generation: number; forms: Set<string> } | undefined

  /**
   * Whether `run` (8 to 15 base64 characters, `=` padding or not) is the whole base64 or base64url
   * encoding of a registered value (`hunter22` as `aHVudGVyMjI=`): longer runs are decoded instead.
   */
  isShortBase64(run: string): boolean {
    if (this.shortBase64?.generation !== this.generation) {
      const forms = new Set<string>()
      for (const v of this.plainValues()) {
        // a value registered as its padded base64 (a URL's `user:pass` as a Basic credential, a
        // configured `Basic …` header): an error quoting it unpadded (`Ym86cHcxMg`) holds it too (qa228)
        if (v.length <= 24 && /^[A-Za-z0-9+/]{6,}={1,2}$/.test(v)) forms.add(v.replace(/=+$/, "")).add(v.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_"))
        const b = Buffer.from(v)
        if (b.length > 12) continue
        for (const enc of [b.toString("base64"), b.toString("base64url")]) forms.add(enc.replace(/=+$/, ""))
      }
      this.shortBase64 = { generation: this.generation, forms }
    }
    return this.shortBase64.forms.has(run.replace(/=+$/, ""))
  }

  private halves: { generation: number; text: LiteralScan | undefined; latin1: LiteralScan | undefined } | undefined

  /**
   * The pieces scans: each registered value of MIN_ENCODED to RESPELL_MAX characters, as is, upper-
   * and lower-cased and JSON-escaped, cut into pieces (`valuePieces`), as text (`text`) and as UTF-8
   * bytes read as Latin-1 (`latin1`, for a large result's chunks). A value split into as many parts
   * as it has pieces (two for a value under 12 characters, one per 6 characters above) leaves one
   * piece whole in one of the parts: text holding no piece holds no such split.
   */
  private halfScans(): { text: LiteralScan | undefined; latin1: LiteralScan | undefined } {
    if (this.halves?.generation !== this.generation) {
      const out = new Set<string>()
      for (const v of this.plainValues()) {
        if (v.length < MIN_ENCODED || v.length > RESPELL_MAX) continue
        for (const f of new Set([v, v.toUpperCase(), v.toLowerCase(), JSON.stringify(v).slice(1, -1)])) for (const p of valuePieces(f)) out.add(p)
      }
      const text = [...out].sort((a, b) => b.length - a.length)
      const latin1 = [...new Set(text.map((h) => Buffer.from(h, "utf8").toString("latin1")))].sort((a, b) => b.length - a.length)
      this.halves = {
        generation: this.generation,
        text: text.length ? new LiteralScan(text, escapeRegExp, alternations, PIECE) : undefined,
        latin1: latin1.length ? new LiteralScan(latin1, escapeRegExp, alternations, PIECE) : undefined,
      }
    }
    return this.halves
  }

  /**
   * Whether `text` (a result's JSON) may hold a registered value split across several of its strings
   * (content items: a server paging its output): it holds one of a value's pieces. Only a yes
   * costs anything more (the result parsed, its adjacent strings checked: `seamMatches`).
   */
  testHalves(text: string): boolean {
    return this.groups.size !== 0 && this.halfScans().text?.test(text) === true
  }

  /** `testHalves` of UTF-8 bytes held as `chunks`: each chunk and each seam read as Latin-1. */
  testHalvesChunks(chunks: readonly Uint8Array[]): boolean {
    const scan = this.groups.size === 0 ? undefined : this.halfScans().latin1
    if (scan === undefined) return false
    const reach = Math.ceil(RESPELL_MAX / 2) * 6
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!
      const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength)
      if (scan.test(buf.toString("latin1"))) return true
      const next = chunks[i + 1]
      if (next === undefined) continue
      const seam = Buffer.concat([buf.subarray(Math.max(0, buf.length - reach)), Buffer.from(next.buffer, next.byteOffset, Math.min(next.byteLength, reach))])
      if (scan.test(seam.toString("latin1"))) return true
    }
    return false
  }

  /**
   * The registered values in `joined` (strings read one after the other, joined) that cross one of
   * `seams` (where one string ends and the next starts), as [start, end) in `joined`: a value split
   * across two or more strings, whatever lies inside it. Only the text within a longest value of a
   * seam is read.
   */
  seamMatches(joined: string, seams: readonly number[]): Array<[number, number]> {
    const res = this.regex()
    const out: Array<[number, number]> = []
    if (res === null || seams.length === 0) return out
    const reach = this.longest
    // windows around the seams, merged (one more character each side: a short value's whole-token bounds)
    const windows: Array<[number, number]> = []
    for (const at of seams) {
      if (at <= 0 || at >= joined.length) continue
      const from = Math.max(0, at - reach)
      const to = Math.min(joined.length, at + reach)
      const last = windows[windows.length - 1]
      if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to)
      else windows.push([from, to])
    }
    for (const [from, to] of windows) {
      const text = joined.slice(from, to)
      if (!this.scan!.test(text)) continue
      for (const re of res) {
        for (const m of text.matchAll(re)) {
          const start = from + m.index
          const end = start + m[0].length
          if (crossesSeam(seams, start, end)) out.push([start, end])
        }
      }
    }
    return out
  }

  /** Every registered value as held before any escaping (`plainForms`): what core/secret-encodings re-encodes. */
  plainValues(): string[] {
    const all = new Set<string>()
    for (const g of this.plains.values()) for (const v of g) all.add(v)
    return [...all]
  }

  private all(): Set<string> {
    const all = new Set<string>()
    for (const g of this.groups.values()) for (const v of g) all.add(v)
    return all
  }

  /**
   * Where to cut `text` so that no registered value is split: the start of one that begins before
   * `end` and ends after it, else `end`. A value cut in two is a first half that no later redaction
   * matches (a 403 body quoting a header, cut at 200 characters, showed the key's first 9); cut
   * before it, the value is left out whole.
   */
  cutBefore(text: string, end: number): number {
    const res = this.regex()
    if (res === null || end <= 0 || end >= text.length) return end
    const from = Math.max(0, end - this.longest + 1)
    const around = text.slice(from, end + this.longest - 1)
    let cut = end
    for (const re of res) {
      for (const m of around.matchAll(re)) {
        const start = from + m.index
        if (start < end && start + m[0].length > end) cut = Math.min(cut, start)
      }
    }
    return cut
  }

  private longest = 0
  private scan: LiteralScan | undefined

  private regex(): RegExp[] | null {
    if (this.re !== undefined) return this.re
    // Longest first: a value that contains another is replaced whole, not around the shorter one.
    const values = [...this.all()].sort((a, b) => b.length - a.length)
    this.shortest = values.length ? values[values.length - 1]!.length : Infinity
    this.longest = values.length ? values[0]!.length : 0
    this.re = values.length ? alternations(values.map(valuePattern)) : null
    // the test every scan starts with (a result's text, each string of a parsed one): sampled, not
    // the alternation at every character (core/literal-scan); the alternation replaces what it found
    this.scan = values.length ? new LiteralScan(values, valuePattern, alternations) : undefined
    return this.re
  }
}

/**
 * Characters of pattern per regular expression: one alternation of every registered spelling grew
 * past what the engine compiles ("regular expression too large": about 60 PEM keys' spellings, or
 * a long run's refreshed tokens) and every redaction threw. Past this the patterns are split over
 * several expressions, applied in order (longest values first across them).
 */
const MAX_PATTERN_CHARS = 128 * 1024

/** `patterns` (longest values first) as global alternations of at most MAX_PATTERN_CHARS each. */
export function alternations(patterns: readonly string[], flags = "g"): RegExp[] {
  const out: RegExp[] = []
  let part: string[] = []
  let chars = 0
  for (const p of patterns) {
    if (part.length && chars + p.length > MAX_PATTERN_CHARS) {
      out.push(new RegExp(part.join("|"), flags))
      part = []
      chars = 0
    }
    part.push(p)
    chars += p.length + 1
  }
  if (part.length) out.push(new RegExp(part.join("|"), flags))
  return out
}

/**
 * Values shorter than this are matched as whole tokens only: not with a letter or digit right before
 * or after (`local` is masked in `pass=local`, `Bearer local`, `"local"`, `db_local`, not in
 * `localhost`; a 5-character password not inside every word that holds it). A short value glued to
 * other letters or digits is left (`xlocaly`): masking it there garbled answers and hid no more
 * than the token does. Longer values are masked wherever they appear.
 */
export const WHOLE_TOKEN_BELOW = 9

/**
 * What may come right before a short value: no letter or digit, or one that ends an escape (JSON's
 * `\n`, `\u00e9`, a URL's `%3D`): `pass%3Dabc12` and `"\nabc12"` spell a value after a separator.
 */
const TOKEN_START = String.raw`(?:(?<![A-Za-z0-9])|(?<=\\[A-Za-z]|\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}))`

/** One registered spelling as a pattern: a short one bounded by non-alphanumerics (`WHOLE_TOKEN_BELOW`). */
export function valuePattern(v: string): string {
  const e = escapeRegExp(v)
  return v.length < WHOLE_TOKEN_BELOW ? `${TOKEN_START}${e}(?![A-Za-z0-9])` : e
}

/** Whether variant `x` of configured `v` is also spelled in other cases and character by character: a one-line value itself. */
function respelled(x: string, v: string): boolean {
  return x === v && !/[\r\n]|\\n/.test(v)
}

/** `v`'s spellings into `set`, its plain forms into `plain` (both of MIN_STRONG characters or more). */
function addForms(v: string, set: Set<string>, plain: Set<string>, respell: boolean): void {
  for (const s of spellings(v, respell)) if (s.length >= MIN_STRONG) set.add(s)
  for (const s of plainForms(v)) if (s.length >= MIN_STRONG) plain.add(s)
}

function sameSet(a: Set<string> | undefined, b: Set<string>): boolean {
  return a ? a.size === b.size && [...b].every((v) => a.has(v)) : b.size === 0
}

/** The process-wide registry every exit consults. */
export const secrets = new SecretRegistry()

/** Adds a secret known to be one (an OAuth token, a generated HTTP token…). */
export function registerSecret(value: string | undefined, group = "runtime"): void {
  secrets.add(group, value ?? "")
}

// --- collectors: what counts as a secret in each kind of configured text ---

/** The credential of an HTTP header value: "Bearer X" → X; "Basic b64" → b64 and the decoded password. */
function headerCredential(value: string, out: string[]): void {
  const m = /^\s*(Bearer|Basic|Token|Bot|Digest|ApiKey)\s+(.+?)\s*$/i.exec(value)
  if (!m) {
    if (admitNamed(value)) out.push(value)
    return
  }
  const cred = m[2]!
  if (admitNamed(cred)) out.push(cred)
  if (m[1]!.toLowerCase() === "basic") {
    try {
      const decoded = atob(cred)
      const i = decoded.indexOf(":")
      if (i >= 0 && admitNamed(decoded.slice(i + 1))) out.push(decoded.slice(i + 1))
    } catch {
      // not base64
    }
  }
}

/**
 * URL userinfo (password, or a lone user name: the token-as-user convention), secret query params,
 * and query values and path segments that look like credentials: a capability URL (a Slack or Discord webhook, a
 * remote MCP server whose path holds its key) is a bearer credential, and its token segment is what
 * must not leak (a webhook's whole URL is registered by its name: `isSecretName`).
 */
export function collectUrlSecrets(text: string, out: string[]): void {
  if (typeof text !== "string" || !text.includes("://")) return
  // Userinfo by hand too: URL() rejects some schemes' forms and normalises what it keeps.
  const ui = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#@\s]*)@/.exec(text.trim())
  if (ui) {
    const info = ui[1]!
    const i = info.indexOf(":")
    const user = i >= 0 ? info.slice(0, i) : info
    const pass = i >= 0 ? info.slice(i + 1) : ""
    if (pass && admitNamed(pass)) {
      out.push(pass)
      // what an HTTP client sends for it, should a server echo the Authorization header
      try {
        out.push(btoa(`${decodeURIComponent(user)}:${decodeURIComponent(pass)}`))
      } catch {
        // not encodable: the raw spelling stays registered
      }
    } else if (!pass && user && admitStrong(user)) out.push(user)
  }
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return
  }
  // a query value under an ordinary name (`?client=…`, `?u=…`) is judged by its look, as a path
  // segment is: a refusal quoting the request URL (a 403 body) gave it to the model and the log
  const param = (k: string, v: string): void => {
    if (isSecretName(k) ? admitNamed(v) : looksLikeSecret(v)) out.push(v)
  }
  for (const [k, v] of url.searchParams) param(k, v)
  // the fragment as a query (`#access_token=…`, a client route's `#/cb?token=…`): never sent, but
  // quoted wherever the URL is (before qa359 read by no rule)
  if (url.hash.includes("=")) for (const [k, v] of new URLSearchParams(url.hash.slice(1).replace(/^[^?]*\?/, ""))) param(k, v)
  for (const seg of url.pathname.split("/")) {
    // a segment's parameters (`/mcp;jsessionid=…`, `;token=…`): each part read as a query parameter
    // or a segment (before qa359 the whole `mcp;jsessionid=…` was judged, and no look matched it)
    for (const part of seg.split(";")) {
      let decoded = part
      try {
        decoded = decodeURIComponent(part)
      } catch {
        // not percent-encoded: as it is
      }
      const eq = decoded.indexOf("=")
      if (eq > 0 && part !== seg) param(decoded.slice(0, eq), decoded.slice(eq + 1))
      else if (looksLikeSecret(decoded)) out.push(decoded)
    }
  }
}

/** Env map: secret-named keys always (strong), other values when they look like credentials or hold a URL with a secret. */
export function collectEnvSecrets(env: Record<string, string> | undefined, out: string[]): void {
  if (!isRecord(env)) return
  for (const [k, raw] of Object.entries(env)) {
    // a number where a string belongs is a config error that quotes the value: registered too
    const v = typeof raw === "number" ? String(raw) : raw
    if (typeof v !== "string") continue
    if (isSecretName(k) ? admitNamed(v) : looksLikeSecret(v)) out.push(v)
    collectUrlSecrets(v, out)
    collectJsonSecrets(v, out)
    collectInlineCredentials(v, out)
  }
}

/**
 * Credentials written inline in free text, whatever key holds it: `Bearer X` / `Basic X`,
 * and a header line `Authorization: …` / `X-Api-Key: …` (e.g. mcp-remote's `--header` argument).
 */
export function collectInlineCredentials(text: string, out: string[]): void {
  if (typeof text !== "string") return
  const line = /^\s*([A-Za-z][\w-]*)\s*:\s*(\S.*?)\s*$/.exec(text)
  if (line && isSecretName(line[1]!) && !line[2]!.startsWith("//")) headerCredential(line[2]!, out)
  // Case-sensitive and credential-like (8+ token characters with a digit, or 16+): prose such as
  // "bearer tokens are …" registers nothing.
  for (const m of text.matchAll(/\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/g)) {
    if (/\d/.test(m[2]!) || m[2]!.length >= 16) headerCredential(`${m[1]} ${m[2]}`, out)
  }
  collectAssignedCredentials(text, out)
}

/**
 * `NAME=VALUE` pairs with a secret name inside a longer text: a connection string
 * (`Server=db;User Id=sa;Password=…;`, libpq's `host=db password=…`), docker's `--env=API_KEY=…`,
 * a query-like `a=1&token=…`. Values of 6+ characters (quoted ones without their quotes), so a
 * word such as `key=name` registers nothing.
 */
function collectAssignedCredentials(text: string, out: string[]): void {
  if (!text.includes("=")) return
  for (const m of text.matchAll(/(?:^|[;\s&?,=])([A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*)?)\s*=\s*("[^"]*"|'[^']*'|[^;\s&,]+)/g)) {
    const name = m[1]!.replace(/ /g, "_")
    let value = m[2]!
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1)
    if (value.length >= 6 && isSecretName(name) && admitNamed(value)) out.push(value)
  }
}

/**
 * Settings printed as text (a command's output: YAML `key: value` lines, `server.key=value` lines,
 * JSON): the values under secret-named keys, URL credentials, inline credentials. For text that is
 * handed on before it is parsed (to a parser plugin), so what it holds is known to redaction first.
 */
export function collectSettingsTextSecrets(text: string, out: string[]): void {
  if (typeof text !== "string") return
  const trimmed = text.trimStart()
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      collectSettingsSecrets(JSON.parse(text), out)
    } catch {
      // not JSON after all: read as lines
    }
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === "" || line.length > 8192) continue
    // `key: value` / `key = value` / `a.b.key=value` (YAML, properties, `--get-all`): a secret-named last key part
    const kv = /^-?\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.+)$/.exec(line)
    if (kv) {
      const key = kv[1]!.split(".").at(-1)!
      let value = kv[2]!.trim().replace(/,$/, "")
      if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1)
      if ((isSecretName(key) || /(^|[-_.])(api[-_]?)?key$/i.test(key)) && admitNamed(value)) out.push(value)
    }
    for (const word of line.split(/[\s"',]+/)) if (word.includes("://")) collectUrlSecrets(word, out)
    collectInlineCredentials(line, out)
  }
}

/** A JSON object in an env value (a service-account key file, say): its secret-named fields. */
function collectJsonSecrets(text: string, out: string[]): void {
  if (!text.trimStart().startsWith("{")) return
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return
  }
  eachString(value, false, isSecretName, (x, secret) => {
    if (secret && admitNamed(x)) out.push(x)
  })
}

/**
 * Every string of a parsed JSON value, with whether a secret-named key holds it: directly (an array
 * passes its key on to its items), or anywhere above when `inherit`. Walked with a stack of its own,
 * to any depth: a secret 20 levels down (a settings tree, a key file's `accounts[0].password`) is
 * registered like one at the top (before, walks stopped at 8 or 16 levels and skipped arrays).
 */
function eachString(value: unknown, inherit: boolean, secretName: (key: string) => boolean, visit: (s: string, secret: boolean) => void): void {
  const stack: [unknown, boolean][] = [[value, false]]
  while (stack.length > 0) {
    const [v, secret] = stack.pop()!
    if (typeof v === "string") visit(v, secret)
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], secret])
    else if (isRecord(v)) {
      const entries = Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], (inherit && secret) || secretName(entries[i]![0])])
    }
  }
}

/** A settings key that names a secret: a secret name, or `…key` / `…api_key`. */
const settingsSecretName = (k: string): boolean => isSecretName(k) || /(^|[-_.])(api[-_]?)?key$/i.test(k)

/** Header map: secret-named headers always, others when they look like credentials. */
export function collectHeaderSecrets(headers: Record<string, string> | undefined, out: string[]): void {
  if (!isRecord(headers)) return
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v !== "string") continue
    if (isSecretName(k) || /^(x-)?(api|auth)/i.test(k)) {
      const creds: string[] = []
      headerCredential(v, creds)
      if (/^cookie$/i.test(k.trim())) cookieValues(v, creds)
      for (const c of creds) if (admitNamed(c)) out.push(c)
    } else {
      if (looksLikeSecret(v)) out.push(v)
      collectInlineCredentials(v, out)
    }
  }
}

/**
 * Each value of a `Cookie` header (`sid=…; theme=dark`): a session cookie is a credential of its
 * own, and a server names it alone ("session … expired"); before qa359 only the whole header value
 * was registered. A word (`dark`, `en-US`) or a number is a preference, not taken.
 */
function cookieValues(header: string, out: string[]): void {
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=")
    if (eq <= 0) continue
    let v = pair.slice(eq + 1).trim()
    if (/^"[^"]*"$/.test(v)) v = v.slice(1, -1)
    if (admitStrong(v) && !/^[A-Za-z][A-Za-z_-]*$/.test(v) && !/^[\d.]+$/.test(v)) out.push(v)
  }
}

/**
 * A bare argument that is a credential (`server.js <api key>`, a key after a flag not named as one):
 * a credential-looking word (`looksLikeSecret`) with no `.`, `:`, `@` or `/` (a path, a package and
 * its version, an image, a URL) and a run of 12+ characters between separators that switches between
 * letters and digits at least 3 times. Package names, versions and dated ids (`mcp-server-v2-2025`,
 * `filesystem123`, `stdio-2024-11-05`) are none; a random key of 16+ characters nearly always is.
 */
function positionalCredential(a: string): boolean {
  const t = a.trim()
  if (/[.:@/]/.test(t) || !looksLikeSecret(t)) return false
  return t.split(/[-_+=~]+/).some((seg) => seg.length >= 12 && (seg.match(/[A-Za-z](?=\d)|\d(?=[A-Za-z])/g)?.length ?? 0) >= 3)
}

/**
 * Runners whose own `-p` names a package (`npx -y -p @scope/pkg bin`) or an interpreter (`uvx -p
 * 3.12`), before the package they run; the arguments after it are the server's, read as any.
 */
const PACKAGE_RUNNER = /^(?:npx|npm|pnpm|pnpx|yarn|bunx|uvx|uv|pipx)(?:\.cmd|\.exe)?$/i
/** Commands whose `-p` is no password: a flag without a value or with a file, a port, code (`mkdir -p`, `cp -p`, `ssh -p 22`, `node -p expr`). */
const NO_PASSWORD_P = /^(?:mkdir|cp|scp|rsync|ls|tar|install|ssh|psql|redis-cli|node|perl|ruby|python\d?(?:\.\d+)?|git)(?:\.cmd|\.exe)?$/i

/**
 * The value of a short flag that takes a password by convention: `-p pass` or `-ppass` (mysql,
 * mysqldump, mongosh, sshpass), the password of `-u user:pass` / `--user user:pass` (curl, wget).
 * Such a flag also takes a port or a port mapping (`docker run -p 8080:80`, `-u 1000:1000`), a path,
 * a flag, or a name (`-p default`, `-u app:wheel`): letters, `-` and `_` only. Those are not taken,
 * so a password of letters only is missed (docs/proxy.md *Redaction*).
 */
function shortFlagPassword(v: string): boolean {
  const t = v.trim()
  if (!admitStrong(t) || /^[/~.]/.test(t) || t.includes("://") || /^--?[A-Za-z]/.test(t)) return false
  return !/^[\d.:[\]-]+(?:\/[a-z]+)?$/i.test(t) && !/^[A-Za-z][A-Za-z_-]*$/.test(t)
}

/** The password of a `user:pass` pair given to `-u`/`--user`, when it is one. */
function userPairPassword(v: string, out: string[]): void {
  const i = v.indexOf(":")
  if (i > 0 && shortFlagPassword(v.slice(i + 1))) out.push(v.slice(i + 1))
}

/**
 * argv: a bare credential-looking argument (`positionalCredential`), the value after a secret-looking flag (`--api-key X`, `--token X`, `-password X`), the value
 * of `--token=X` and `API_KEY=X`, a password after a short flag (`-p pass`, `-ppass`, `-u user:pass`:
 * `shortFlagPassword`; not a package runner's own `-p` nor that of a command whose `-p` is no
 * password: `command`), userinfo and secret query params of URLs, and well-known token shapes.
 */
export function collectArgSecrets(args: readonly string[] | string | undefined, out: string[], command?: string, depth = 0): void {
  // a command line given as one string is a config error that quotes it: read it as words
  // (its first word the command, whose own name comes first)
  let first = 0
  if (typeof args === "string") {
    args = args.split(/\s+/).filter(Boolean)
    if (command === undefined) [command, first] = [args[0], 1]
  }
  if (!Array.isArray(args)) return
  const name = typeof command === "string" ? (command.trim().split(/[\\/]/).at(-1) ?? "") : ""
  const passwordP = !NO_PASSWORD_P.test(name)
  // a runner's own flags come first, its `-p` a package: the server's arguments start after the
  // first word that is no flag nor a flag's value (`npx -y -p pkg bin -p <password>`)
  let serverFrom = 0
  if (PACKAGE_RUNNER.test(name)) {
    let j = first
    while (j < args.length && typeof args[j] === "string" && (args[j] as string).startsWith("-")) j += /^(?:-p|--package|--from|--python|--with)$/.test(args[j] as string) ? 2 : 1
    serverFrom = j + 1
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (typeof a !== "string") continue
    const next: unknown = args[i + 1]
    if ((a === "-u" || a === "--user") && typeof next === "string") userPairPassword(next, out)
    if (a.startsWith("--user=")) userPairPassword(a.slice(7), out)
    const pTakes = passwordP && i >= serverFrom
    if (pTakes && a === "-p" && typeof next === "string" && shortFlagPassword(next)) {
      out.push(next)
      i++
      continue
    }
    // attached (`-pS3cret!`): 6+ characters, so a single-dash word (`-print0`) is not read as one
    if (pTakes && /^-p[^-=\s]/.test(a) && a.length >= 8 && shortFlagPassword(a.slice(2))) out.push(a.slice(2))
    const flag = /^--?([A-Za-z][\w.-]*)$/.exec(a)
    if (flag && isSecretName(flag[1]!)) {
      const next: unknown = args[i + 1]
      if (typeof next === "string" && !/^--?[A-Za-z]/.test(next) && admitNamed(next)) {
        out.push(next)
        i++
      }
      continue
    }
    const kv = /^(?:--?)?([A-Za-z_][\w.-]*)=([\s\S]+)$/.exec(a)
    if (kv && isSecretName(kv[1]!) && admitNamed(kv[2]!)) out.push(kv[2]!)
    if (TOKEN_SHAPE.test(a.trim()) || (!kv && !flag && positionalCredential(a))) out.push(a)
    collectUrlSecrets(kv ? kv[2]! : a, out)
    collectInlineCredentials(a, out)
    const more: string[] = []
    // a flag's attached value as its separate value is read (`--header=X-Api-Key: …`)
    if (kv) collectInlineCredentials(kv[2]!, more)
    // a secret-named flag with its value after a colon (`--apikey:X`, .NET and Windows tools)
    const colon = /^--?([A-Za-z][\w.-]*):(.+)$/.exec(a)
    if (colon && isSecretName(colon[1]!) && admitNamed(colon[2]!)) more.push(colon[2]!)
    // settings as JSON (`--config '{"apiKey":"…"}'`, Smithery's CLI; `--config={…}`): as in an env value
    collectJsonSecrets(kv ? kv[2]! : a, more)
    // a command line inside an argument (`sh -c "node s.js --api-key X"`, `bash -lc …`): its words
    // as argv, each command of it with its own name (before qa359 only the argument as a whole was read)
    if (depth < 2 && /\S\s+\S/.test(a.trim())) {
      for (const words of shellCommands(a)) {
        // `API_KEY=X node s.js …`: the assignments, then the command's arguments under its name
        const k = words.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w))
        collectArgSecrets(k < 0 ? words : words.slice(0, k), more, undefined, depth + 1)
        if (k >= 0) collectArgSecrets(words.slice(k + 1), more, words[k], depth + 1)
      }
    }
    for (const v of new Set(more)) if (!out.includes(v)) out.push(v)
  }
}

/**
 * The commands of a shell command line, each as its words (quotes removed, `\` escapes read):
 * split at unquoted `;`, `&&`, `||`, `|` and line breaks. Not a shell: enough to read the words a
 * secret stands among (`sh -c "API_KEY=X node s.js --token Y"`).
 */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = []
  let words: string[] = []
  let word: string | undefined
  let quote: string | undefined
  const end = (): void => {
    if (word !== undefined) words.push(word)
    word = undefined
  }
  const split = (): void => {
    end()
    if (words.length) commands.push(words)
    words = []
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === quote) quote = undefined
      else if (c === "\\" && quote === '"' && i + 1 < text.length) word = (word ?? "") + text[++i]
      else word = (word ?? "") + c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ""
    } else if (c === "\\" && i + 1 < text.length) word = (word ?? "") + text[++i]
    else if (c === ";" || c === "|" || c === "&" || c === "\n") split()
    else if (/\s/.test(c)) end()
    else word = (word ?? "") + c
  }
  split()
  return commands
}

/** The config shape the collectors read (structural: core imports nothing from config). */
export interface SecretBearingConfig {
  servers?: Record<string, { env?: Record<string, string>; args?: readonly string[] | string; url?: string; headers?: Record<string, string>; command?: string; auth?: Record<string, unknown> }>
  mcpServers?: SecretBearingConfig["servers"]
  http?: { token?: string | undefined }
}

/** Every secret value of one server entry. */
export function serverSecrets(spec: NonNullable<SecretBearingConfig["servers"]>[string]): string[] {
  const out: string[] = []
  if (!isRecord(spec)) return out
  collectEnvSecrets(spec.env, out)
  collectArgSecrets(spec.args, out, typeof spec.command === "string" ? spec.command : undefined)
  // a whole command line written as `command` (`npx -y pkg --api-key X`): quoted back in the hint
  // that says to split it, so its words are read as args are
  if (typeof spec.command === "string") collectArgSecrets(spec.command, out)
  if (typeof spec.url === "string") collectUrlSecrets(spec.url, out)
  collectHeaderSecrets(spec.headers, out)
  // OAuth client secret (our spelling and Cursor's)
  if (isRecord(spec.auth)) for (const k of ["clientSecret", "CLIENT_SECRET"]) if (typeof spec.auth[k] === "string" && admitNamed(spec.auth[k])) out.push(spec.auth[k])
  return out
}

/**
 * The secrets of a settings map the orchestrator reads from elsewhere (the Toolkit's server config,
 * `{ server: { key: value } }` at any depth): every string under a secret-named key, and in other
 * strings what env values give (credential-looking values, URL credentials, inline credentials).
 */
export function collectSettingsSecrets(value: unknown, out: string[]): void {
  eachString(value, true, settingsSecretName, (v, secretKey) => {
    if (secretKey ? admitNamed(v) : looksLikeSecret(v)) out.push(v)
    collectUrlSecrets(v, out)
    collectInlineCredentials(v, out)
  })
}

/**
 * Registers every secret value of a config (replacing the previous config's). Reads unvalidated
 * input defensively, so it can run before validation: a config error then cannot echo a secret.
 */
export function registerConfigSecrets(config: SecretBearingConfig | Record<string, unknown>, group = "config", extra: readonly string[] = []): void {
  const c = config as SecretBearingConfig
  // `extra`: values known to be secrets by where they came from (a `${API_KEY}` put in an argument)
  const out: string[] = [...extra]
  const names = new Set<string>()
  for (const map of [c.mcpServers, c.servers]) {
    if (!isRecord(map)) continue
    for (const [name, spec] of Object.entries(map)) {
      names.add(name.toLowerCase())
      out.push(...serverSecrets(spec))
    }
  }
  const token = isRecord(c.http) ? c.http.token : undefined
  if (typeof token === "string" && admitNamed(token)) out.push(token)
  // a value that is a server's name (`postgres` with POSTGRES_PASSWORD=postgres) is in every tool
  // name of that server: masked, the server's tools could not be called as listed; shown, it tells
  // the model nothing its tool names do not
  secrets.set(group, out.filter((v) => !names.has(v.trim().toLowerCase())))
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
