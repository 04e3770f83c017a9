/**
 * @module cli/commands/auth
 * `auth login <server>` / `auth status [--json]` / `auth logout <server>`: OAuth 2.1 for remote
 * servers (docs/auth.md). Tokens live in the state dir, one 0600 file per server; a running
 * `serve` picks a new login up at the server's next call, no restart needed.
 */
import type { Command } from "commander"
import { resolve } from "node:path"
import { authSettings, authStatus, authStatusChecked, badScopeTokens, defaultTokenStore, login, loginCommand, openUrl, RefreshLock, revokeTokens, setsAuthorizationHeader, type AuthStatusRow, type TokenStore } from "../../auth/index.ts"
import { invalidServerLines, suggest, type InvalidServer, type RemoteServerSpec } from "../../config/index.ts"
import { ConfigError, createLogger, createLogHub, parseDuration, routeConsole, setConfigHint } from "../../core/index.ts"
import { loadFromFlags, withConfigOptions, type ConfigFlags } from "../flags.ts"
import { leftOutJson, noteLeftOut } from "../left-out.ts"

/** A status row, with whether the config sends its own Authorization header (`staticHeader`). */
type StatusRow = AuthStatusRow & { staticHeader?: boolean }

function remoteServers(flags: ConfigFlags, stdio?: Set<string>, invalid?: InvalidServer[]): Map<string, RemoteServerSpec> {
  // loading merges Cursor's `mcpServers` into `servers`
  const loaded = loadFromFlags(flags)
  // the login command printed below names the config file this run was given (--config, MCPO_CONFIG), as serve's NEEDS_AUTH remedy does
  setConfigHint(loaded.file?.explicit ? resolve(loaded.file.path) : undefined)
  const all = loaded.config.servers
  invalid?.push(...(loaded.invalidServers ?? []))
  const out = new Map<string, RemoteServerSpec>()
  for (const name of Object.keys(all).sort()) {
    const spec = all[name]!
    if ("url" in spec) out.set(name, spec)
    else stdio?.add(name)
  }
  return out
}

function remoteServer(flags: ConfigFlags, server: string): RemoteServerSpec {
  const stdio = new Set<string>()
  const invalid: InvalidServer[] = []
  const all = remoteServers(flags, stdio, invalid)
  const spec = all.get(server)
  // its entry is invalid (serve leaves it out): its problems, not "no server of that name"
  const bad = spec ? undefined : invalid.find((s) => s.name === server)
  if (bad) throw new ConfigError(invalidServerLines([bad]), { remedy: bad.remedy })
  if (!spec) {
    const names = [...all.keys()]
    // a stdio server has no OAuth (its credentials go in its env); a misspelled name gets the closest one
    const meant = stdio.has(server) ? undefined : suggest(server, names)
    const problem = stdio.has(server)
      ? `servers.${server} is a stdio server (command), not a remote one (url): OAuth login is for remote servers; a stdio server takes its credentials in its env`
      : `servers.${server}: no remote server (with a url) of that name in the config${meant ? `; did you mean "${meant}"?` : ""}`
    throw new ConfigError([problem], {
      remedy: stdio.has(server)
        ? `Put the token the server's README names in servers.${server}.env (e.g. \${env:NAME} to take it from the environment)${names.length ? `; OAuth applies to: ${names.join(", ")}` : ""}.`
        : names.length
          ? `OAuth applies to servers with a url: ${names.join(", ")}`
          : "Add the server (with its url) under `servers` first.",
    })
  }
  return spec
}

/** What serve does with a login of a server whose config sends its own Authorization header: nothing. */
function headerNote(server: string): string {
  return `servers.${server}.headers sets Authorization, which serve sends instead of an OAuth token`
}

function line(r: StatusRow): string {
  // a static token in the config is what serve sends: no login is needed, and one on file is not used
  if (r.staticHeader && !r.loggedIn) return `${r.server}: no OAuth login needed (${headerNote(r.server)})`
  if (!r.loggedIn) return `${r.server}: not logged in${r.note ? ` (${r.note})` : ""} — run \`${loginCommand(r.server)}\``
  const parts = [`${r.server}: logged in`]
  if (r.expiresAt) parts.push(r.expired ? `access token expired ${r.expiresAt}${r.refreshable ? " (refreshed at next use)" : ""}` : `expires ${r.expiresAt}`)
  if (r.scopes?.length) parts.push(`scopes ${r.scopes.join(" ")}`)
  if (r.issuer) parts.push(`issuer ${r.issuer}`)
  parts.push(r.refreshable ? "refreshable" : "no refresh token")
  if (r.refusedAfterRefresh) parts.push(`but the server refused the access token its last refresh obtained, so it is not refreshed again: run \`${loginCommand(r.server)}\``)
  if (r.pkceUnlisted) parts.push("PKCE S256 assumed: the authorization server's metadata does not list code_challenge_methods_supported")
  if (r.issuerChanged) {
    const was = r.issuer ? `not ${r.issuer}, which issued this login` : "and this login does not say which one issued it"
    parts.push(`but the server's metadata names the authorization server ${r.metadataIssuer} now (${was}): the login is not used, run \`${loginCommand(r.server)}\``)
  } else if (r.issuerUnchecked) parts.push(`issuer not checked: ${r.issuerUnchecked}`)
  if (r.staticHeader) parts.push(`but this login is not used: ${headerNote(r.server)}; remove it to use the login`)
  return parts.join("; ")
}

