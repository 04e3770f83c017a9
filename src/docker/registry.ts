/**
 * @module docker/registry
 * Parser registry keyed by (kind, era), with an override seam for plugins: an override gets the raw
 * text plus {version, era, command}; its result is validated by the same zod schema as ours.
 */
import { ToolkitError, cutText, errorMessage, escapeUnsafeJson } from "../core/index.ts"
import { KIND_SCHEMAS, type Era, type KindResult, type LeftOut, type ParseKind } from "./types.ts"
import { runSteps, type KindParser } from "./parsers/kind.ts"
import { FAST_CHECKS } from "./fast-check.ts"
import { ShapeMismatch, cliText, collectingSkipped, decodeText, isEmptyListSentence } from "./parsers/common.ts"
import { nameLines, namedList, type NamedListOptions } from "./parsers/named-list.ts"
import { garbledNames } from "./parsers/bad-name.ts"
import { maskToolkitText } from "./classify.ts"
import { serversParser } from "./parsers/servers.ts"
import { catalogParser } from "./parsers/catalog.ts"
import { inspectParser, toolsParser } from "./parsers/tools.ts"
import { catalogsParser, configParser, profileParser, profilesParser, secretsParser } from "./parsers/misc.ts"

export interface ParseContext {
  /** Detected CLI version (`v0.41.0`) or `unknown`. */
  version?: string
  /** When omitted, the era is detected from the content. */
  era?: Era
  /** The command that printed the text, for error messages (`docker mcp server ls --json`). */
  command?: string
  /**
   * Told, after a built-in parse that succeeded, of the entries it left out (one line each: an
   * entry of a shape it does not know), so the partial answer comes with a warning.
   */
  onSkipped?: (notes: readonly string[]) => void
}

/** A plugin parser. Return `undefined` to let the built-in parser handle the text. */
/** A parser override: the value (or a promise of it, for `parseAsync`); undefined = use the built-in parser. */
export type ParserOverride = (text: string, ctx: { version: string; era: Era | undefined; command: string }) => unknown

const BUILTIN: Record<ParseKind, KindParser> = {
  servers: serversParser,
  catalog: catalogParser,
  tools: toolsParser,
  inspect: inspectParser,
  secrets: secretsParser,
  profiles: profilesParser,
  profile: profileParser,
  config: configParser,
  catalogs: catalogsParser,
}

/** Kinds whose output is a list (Go prints `null` or `[]` when empty). */
const LIST_KINDS: ReadonlySet<ParseKind> = new Set(["servers", "tools", "secrets", "profiles", "catalogs"])

/**
 * How a list kind's entries are named (`namedList`): a profile by its `id`, a catalog by its `ref`. Names alone are its
 * entries but for tools (a tool without its input schema would be offered as taking no arguments)
 * and profiles (a profile without its servers would read as an empty one): those stay unreadable.
 */
const NAMED: Partial<Record<ParseKind, NamedListOptions>> = { profiles: { key: "id", names: false }, catalogs: { key: "ref" }, tools: { names: false } }

/** How many left-out entries a partial read names (the count says how many in all). */
const LEFT_OUT_NAMED = 5

/** What a read that left `notes` out tells the answer built from it (entry texts masked: they quote the CLI's output). */
export function leftOutOf(kind: ParseKind, notes: readonly string[], ctx: ParseContext): LeftOut {
  return {
    command: ctx.command ?? `(${kind} output)`,
    version: ctx.version ?? "unknown",
    ...(ctx.era ? { era: ctx.era } : {}),
    count: notes.length,
    entries: notes.slice(0, LEFT_OUT_NAMED).map((n) => maskToolkitText(n)),
    hint: `Update mcp-orchestrator (this Toolkit CLI may print a newer format), or read the new format with a parser plugin: an override for "${kind}" (docs/toolkit-driver.md; \`mcp-orchestrator parse ${kind} FILE\` shows what is read).`,
  }
}

/**
 * What a user does about output no parser reads: a parser plugin for that kind, tried on the
 * captured output first. Said with the kind and the command, so the remedy is the steps (before:
 * "register an override for this kind", the driver's developer API, with no kind or file named).
 */
function parserPluginHint(kind: ParseKind, command: string | undefined): string {
  const capture = command ? `save the output (\`${command} > out.txt\`), ` : "save the output to out.txt, "
  return (
    `A Toolkit release may have changed this format: a parser plugin reads it. Write a .js file in your plugins directory ` +
    `(\`mcp-orchestrator plugins list\` shows it) exporting \`export default { name: "my-parsers", parsers: { ${kind}(text, ctx) { … } } }\` ` +
    `that returns the shape \`mcp-orchestrator parse ${kind}\` prints, or undefined for text it does not know (docs/plugins.md, *parsers*); ` +
    `${capture}then test it with \`mcp-orchestrator plugins test FILE --hook parse --kind ${kind} --input-file out.txt\`.`
  )
}

