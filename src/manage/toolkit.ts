/**
 * @module mcp/tools/toolkit
 * The Docker MCP Toolkit management tools (catalog_search, servers_list, server_inspect,
 * server_enable/disable, toolkit_tools_list, config_get/set, secrets_list, toolkit_status).
 * Toolkit failures become `isError` results with a remedy; the server keeps serving.
 */
import { GATEWAY_HIDDEN_TOOLS, isOrchestratorError, REDACTED, ToolkitError, waitAtMost, type OrchestratorError } from "../core/index.ts"
import { ignoredProfileNote, partialOf, searchCatalog, toolkitLocated, type CallOptions, type ToolkitDriver } from "../docker/index.ts"
import { defineTool, type ToolContext, type ToolDef, type ToolOutput } from "../mcp/index.ts"
import { withCleanOutput } from "./clean-output.ts"
import { emptyCatalogText } from "./empty-catalog.ts"
import { undeclaredKeyNote } from "./config-keys.ts"
import { withLeftOut } from "./left-out.ts"
import { oneLine } from "./one-line.ts"
import { configValueAt, maskConfig, shownValue } from "./config-mask.ts"
import { allConfigView, flatten, nestDotted } from "./config-view.ts"
import { didYouMean, nearNames, nearNamesFirst, withNearNames } from "./near-names.ts"
import * as S from "./toolkit-schemas.ts"

export { oneLine }

export interface ToolkitToolsOptions {
  /**
   * Called after a successful enable/disable/config_set (refresh the gateway, invalidate caches).
   * A promise is awaited (at most CHANGE_WAIT_MS) before the tool answers, so the tool list a
   * client reads after "Disabled X" no longer holds X's tools.
   */
  onServersChanged?: () => void | Promise<unknown>
  /**
   * Asked after `onServersChanged` settled: a note for the model on what the change did to the
   * Toolkit's gateway (the tools call_tool reaches now, or why it failed to start), if any. Awaited
   * at most CHANGE_WAIT_MS; past that the answer says the gateway is still starting.
   */
  changeOutcome?: () => Promise<string | undefined> | undefined
  /** Asked before a mutation (e.g. via elicitation); anything but "accept" leaves it undone. Default: allowed. */
  confirm?: (action: { tool: string; summary: string }) => Promise<Consent>
  /** Only the read-only tools (no enable/disable/config_set). */
  readOnly?: boolean
}

/**
 * What came of asking the user to confirm a change: accepted, declined, dismissed without a
 * decision (cancel), or the question could not be asked (the client's elicitation failed). The
 * model is told which: a declined change is not asked for again, a dismissed one may be, and a
 * failed one was never seen by the user.
 */
export type Consent = "accept" | "decline" | "cancel" | { failed: string }

/** The answer of a mutation the user did not accept: what happened to the question, and that nothing changed. */
export function notConfirmed(summary: string, consent: Exclude<Consent, "accept">): string {
  if (consent === "decline") return `${summary}: declined by the user. Nothing was changed.`
  if (consent === "cancel") return `${summary}: the user dismissed the confirmation without deciding. Nothing was changed; ask again if the change is still wanted.`
  return `${summary}: could not ask the user to confirm: ${consent.failed}; nothing was changed.`
}

/**
 * What the example of an argument error names as the server: a placeholder, never a catalog name
 * (a model copies an example it is shown: `server_enable {name: "duckduckgo"}` would enable a server
 * nobody asked for, `config_set` write a made-up path). The docs keep their worked examples.
 */
const SERVER_PLACEHOLDER = "<server name from catalog_search or servers_list>"

const COMMON_ERRORS = ["DOCKER_NOT_FOUND", "TOOLKIT_NOT_INSTALLED", "TOOLKIT_BROKEN", "DAEMON_DOWN", "DESKTOP_NOT_RUNNING", "DESKTOP_STARTING", "FEATURE_DISABLED", "TIMEOUT", "UNKNOWN_FLAG", "OUTPUT_UNPARSEABLE", "COMMAND_FAILED"]

function failure(e: OrchestratorError): ToolOutput<never> {
  return { isError: true, text: `[${e.code}] ${e.describe()}` }
}

/** Runs a handler body; Toolkit errors (docker missing, daemon down…) become isError results. */
async function guarded<T>(fn: () => Promise<ToolOutput<T>>): Promise<ToolOutput<T>> {
  try {
    return await fn()
  } catch (e) {
    if (isOrchestratorError(e)) return failure(e)
    throw e
  }
}

/**
 * Legacy era: the servers the CLI's enable/disable left out of registry.yaml besides the one asked
 * for (it keeps only servers its catalog lists), said, never silently gone.
 */