export function register(program: Command): void {
  const cmd = program.command("auth").description("OAuth 2.1 for remote servers: log in, see status, log out")

  withConfigOptions(cmd.command("login").description("log in to a remote server in the browser ($BROWSER, else the system opener, else the URL is printed)").argument("<server>", "server name"))
    .option("--timeout <duration>", "how long to wait for the browser", "5m")
    .option("--scope <scopes>", "scopes to ask for on top of the login's own (space-separated), e.g. those a server's insufficient_scope error names")
    .action(async (server: string, o: ConfigFlags & { timeout: string; scope?: string }) => {
      const spec = remoteServer(o, server)
      // said before the browser opens: the login is kept, but serve sends the configured header
      if (setsAuthorizationHeader(spec)) process.stderr.write(`note: ${headerNote(server)}; remove it to use this login\n`)
      const timeoutMs = parseDuration(o.timeout)
      if (timeoutMs === undefined) throw new ConfigError([`--timeout: expected a duration such as "5m", got ${JSON.stringify(o.timeout)}`])
      const bad = o.scope !== undefined ? badScopeTokens(o.scope) : []
      if (o.scope !== undefined && (bad.length || !o.scope.trim())) {
        throw new ConfigError([`--scope: expected OAuth scopes separated by spaces (printable characters other than " \\ and '), got ${JSON.stringify(o.scope)}`])
      }
      const store = defaultTokenStore()
      // the SDK's warnings (an OAuth error it retries, quoting the token endpoint's answer, which may
      // quote the code exchange's form) become redacted log lines, as in serve (core/console-route)
      routeConsole(createLogger(createLogHub("warn"), "library"))
      await login({
        server,
        url: spec.url,
        settings: authSettings(spec.auth),
        store,
        timeoutMs,
        ...(o.scope !== undefined ? { addScope: o.scope } : {}),
        present: async (url) => {
          const opened = await openUrl(url.href)
          if (opened.via) process.stderr.write(`Opened the sign-in page for ${server} with ${opened.via}; if nothing opened, visit:\n  ${url.href}\n`)
          else process.stderr.write(`Open this URL in a browser to sign in to ${server}:\n  ${url.href}\n`)
          process.stderr.write("Waiting for the browser to come back…\n")
        },
      })
      const row = { ...authStatus(store, server, spec.url), ...(setsAuthorizationHeader(spec) ? { staticHeader: true } : {}) }
      process.stdout.write(`${line(row)}\ntokens stored in ${store.pathOf(server)}\n`)
    })

  withConfigOptions(cmd.command("status").description("per remote server: logged in, expiry, scopes, issuer and whether the server's metadata still names it (never the tokens)"))
    .option("--json", "as JSON")
    .action(async (o: ConfigFlags & { json?: boolean }) => {
      const store = defaultTokenStore()
      const invalid: InvalidServer[] = []
      // each login's issuer against what the server's metadata names now (nothing secret is sent)
      const rows: StatusRow[] = await Promise.all(
        [...remoteServers(o, undefined, invalid)].map(async ([name, spec]) => ({
          ...(await authStatusChecked(store, name, spec.url, authSettings(spec.auth))),
          ...(setsAuthorizationHeader(spec) ? { staticHeader: true } : {}),
        })),
      )
      if (o.json) {
        process.stdout.write(JSON.stringify({ dir: store.dir, servers: rows, ...leftOutJson(invalid) }, null, 2) + "\n")
        return
      }
      noteLeftOut("auth status", invalid, "not listed here until the entry is fixed")
      process.stdout.write(rows.length ? rows.map(line).join("\n") + "\n" : "no remote servers (with a url) in the config\n")
    })

  withConfigOptions(cmd.command("logout").description("revoke the tokens of a remote server (where the authorization server supports RFC 7009) and delete them").argument("<server>", "server name"))
    .action(async (server: string, o: ConfigFlags) => {
      const spec = remoteServer(o, server)
      const store = defaultTokenStore()
      // under the refresh lock of the running orchestrators: a refresh in flight stores its tokens
      // first (they are the ones revoked here), and none is made until the record is gone
      const release = await new RefreshLock(store.lockPathOf(server)).acquire()
      try {
        await logout(store, server, spec)
      } finally {
        release()
      }
    })
}

async function logout(store: TokenStore, server: string, spec: RemoteServerSpec): Promise<void> {
  const rec = store.read(server)
  if (!rec) {
    // a damaged or unreadable file: nothing can be revoked, the file goes (auth status named it)
    const problem = store.problemOf(server)
    // not a file (a directory someone made there): never removed with what it holds; said instead
    if (problem && !store.isFile(server)) process.stdout.write(`${server}: ${problem}; not deleted: remove it by hand, then \`auth login ${server}\`\n`)
    else if (problem && store.delete(server)) process.stdout.write(`${server}: ${problem}; deleted (nothing could be revoked)\n`)
    else process.stdout.write(`${server}: not logged in; nothing to do\n`)
    return
  }
  const settings = authSettings(spec.auth)
  const r = await revokeTokens(rec, {
    serverUrl: spec.url,
    ...(settings.clientSecret !== undefined ? { clientSecret: settings.clientSecret } : {}),
    ...(settings.allowPrivateAuthServers === true ? { allowPrivate: true } : {}),
  })
  store.delete(server)
  process.stdout.write(`${server}: logged out (revocation: ${r.outcome}); tokens deleted\n`)
}