/**
 * The first 200 bytes of output no parser reads, as errors quote it: masked first
 * (`maskToolkitText`), since such output may be a configuration printed as text
 * (`db.password=…`, `postgres://u:pw@h`), and cut on a whole character.
 */
function head(text: string): string {
  const masked = maskToolkitText(text.slice(0, 4096))
  const bytes = Buffer.from(masked, "utf8")
  if (bytes.length <= 200) return masked
  let end = 200
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString("utf8")
}

export function unparseable(kind: ParseKind, text: string, ctx: ParseContext, reason: string): ToolkitError {
  const command = ctx.command ?? `(${kind} output)`
  // `secret ls` output no parser reads may be names with their values (NAME=VALUE, a `value` field
  // under a name no mask knows): its bytes are never quoted, only its size
  const secret = kind === "secrets"
  const first = secret ? `(${Buffer.byteLength(text)} bytes, not quoted)` : head(text)
  const shown = secret ? `Its ${Buffer.byteLength(text)} bytes are not quoted: \`docker mcp secret ls\` output may hold secret values (run it by hand to see it)` : `First 200 bytes: ${JSON.stringify(first)}`
  return new ToolkitError("OUTPUT_UNPARSEABLE", `Cannot parse the output of \`${command}\` (Toolkit ${ctx.version ?? "unknown"}${ctx.era ? `, ${ctx.era} era` : ""}): ${maskToolkitText(reason)}. ${shown}`, {
    remedy: parserPluginHint(kind, ctx.command === undefined ? undefined : maskToolkitText(ctx.command)),
    details: { kind, command, version: ctx.version ?? "unknown", era: ctx.era, head: first },
  })
}

interface Override {
  fn: ParserOverride
  owner: string
}

export class ParserRegistry {
  private readonly overrides = new Map<string, Override>()

  /** Installs `fn` for `kind` (all eras, or only `era`). `owner` is named in errors. */
  setOverride(kind: ParseKind, fn: ParserOverride, owner = "plugin", era?: Era): void {
    this.overrides.set(era ? `${kind}/${era}` : kind, { fn, owner })
  }

  clearOverride(kind: ParseKind, era?: Era): void {
    this.overrides.delete(era ? `${kind}/${era}` : kind)
  }

  /**
   * Parses `text` into the normalized value of `kind` or throws a ToolkitError. Synchronous: an
   * override that answers with a promise (a plugin's parser, run off this thread) needs `parseAsync`.
   */
  parse<K extends ParseKind>(kind: K, text: string, ctx: ParseContext = {}): KindResult<K> {
    const ov = this.override(kind, ctx)
    if (ov) {
      let out: unknown
      try {
        out = ov.fn(text, overrideContext(kind, ctx))
      } catch (e) {
        throw overrideError(kind, ov.owner, `threw: ${thrownText(e)}`, e, ctx.command)
      }
      if (isThenable(out)) {
        void Promise.resolve(out).catch(() => {})
        throw overrideError(kind, ov.owner, "answers asynchronously; this caller needs parseAsync")
      }
      if (out !== undefined) return reported(kind, checked(kind, ov.owner, out, ctx.command), [], ctx)
      try {
        return this.builtin(kind, text, ctx)
      } catch (e) {
        throw declined(e, kind, ov.owner)
      }
    }
    return this.builtin(kind, text, ctx)
  }

  /**
   * `parse` for overrides that may answer with a promise: a plugin's parser runs in its sandbox's
   * worker while this thread goes on serving calls (the driver uses this one).
   */
  async parseAsync<K extends ParseKind>(kind: K, text: string, ctx: ParseContext = {}): Promise<KindResult<K>> {
    const ov = this.override(kind, ctx)
    if (ov) {
      let out: unknown
      try {
        out = await ov.fn(text, overrideContext(kind, ctx))
      } catch (e) {
        throw overrideError(kind, ov.owner, `threw: ${thrownText(e)}`, e, ctx.command)
      }
      if (out !== undefined) return reported(kind, checked(kind, ov.owner, out, ctx.command), [], ctx)
      try {
        return await this.builtinAsync(kind, text, ctx)
      } catch (e) {
        throw declined(e, kind, ov.owner)
      }
    }
    return this.builtinAsync(kind, text, ctx)
  }

  private override(kind: ParseKind, ctx: ParseContext): Override | undefined {
    return (ctx.era && this.overrides.get(`${kind}/${ctx.era}`)) || this.overrides.get(kind)
  }