function droppedLines(r: { dropped?: string[] }): string[] {
  if (!r.dropped?.length) return []
  const names = r.dropped.join(", ")
  return [
    `The Toolkit CLI also removed ${names} from its enabled servers: legacy \`docker mcp server enable/disable\` rewrites ~/.docker/mcp/registry.yaml keeping only servers its catalog lists, and ${r.dropped.length === 1 ? "this one is" : "these are"} not there (a custom catalog's, or one Docker's catalog no longer lists). Tell the user; to get ${r.dropped.length === 1 ? "it" : "them"} back, add ${r.dropped.length === 1 ? "it" : "them"} to registry.yaml by hand (\`${r.dropped[0]}: {ref: ""}\` under \`registry:\`) or to a catalog the CLI reads.`,
  ]
}

function callOpts(ctx: ToolContext): CallOptions {
  return { signal: ctx.signal, progress: (p, t, m) => ctx.progress(p, t, m) }
}

/** How long an enable/disable waits for the gateway to follow before it answers anyway. */
export const CHANGE_WAIT_MS = 5000
/** How long server_enable looks for required config that is not set before it answers without. */
export const MISSING_CONFIG_WAIT_MS = 5000

/** `look()`, or undefined when it fails or takes longer than MISSING_CONFIG_WAIT_MS (a look-up that is no step of the change). */
async function bestEffort<T>(look: () => Promise<T>): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([look(), new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), MISSING_CONFIG_WAIT_MS)))])
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

export function toolkitTools(driver: ToolkitDriver, opts: ToolkitToolsOptions = {}): ToolDef[] {
  /**
   * Tells the listener; returns its note on the outcome (the gateway's tools reachable now, or why it
   * failed to start), if it gives one within CHANGE_WAIT_MS after the change itself was followed.
   */
  const changed = async (): Promise<string | undefined> => {
    try {
      const p = opts.onServersChanged?.()
      if (p !== undefined) await waitAtMost(Promise.resolve(p), CHANGE_WAIT_MS)
      const outcome = opts.changeOutcome?.()
      if (outcome === undefined) return undefined
      let note: string | undefined
      let settled = false
      await waitAtMost(
        outcome.then((n) => {
          settled = true
          note = n || undefined
        }),
        CHANGE_WAIT_MS,
      )
      return settled ? note : "The Docker MCP gateway is still starting: its tools can be called with call_tool once it is up (search_tools finds them; orchestrator_status shows its state)."
    } catch {
      // a failing listener never fails the mutation that already happened
      return undefined
    }
  }
  const withNote = (text: string, note: string | undefined): string => (note ? `${text}\n${note}` : text)
  const allowed = async (tool: string, summary: string): Promise<ToolOutput<never> | undefined> => {
    const consent = opts.confirm ? await opts.confirm({ tool, summary }) : "accept"
    return consent === "accept" ? undefined : { isError: true, text: notConfirmed(summary, consent) }
  }
  /**
   * Runs a change whose driver call asks, through its `beforeChange`, once it knows something would
   * change (`allowed`: a re-enable or a disable of a server not enabled asks nobody): the refusal's
   * answer (`no`), or the change's result (`done`).
   */
  const askedBeforeChange = async <R>(tool: string, summary: string, change: (beforeChange: () => Promise<void>) => Promise<R>): Promise<{ done: R } | { no: ToolOutput<never> }> => {
    let no: ToolOutput<never> | undefined
    const refused = new Error("not confirmed")
    try {
      return {
        done: await change(async () => {
          no = await allowed(tool, summary)
          if (no) throw refused
        }),
      }
    } catch (e) {
      if (e === refused && no) return { no }
      throw e
    }
  }
  /** The command a user reads the unmasked config with (the era decides; a generic one when the Toolkit cannot say). */
  const readConfigCommand = async (ctx: ToolContext): Promise<string> => {
    try {
      const s = await driver.status(callOpts(ctx))
      return s.era === "legacy" ? "`docker mcp config read`" : `\`docker mcp profile config --get-all -- ${s.profile ?? "default"}\``
    } catch {
      return "`docker mcp profile config --get-all -- <profile>` (`docker mcp config read` on a Toolkit without profiles)"
    }
  }
  /** " (currently X)" / " (currently not set)" for a confirmation, or "" when the current value cannot be read. */
  const currently = async (server: string, key: string, ctx: ToolContext): Promise<string> => {
    let config: Record<string, unknown>
    try {
      config = (await driver.configGet(server, callOpts(ctx)))[server] ?? {}
    } catch {
      return "" // best effort: the change itself reports what is wrong
    }
    const at = configValueAt(config, key)
    return at.absent ? " (currently not set)" : ` (currently ${shownValue(key, at.value)})`
  }
  /**
   * The catalog's required config keys of `server` that are not set (best effort: [] when the
   * catalog or the config cannot be read within MISSING_CONFIG_WAIT_MS). In the profiles era the
   * gateway refuses to start a profile with such a server, so every Toolkit tool goes with it.
   */
  const missingConfig = async (server: string, ctx: ToolContext): Promise<string[]> => {
    const look = async (): Promise<string[]> => {
      // no progress: this look-up is not a step of the change the client follows
      const entry = (await driver.catalogShow(undefined, { signal: ctx.signal })).servers.find((s) => s.name === server)
      const required = [...new Set((entry?.config ?? []).flatMap((c) => (Array.isArray(c.required) ? c.required.filter((k): k is string => typeof k === "string") : [])))]
      if (required.length === 0) return []
      const config = (await driver.configGet(server, { signal: ctx.signal }))[server] ?? {}
      return required.filter((k) => configValueAt(config, k).absent)
    }
    return (await bestEffort(look)) ?? []
  }
  /**
   * The secrets `server`'s catalog entry declares that `secret ls` does not list (names only; best
   * effort, as missingConfig: [] when either cannot be read in time). Neither CLI says so at enable:
   * the gateway starts the server with `<UNKNOWN>` in their place and its tools fail to authenticate.
   */
  const missingSecrets = async (server: string, ctx: ToolContext): Promise<string[]> => {
    const look = async (): Promise<string[]> => {
      const entry = (await driver.catalogShow(undefined, { signal: ctx.signal })).servers.find((s) => s.name === server)
      const declared = [...new Set((entry?.secrets ?? []).map((s) => s.name))]
      if (declared.length === 0) return []
      const stored = new Set((await driver.secretsList({ signal: ctx.signal })).map((s) => s.name))
      // an OAuth sign-in stores the provider's token under its own name (`docker/mcp/oauth/github`,
      // listed as `github` from v0.39), and the gateway hands it over for the secret the catalog
      // entry's `oauth.providers[].secret` names (`github.personal_access_token`): only that secret,
      // and only for that provider, as the catalog says (before qa355 any secret whose first part
      // was a stored name counted, a guess: `atlassian.confluence_token` "stored" by the `atlassian`
      // sign-in for `atlassian.jira_token`, and a provider named unlike the secret never counted)
      const viaOAuth = new Map<string, string[]>()
      for (const p of entry?.oauth ?? []) if (p.secret) viaOAuth.set(p.secret, [...(viaOAuth.get(p.secret) ?? []), p.provider])
      const signedIn = (n: string): boolean => (viaOAuth.get(n) ?? []).some((p) => stored.has(p) || stored.has(`oauth/${p}`))
      return declared.filter((n) => !stored.has(n) && !signedIn(n))
    }
    return (await bestEffort(look)) ?? []
  }
  /**
   * config_set's note when the key is not one the server's catalog entry declares (`undeclaredKeyNote`):
   * best effort, as missingConfig (no note when the catalog cannot be read in time).
   */
  const undeclaredKey = (server: string, key: string, ctx: ToolContext): Promise<string | undefined> =>
    bestEffort(async () => undeclaredKeyNote((await driver.catalogShow(undefined, { signal: ctx.signal })).servers, server, key))
  /**
   * Profiles era: server_enable adds a server of Docker's catalog, and the CLI creates the profile
   * and pulls the catalog before it refuses a name that is not there (a typo such as `DuckDuckGo`):
   * such a name is refused first, nothing changed, with the names it may have meant (the same name
   * in other case first). Best effort: a catalog that cannot be read leaves the name to the CLI.
   */
  const checkInCatalog = async (name: string, ctx: ToolContext): Promise<void> => {
    let names: string[]
    let st: Awaited<ReturnType<ToolkitDriver["status"]>>
    try {
      st = await driver.status({ signal: ctx.signal })
      if (st.era !== "profiles") return
      const servers = (await driver.catalogShow(undefined, { signal: ctx.signal })).servers
      names = servers.map((s) => s.name)
      if (names.length === 0 || names.includes(name)) return
      names = nearNames(name, names, servers)
    } catch {
      return
    }
    const guess = names.length ? `${didYouMean(names, true)} ` : ""
    const refused = new ToolkitError("UNKNOWN_SERVER", `Server ${name} is not in the Docker MCP catalog (${guess}server names are case-sensitive); nothing was changed`, {
      remedy: names.length ? `Enable "${names[0]}" if that is the server meant, or search the catalog (catalog_search) for the exact name.` : "Search the catalog (catalog_search) for the exact server name.",
      details: { server: name, ...(names.length ? { suggestions: names } : {}) },
    })
    throw toolkitLocated(refused, st.version, st.era)
  }
  /**
   * config_get's note when `server` is not enabled: whether Docker's catalog has it (enable it to
   * use it) or not (a typo: names are case-sensitive). Best effort, as missingConfig: no note when
   * the server list cannot be read in time; no catalog verdict when the catalog cannot.
   */
  const notEnabledNote = (server: string, ctx: ToolContext): Promise<string | undefined> =>
    bestEffort(async () => {
      const enabled = await driver.serversList({ signal: ctx.signal })
      if (enabled.some((s) => s.name === server)) return undefined
      const catalog = await bestEffort(async () => (await driver.catalogShow(undefined, { signal: ctx.signal })).servers.map((s) => s.name))
      // the same name in other case among the enabled servers first (the one whose config was meant), then the catalog's
      const guess = nearNamesFirst(server, enabled.map((s) => s.name), catalog ?? [])
      const meant = guess.length ? ` ${didYouMean(guess)}` : ""
      if (catalog !== undefined && catalog.length > 0 && !catalog.includes(server))
        return `${server} is not enabled and not in the Docker MCP catalog (server names are case-sensitive): servers_list shows the enabled servers, catalog_search finds the exact name.${meant}`
      return `${server} is not enabled (servers_list shows the enabled servers): its configuration is used once it is enabled (server_enable).${meant}`
    })
  /**
   * Runs `fn`; an UNKNOWN_SERVER it throws gets "did you mean" from the catalog's names or the
   * enabled servers (best effort, as missingConfig): `Filesystem` for `filesystem` in every era and
   * tool, not only where the CLI happens to suggest it.
   */
  const guessing = async <T>(name: string, ctx: ToolContext, from: "catalog" | "enabled", use: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (e) {
      if (!(e instanceof ToolkitError) || e.code !== "UNKNOWN_SERVER") throw e
      const names = await bestEffort(async () => {
        if (from === "enabled") return nearNames(name, (await driver.serversList({ signal: ctx.signal })).map((s) => s.name))
        const servers = (await driver.catalogShow(undefined, { signal: ctx.signal })).servers
        return nearNames(name, servers.map((s) => s.name), servers)
      })
      throw withNearNames(e, names, use)
    }
  }
  /**
   * config_set's note when the server is neither enabled nor in Docker's catalog (the legacy CLI
   * stores a value under any name, `Filesystem` for `filesystem` included, and nothing reads it):
   * said, with the name meant. Best effort, as missingConfig; a custom catalog's server that is
   * enabled gets no note.
   */
  const unknownServerNote = (server: string, ctx: ToolContext): Promise<string | undefined> =>
    bestEffort(async () => {
      const enabled = (await driver.serversList({ signal: ctx.signal })).map((s) => s.name)
      if (enabled.includes(server)) return undefined
      const servers = (await driver.catalogShow(undefined, { signal: ctx.signal })).servers
      if (servers.length === 0 || servers.some((s) => s.name === server)) return undefined
      const guess = nearNamesFirst(server, enabled, servers.map((s) => s.name))
      return `Warning: ${server} is neither enabled nor in the Docker MCP catalog (server names are case-sensitive), so no server reads this value.${guess.length ? ` ${didYouMean(guess)}` : ""} servers_list shows the enabled servers.`
    })
  const RO = { readOnlyHint: true, idempotentHint: true, openWorldHint: false }
  /**
   * The CLI changed under this connection since its last Toolkit answer (an upgrade or downgrade in
   * place, profiles switched): the next answer says so once, first, so the model does not read a
   * different server list, configuration or error wording as its own doing.
   */
  let seenChange = driver.lastChange?.()?.seq ?? 0
  const changeNote = (): string | undefined => {
    const last = driver.lastChange?.()
    if (!last || last.seq === seenChange) return undefined
    seenChange = last.seq
    const { from, to } = last.change
    const side = (s: typeof from): string => `${s.version} (${s.era} era${s.profile ? `, profile ${s.profile}` : ""})`
    return `Note: the Docker MCP Toolkit changed since its last answer here: ${side(from)} → ${side(to)}. What follows comes from the new CLI (its server list, configuration and messages); the Toolkit gateway is started again with it.`
  }
  const withChangeNote = (def: ToolDef): ToolDef => ({
    ...def,
    handler: async (args, ctx: ToolContext) => {
      const out: ToolOutput = await def.handler(args, ctx)
      const note = changeNote()
      return note ? { ...out, text: `${note}\n${out.text}` } : out
    },
  })

  const read: ToolDef[] = [
    defineTool({
      name: "catalog_search",
      title: "Search the Docker MCP catalog",
      description: "Search Docker's MCP server catalog by words in server names, titles, descriptions, tags and tools, best matches first. Returns the servers with what setup they need (secrets, config). The first call may pull the catalog.",
      input: S.CatalogSearchInput,
      output: S.CatalogSearchOutput,
      annotations: RO,
      example: { input: { query: "web search", limit: 3 }, output: { query: "web search", count: 1, servers: [{ name: "duckduckgo", title: "DuckDuckGo", description: "Web search through DuckDuckGo", type: "server", category: "search", tags: ["search", "web"], tools: 2, needsSecrets: false, needsConfig: false }] } },
      errors: [...COMMON_ERRORS, "UNKNOWN_CATALOG"],
      handler: (a, ctx) =>
        guarded(async () => {
          // the catalog itself, not catalogSearch: it carries what its read left out (cached with it)
          const catalog = await driver.catalogShow(undefined, callOpts(ctx))
          const hits = searchCatalog(catalog.servers, a.query, a.limit).map(S.searchHit)
          const text = hits.length ? hits.map((h) => `- ${oneLine(h.name)}${h.title ? ` (${oneLine(h.title)})` : ""}: ${oneLine(h.description)}${h.needsSecrets ? " [needs secrets]" : ""}${h.needsConfig ? " [needs config]" : ""}`).join("\n") : catalog.servers.length === 0 ? emptyCatalogText(catalog, a.query) : `No catalog server matches "${a.query}".`
          return withLeftOut({ text, structured: { query: a.query, count: hits.length, servers: hits } }, catalog.leftOut)
        }),
    }),
    defineTool({
      name: "servers_list",
      title: "List enabled Toolkit servers",
      description: "List the MCP servers enabled in the Docker MCP Toolkit (the active profile's servers in the profiles era), with their setup state.",
      input: S.EmptyInput,
      output: S.ServersOutput,
      annotations: RO,
      example: { input: {}, output: { servers: [{ name: "duckduckgo", description: "Web search", profile: "default", tools: null }] } },
      errors: COMMON_ERRORS,
      handler: (_a, ctx) =>
        guarded(async () => {
          const listed = await driver.serversList(callOpts(ctx))
          const servers = listed.map((s) => ({ name: s.name, description: S.listText(s.description), profile: s.profile, secrets: s.secrets, config: s.config, oauth: s.oauth, tools: s.tools }))
          const text = servers.length ? servers.map((s) => `- ${oneLine(s.name)}${s.description ? `: ${oneLine(s.description)}` : ""}`).join("\n") : "No server is enabled."
          // the list's own note (docker/partial), not the last read of its kind: a list served from
          // the cache in another process, or by another profile's driver, is told as it was read
          return withLeftOut({ text, structured: { servers } }, partialOf(listed))
        }),
    }),
    defineTool({
      name: "server_inspect",
      title: "Inspect a catalog server",
      description: "Show a catalog server's tools, readme, configuration schema and required secrets.",
      input: S.InspectInput,
      output: S.InspectOutput,
      annotations: RO,
      example: { input: { name: "duckduckgo" }, output: { name: "duckduckgo", tools: [{ name: "search", description: "Search DuckDuckGo", enabled: true }], readme: "# DuckDuckGo\n" } },
      answerExample: () => ({ name: SERVER_PLACEHOLDER }),
      errors: [...COMMON_ERRORS, "INVALID_NAME", "UNKNOWN_SERVER", "UNKNOWN_CATALOG"],
      handler: (a, ctx) =>
        guarded(async () => {
          const info = await guessing(a.name, ctx, "catalog", 'Inspect "{}" if that is the server meant.', () => driver.serverInspect(a.name, callOpts(ctx)))
          const v = S.inspectView(a.name, info, a.offset)
          const text = [
            `${oneLine(v.name)}${v.description ? `: ${oneLine(v.description)}` : ""}`,
            `tools (${info.tools.length}):`,
            ...v.tools.map((t) => `  - ${oneLine(t.name)}${t.enabled === false ? " (disabled)" : ""}: ${oneLine(t.description)}`),
            ...(v.cut ?? []).map((c) => `(${c})`),
            "",
            v.readme,
          ].join("\n")
          return withLeftOut({ text, structured: v }, info.leftOut)
        }),
    }),
    defineTool({
      name: "toolkit_tools_list",
      title: "List the Toolkit gateway's tools",
      description: "List the tools the Docker MCP gateway exposes for the enabled servers (starts the servers once, can take several seconds).",
      input: S.ToolsListInput,
      output: S.ToolsOutput,
      annotations: RO,
      example: { input: {}, output: { count: 1, tools: [{ name: "search", description: "Search DuckDuckGo" }] } },
      errors: [...COMMON_ERRORS, "MISSING_CONFIG"],
      handler: (a, ctx) =>
        guarded(async () => {
          const all = await driver.toolsList(callOpts(ctx))
          // the gateway's built-in tools its session denies (mcp-add, mcp-exec…) are not shown: call_tool refuses them
          const listed = all.filter((t) => !GATEWAY_HIDDEN_TOOLS.includes(t.name))
          const hidden = all.length - listed.length
          const page = S.toolsPage(listed.map((t) => ({ name: t.name, description: t.description })), a.offset)
          const note = S.pageNote(listed.length, a.offset, page.tools.length, page.nextOffset, "toolkit_tools_list")
          const lines = page.tools.map((t) => `- ${oneLine(t.name)}: ${oneLine(t.description)}`)
          const hiddenNote = hidden ? `\n(${hidden} of the gateway's built-in tools not listed: they change servers, config or profiles, or call tools by name, without asking the user; server_enable, server_disable, config_set and call_tool do that.)` : ""
          const text = `${listed.length} tools${note ? ` (${note.replace(/\.$/, "")})` : ""}:\n${lines.join("\n")}${hiddenNote}`
          return withLeftOut({ text, structured: { count: listed.length, ...page } }, partialOf(all))
        }),
    }),
    defineTool({
      name: "config_get",
      title: "Get a server's configuration",
      description: "Show the configuration values set for one Toolkit server, or for every server when `server` is omitted (one block per server). Values of secret-looking keys (token, password, api_key…) and credentials in URLs are shown as [REDACTED].",
      input: S.ConfigGetInput,
      output: S.ConfigGetOutput,
      annotations: RO,
      example: { input: { server: "filesystem" }, output: { server: "filesystem", config: { paths: ["/home/me/projects"] } } },
      answerExample: () => ({ server: SERVER_PLACEHOLDER }),
      errors: [...COMMON_ERRORS, "INVALID_NAME", "UNKNOWN_PROFILE"],
      handler: (a, ctx) =>
        guarded(async () => {
          if (a.server === undefined) {
            const every = await driver.configGet(undefined, callOpts(ctx))
            const v = allConfigView(every)
            const text = v.hidden.length ? `${v.text}\nValues of secret-looking keys and credentials in URLs are not shown here; the user can read them with ${await readConfigCommand(ctx)}.` : v.text
            const structured: S.ConfigGetOut = { servers: v.servers, ...(v.hidden.length ? { hidden: v.hidden } : {}) }
            return withLeftOut({ text, structured }, partialOf(every))
          }
          const all = await driver.configGet(a.server, callOpts(ctx))
          // a read that left keys or entries out is said, not answered as the whole configuration
          const left = partialOf(all)
          // the same view in both eras: nested maps in structuredContent, dotted keys in the text
          const { config, hidden } = maskConfig(nestDotted(all[a.server] ?? {}))
          const keys = Object.entries(config)
          // a server that is not enabled (a typo, one disabled since): said so, or "no configuration" reads as "ready to run"
          const off = await notEnabledNote(a.server, ctx)
          if (!keys.length) return withLeftOut({ text: withNote(`No configuration set for ${a.server}.`, off), structured: { server: a.server, config, ...(off ? { enabled: false as const } : {}) } }, left)
          const why = new Map(hidden.map((h) => [h.key, h.why]))
          const line = (w: string | undefined, [k, v]: [string, unknown]): string => {
            if (v === REDACTED) return `${a.server}.${k} = ${REDACTED} (${w ?? "secret-looking key"})`
            // a key's other leaves (auth.username beside a hidden auth.token) carry no note
            const json = JSON.stringify(v) ?? String(v)
            return `${a.server}.${k} = ${json}${w && json.includes(REDACTED) ? ` (${w} hidden)` : ""}`
          }
          const lines = keys.flatMap(([k, v]) => {
            const flat: Array<[string, unknown]> = []
            flatten(k, v, flat)
            return flat.map((e) => line(why.get(k), e))
          })
          if (off) lines.push(off)
          if (hidden.length) lines.push(`Values of secret-looking keys and credentials in URLs are not shown here; the user can read them with ${await readConfigCommand(ctx)}.`)
          return withLeftOut({ text: lines.join("\n"), structured: { server: a.server, config, ...(hidden.length ? { hidden: hidden.map((h) => h.key) } : {}), ...(off ? { enabled: false as const } : {}) } }, left)
        }),
    }),
    defineTool({
      name: "secrets_list",
      title: "List Toolkit secret names",
      description: "List the names (never the values) of the secrets stored for Toolkit servers.",
      input: S.EmptyInput,
      output: S.SecretsOutput,
      annotations: RO,
      example: { input: {}, output: { secrets: [{ name: "github.personal_access_token", provider: "docker-pass" }] } },
      errors: [...COMMON_ERRORS, "PASS_MISSING"],
      handler: (_a, ctx) =>
        guarded(async () => {
          const secrets = await driver.secretsList(callOpts(ctx))
          return withLeftOut({ text: secrets.length ? secrets.map((s) => `- ${oneLine(s.name)}${s.provider ? ` (${oneLine(s.provider)})` : ""}`).join("\n") : "No secrets stored.", structured: { secrets } }, partialOf(secrets))
        }),
    }),
    defineTool({
      name: "toolkit_status",
      title: "Docker MCP Toolkit status",
      description: "Report whether the Docker MCP Toolkit is usable: CLI era, version and profile, or what is wrong and how to fix it.",
      input: S.EmptyInput,
      output: S.ToolkitStatusOutput,
      annotations: RO,
      example: { input: {}, output: { available: true, era: "profiles", generation: "C", version: "v0.43.3", profile: "default" } },
      errors: [],
      async handler(_a, ctx) {
        try {
          const s = await driver.status(callOpts(ctx))
          const detectedBy = driver.detectedBy?.()
          const what = `Docker MCP Toolkit ${s.version} (${s.era} era, generation ${s.generation})${s.profile ? `, profile ${s.profile}` : ""}${detectedBy ? `; detected by ${detectedBy}` : ""}${s.ignoredProfile ? `. ${ignoredProfileNote(s.ignoredProfile, s.version)}` : ""}`
          // `docker mcp version` skips Docker Desktop's checks (toolkit.md §1): list the enabled servers,
          // what serve does first, so Desktop not running, the daemon down or the feature off is said here
          // too (before, the status read "usable" while every other Toolkit tool failed)
          try {
            await driver.serversList(callOpts(ctx))
          } catch (e) {
            if (!isOrchestratorError(e)) throw e
            return {
              text: `${what} is installed but not usable: [${e.code}] ${e.describe()}`,
              structured: { available: false, ...s, ...(detectedBy ? { detectedBy } : {}), error: { code: e.code, message: e.message, ...(e.remedy ? { remedy: e.remedy } : {}) } },
            }
          }
          return { text: what, structured: { available: true, ...s, ...(detectedBy ? { detectedBy } : {}) } }
        } catch (e) {
          if (!isOrchestratorError(e)) throw e
          return {
            text: `Docker MCP Toolkit unavailable: [${e.code}] ${e.describe()}`,
            structured: { available: false, era: null, generation: null, version: null, profile: null, error: { code: e.code, message: e.message, ...(e.remedy ? { remedy: e.remedy } : {}) } },
          }
        }
      },
    }),
  ] as ToolDef[]
  if (opts.readOnly) return read.map(withCleanOutput).map(withChangeNote)

  const MUT = { readOnlyHint: false, idempotentHint: true, openWorldHint: false }
  const write: ToolDef[] = [
    defineTool({
      name: "server_enable",
      title: "Enable a Toolkit server",
      description: "Enable a catalog server in the Docker MCP Toolkit (adds it to the active profile in the profiles era). The answer comes once the gateway has followed and names the tools now callable through call_tool (a client that does not re-list, such as Cursor, reaches them there), or says why the gateway failed.",
      input: S.NameInput,
      output: S.MutationOutput,
      annotations: { ...MUT, destructiveHint: false },
      example: { input: { name: "duckduckgo" }, output: { server: "duckduckgo", era: "profiles", profile: "default" } },
      answerExample: () => ({ name: SERVER_PLACEHOLDER }),
      errors: [...COMMON_ERRORS, "INVALID_NAME", "UNKNOWN_SERVER", "UNKNOWN_PROFILE", "UNKNOWN_CATALOG"],
      handler: (a, ctx) =>
        guarded(async () => {
          await checkInCatalog(a.name, ctx)
          // asked once the driver knows the server is not enabled yet: a re-enable changes nothing, so nobody is asked
          const asked = await askedBeforeChange("server_enable", `Enable server ${a.name}`, (beforeChange) =>
            guessing(a.name, ctx, "catalog", 'Enable "{}" if that is the server meant.', () => driver.serverEnable(a.name, { ...callOpts(ctx), beforeChange })),
          )
          if ("no" in asked) return asked.no
          const r = asked.done
          const [missing, secretsMissing] = await Promise.all([missingConfig(a.name, ctx), missingSecrets(a.name, ctx)])
          // already there: nothing changed, so the gateway has nothing to follow
          const note = r.unchanged ? undefined : await changed()
          const text = r.unchanged ? `${a.name} is already enabled${r.profile ? ` in profile ${r.profile}` : ""}; nothing was changed.` : `Enabled ${a.name}${r.profile ? ` in profile ${r.profile}` : ""}.`
          const lines = [withNote(text, note), ...droppedLines(r)]
          let structured: S.MutationOutputT = r
          // missing config: the gateway's failure is that, said below in the model's terms
          if (missing.length > 0) {
            const effect =
              r.era === "profiles"
                ? `Until it is set, the Docker MCP gateway refuses to start profile ${r.profile ?? "default"}: none of the Toolkit's tools are available (not only ${a.name}'s).`
                : `Until it is set, ${a.name} may fail to start and its tools may be missing.`
            lines.push(`${a.name} needs configuration before it can run: ${missing.join(", ")} (not set). ${effect} Set it with config_set (server "${a.name}", key "${missing[0]}"), or disable ${a.name} again.`)
            structured = { ...structured, missingConfig: missing }
          }
          // names only: a secret's value never passes through the model (nor config_set's command line)
          if (secretsMissing.length > 0) {
            const cmds = secretsMissing.map((n) => `\`docker mcp secret set ${n}\``).join(", ")
            lines.push(
              `${a.name} needs ${secretsMissing.length === 1 ? "a secret that is" : "secrets that are"} not stored: ${secretsMissing.join(", ")}. Until then the gateway starts it without ${secretsMissing.length === 1 ? "it" : "them"} and its tools fail to authenticate. Ask the user to run ${cmds} in a terminal (the value is read from stdin); never ask for the value here or pass it to config_set.`,
            )
            structured = { ...structured, missingSecrets: secretsMissing }
          }
          return { text: lines.join("\n"), structured }
        }),
    }),
    defineTool({
      name: "server_disable",
      title: "Disable a Toolkit server",
      description: "Disable a server in the Docker MCP Toolkit (removes it from the active profile in the profiles era). The answer comes once the gateway has followed: its tools are gone then.",
      input: S.NameInput,
      output: S.MutationOutput,
      annotations: { ...MUT, destructiveHint: true },
      example: { input: { name: "duckduckgo" }, output: { server: "duckduckgo", era: "legacy", profile: null } },
      answerExample: () => ({ name: SERVER_PLACEHOLDER }),
      errors: [...COMMON_ERRORS, "INVALID_NAME", "UNKNOWN_SERVER", "UNKNOWN_PROFILE"],
      handler: (a, ctx) =>
        guarded(async () => {
          // asked once the driver knows the server is enabled: disabling one that is not changes nothing
          const asked = await askedBeforeChange("server_disable", `Disable server ${a.name}`, (beforeChange) =>
            guessing(a.name, ctx, "enabled", 'Disable "{}" if that is the server meant.', () => driver.serverDisable(a.name, { ...callOpts(ctx), beforeChange })),
          )
          if ("no" in asked) return asked.no
          const r = asked.done
          const note = await changed()
          return { text: [withNote(`Disabled ${a.name}${r.profile ? ` in profile ${r.profile}` : ""}.`, note), ...droppedLines(r)].join("\n"), structured: r }
        }),
    }),
    defineTool({
      name: "config_set",
      title: "Set a server configuration value",
      description:
        "Set one configuration value of a Toolkit server (e.g. filesystem paths). The value is any JSON value. The user's confirmation shows the key, the value and the value it replaces. The Toolkit CLI takes the value on its command line, where other users of this machine can see it while it runs: never put a token, password or API key here; secrets are set by the user with `docker mcp secret set NAME` (value read from stdin). In the profiles era a server whose name holds a dot cannot be configured (the CLI splits server.key at the first dot).",
      input: S.ConfigSetInput,
      output: S.MutationOutput,
      annotations: { ...MUT, destructiveHint: false },
      example: { input: { server: "filesystem", key: "paths", value: ["/home/me/projects"] }, output: { server: "filesystem", era: "profiles", profile: "default" } },
      answerExample: () => ({ server: SERVER_PLACEHOLDER, key: "<key>", value: "<value>" }),
      errors: [...COMMON_ERRORS, "INVALID_NAME", "INVALID_VALUE", "UNKNOWN_PROFILE", "UNKNOWN_SERVER"],
      handler: (a, ctx) =>
        guarded(async () => {
          // the value and what it replaces: the model chose the value, the user must see it to approve it
          const no = opts.confirm ? await allowed("config_set", `Set ${a.server}.${a.key} to ${shownValue(a.key, a.value)}${await currently(a.server, a.key, ctx)}`) : undefined
          if (no) return no
          const r = await guessing(a.server, ctx, "enabled", 'Configure "{}" if that is the server meant.', () => driver.configSet(a.server, a.key, a.value, callOpts(ctx)))
          const note = await changed()
          const undeclared = (await undeclaredKey(a.server, a.key, ctx)) ?? (await unknownServerNote(a.server, ctx))
          return { text: withNote(withNote(`Set ${a.server}.${a.key}.`, note), undeclared), structured: r }
        }),
    }),
  ] as ToolDef[]
  return [...read.slice(0, 3), ...write.slice(0, 2), ...read.slice(3, 5), write[2] as ToolDef, ...read.slice(5)].map(withCleanOutput).map(withChangeNote)
}