  private builtin<K extends ParseKind>(kind: K, text: string, ctx: ParseContext): KindResult<K> {
    const skipped: string[] = []
    const steps = builtinSteps(kind, text, ctx, skipped)
    const value = collectingSkipped(skipped, () => runSteps(steps))
    return reported(kind, value, skipped, ctx)
  }

  /** The built-in parse, giving the event loop a turn between chunks of a large catalog. */
  private async builtinAsync<K extends ParseKind>(kind: K, text: string, ctx: ParseContext): Promise<KindResult<K>> {
    const skipped: string[] = []
    const steps = builtinSteps(kind, text, ctx, skipped)
    for (;;) {
      // each step runs synchronously: what it leaves out is noted into this parse's list only
      const r = collectingSkipped(skipped, () => steps.next())
      if (r.done) {
        return reported(kind, r.value, skipped, ctx)
      }
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
}

/**
 * The built-in parse of `kind` as steps (see KindParser.steps): decode, read per era, check the
 * normalized value (by hand where a fast check exists and passes, else by the kind's zod schema,
 * whose message is the error).
 */
/** Output longer than this gets a turn of the event loop between its decoding and its reading. */
const YIELD_AFTER_DECODE_CHARS = 256 * 1024

/**
 * A parse's value, after its left-out entries (if any) were told to `ctx.onSkipped`, with the
 * entries kept under a name that is no UTF-8 (`garbledNames`): read in part, said as such.
 */
function reported<T>(kind: ParseKind, value: T, skipped: readonly string[], ctx: ParseContext): T {
  const all = [...skipped, ...garbledNames(kind, value)]
  if (all.length > 0) ctx.onSkipped?.(all)
  return value
}

function* builtinSteps<K extends ParseKind>(kind: K, text: string, ctx: ParseContext, skipped: string[]): Generator<void, KindResult<K>> {
  const parser = BUILTIN[kind]
  const schema = KIND_SCHEMAS[kind]
  let value: unknown = null
  // a list printed as the human form's "nothing here" sentence is the empty list it states (before
  // decoding: YAML reads `0 tools:` as a map)
  if (!(LIST_KINDS.has(kind) && isEmptyListSentence(text))) {
    try {
      value = decodeText(text)
    } catch (e) {
      // a list (or a catalog's servers) printed as names, one per line (no JSON): those names
      const names = (LIST_KINDS.has(kind) || kind === "catalog") && NAMED[kind]?.names !== false ? nameLines(cliText(text)) : undefined
      if (!names) throw unparseable(kind, text, ctx, errorMessage(e))
      value = names
    }
  }
  // decoding a large text was one long step already: let the event loop have its turn
  if (text.length > YIELD_AFTER_DECODE_CHARS) yield
  const fast = FAST_CHECKS[kind]
  function* attempt(era: Era): Generator<void, KindResult<K>> {
    const read = parser.steps ? yield* parser.steps[era](value) : parser[era](value)
    if (fast && (yield* fast(read))) return read as KindResult<K>
    const out = schema.safeParse(read)
    if (!out.success) throw new ShapeMismatch(`${out.error.issues[0]?.path.join(".") || "(root)"}: ${out.error.issues[0]?.message}`)
    return out.data as KindResult<K>
  }
  function* read(given: Era | undefined): Generator<void, KindResult<K>> {
    const era = given ?? parser.detect(value)
    if (era) return yield* attempt(era)
    // Ambiguous content (`null`, `[]`, `{}`): whichever era's shape accepts it.
    try {
      return yield* attempt("legacy")
    } catch (e) {
      if (!(e instanceof ShapeMismatch)) throw e
      // what the failed reading left out is not what this one leaves out
      skipped.length = 0
      return yield* attempt("profiles")
    }
  }
  try {
    return yield* read(ctx.era)
  } catch (e) {
    if (!(e instanceof ShapeMismatch)) throw e
    // the documented shapes failed: a list of names, a list wrapped in an object key or keyed by
    // name is read as that list of entries (an object that holds several is not guessed into one:
    // the error says so)
    const wrapped = LIST_KINDS.has(kind) ? namedList(value, NAMED[kind]) : undefined
    if (wrapped === undefined) throw unparseable(kind, text, ctx, e.message)
    if ("why" in wrapped) throw unparseable(kind, text, ctx, `${e.message}; not read as a list: ${wrapped.why}`)
    skipped.length = 0
    value = wrapped.list
    try {
      // the entries decide the era here (a wrapped list of `{name, …}` is the legacy entry shape)
      let detected: Era | undefined
      try {
        detected = parser.detect(value)
      } catch {
        detected = undefined
      }
      return yield* read(detected ?? ctx.era)
    } catch (e2) {
      if (e2 instanceof ShapeMismatch) throw unparseable(kind, text, ctx, `${e.message}; the list inside it does not read either: ${e2.message}`)
      throw e2
    }
  }
}

function overrideContext(kind: ParseKind, ctx: ParseContext): { version: string; era: Era | undefined; command: string } {
  return { version: ctx.version ?? "unknown", era: ctx.era, command: ctx.command ?? kind }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function"
}

/** An override's value checked against the kind's schema. */
function checked<K extends ParseKind>(kind: K, owner: string, out: unknown, command?: string): KindResult<K> {
  const r = KIND_SCHEMAS[kind].safeParse(out)
  if (!r.success) {
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join(".") : "(result)"}: ${i.message}${keysBeside(out, i.path, i.message)}`)
    throw overrideError(kind, owner, `returned an invalid ${kind} value: ${issues.join("; ")} (the shape \`mcp-orchestrator parse ${kind}\` prints; see docs/toolkit-driver.md)`, undefined, command)
  }
  return r.data as KindResult<K>
}

/**
 * What a parser override threw, as said in its error: one line of at most 300 characters, masked
 * as Toolkit text is (a plugin's error often quotes the output it could not read: configuration,
 * secret values, a whole catalog).
 */
function thrownText(e: unknown): string {
  const text = maskToolkitText(errorMessage(e)).replace(/\s+/g, " ").trim()
  return text.length > 300 ? `${cutText(text, 300)}…` : text
}

/**
 * For a required field missing from an entry (`0.name: … received undefined`): the keys the entry
 * has, so a field written in another case or under another name (`Name`, `server_name`) shows.
 */
function keysBeside(out: unknown, path: readonly PropertyKey[], message: string): string {
  if (path.length === 0 || !message.endsWith("received undefined")) return ""
  let parent: unknown = out
  for (const k of path.slice(0, -1)) parent = parent !== null && typeof parent === "object" ? (parent as Record<PropertyKey, unknown>)[k as string] : undefined
  if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return ""
  const keys = Object.keys(parent)
  // a plugin's key, shown in a terminal: every unsafe character escaped (core/unsafe-text; JSON escapes only C0)
  const shown = keys
    .slice(0, 8)
    .map((k) => escapeUnsafeJson(JSON.stringify(maskToolkitText(k.length > 40 ? `${k.slice(0, 40)}…` : k))))
  return keys.length === 0 ? " (the entry is an empty object)" : ` (the entry has: ${shown.join(", ")}${keys.length > 8 ? ", …" : ""})`
}

/**
 * Output no parser reads, after a parser override returned undefined for it: the override is
 * there, so "write a parser plugin" is not the remedy; its check for its format is what to look at
 * (a plugin whose detection misses the real output looked like no plugin at all).
 */
function declined(e: unknown, kind: ParseKind, owner: string): unknown {
  if (!(e instanceof ToolkitError) || e.code !== "OUTPUT_UNPARSEABLE") return e
  return new ToolkitError("OUTPUT_UNPARSEABLE", `${e.message} (the parser override of ${owner} returned undefined for it: not its format, so the built-in parser read it)`, {
    remedy: `Make the parser of ${owner} recognise this output: it returned undefined (no opinion) for it. Save the output and try it with \`mcp-orchestrator plugins test FILE --hook parse --kind ${kind} --input-file out.txt\` (it prints null while the parser declines).`,
    details: { ...e.details, declinedBy: owner },
    cause: e,
  })
}

/**
 * `command`: the Toolkit command whose output the parser was given (the driver's), named in the
 * error and in the remedy's first step, so the author knows which output to save and try it on.
 */
function overrideError(kind: ParseKind, owner: string, what: string, cause?: unknown, command?: string): ToolkitError {
  // a Toolkit command only (`mcp-orchestrator parse` names its own run, whose input the user has)
  const shown = command?.startsWith("docker mcp ") ? maskToolkitText(command) : undefined
  const reading = shown === undefined ? "" : ` (reading the output of \`${shown}\`)`
  // a label with values left out (`--name=…`) is no command to run again
  const save = shown === undefined || shown.includes("…") ? "" : `save the output (\`${shown} > out.txt\`) and `
  return new ToolkitError("PARSER_OVERRIDE_INVALID", `Parser override for "${kind}" from ${owner}${reading} ${what}`, {
    remedy: `Fix or remove the parser override of ${owner}; ${save}try it on the saved output with \`mcp-orchestrator plugins test FILE --hook parse --kind ${kind} --input-file out.txt\`, or the whole read with \`mcp-orchestrator parse ${kind} out.txt --plugins DIR\`.`,
    details: { kind, owner },
    cause,
  })
}

/** The process-wide registry used by the driver and the `parse` command. */
export const defaultParserRegistry = new ParserRegistry()
