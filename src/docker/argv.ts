/**
 * @module docker/argv
 * Pure argv builders, one per operation and era (the `docker` executable itself is not included).
 * Flags are fixed tokens; user values are validated, then placed after `--` or glued into one
 * `--flag=value` token, so no user value can ever be parsed as a flag.
 */
import { ToolkitError } from "../core/index.ts"
import { encodeConfigValue, validateName } from "./names.ts"
import { PROFILES_MIN_MINOR, type EraInfo } from "./era.ts"
import { checkCatalog, DOCKER_CATALOG_REF, LEGACY_DOCKER_CATALOG } from "./catalog-ref.ts"

/** Docker's catalog: legacy name and OCI reference. */
export { DOCKER_CATALOG_REF, LEGACY_DOCKER_CATALOG }
export const DEFAULT_PROFILE = "default"

type Argv = string[]

export const common = {
  version: (): Argv => ["mcp", "version"],
  /** Era probe: exit 0 + JSON array ⇒ profiles are on. */
  profileProbe: (): Argv => ["mcp", "profile", "list", "--format", "json"],
  secretsList: (): Argv => ["mcp", "secret", "ls", "--json"],
}

export const legacy = {
  serversList: (): Argv => ["mcp", "server", "ls", "--json"],
  enable: (name: string): Argv => ["mcp", "server", "enable", "--", validateName("server", name)],
  disable: (name: string): Argv => ["mcp", "server", "disable", "--", validateName("server", name)],
  inspect: (name: string): Argv => ["mcp", "server", "inspect", "--", validateName("server", name)],
  catalogsList: (): Argv => ["mcp", "catalog", "ls", "--format", "json"],
  /** The name is always passed: it is required (ExactArgs) up to v0.9. */
  catalogShow: (name: string = LEGACY_DOCKER_CATALOG): Argv => ["mcp", "catalog", "show", "--format", "json", "--", checkCatalog("legacy", name)],
  configRead: (): Argv => ["mcp", "config", "read"],
  /** `yaml` is the whole config file, produced by us from validated keys. */
  configWrite: (yaml: string): Argv => {
    if (yaml.includes("\u0000")) throw new Error("config YAML contains NUL")
    return ["mcp", "config", "write", "--", yaml]
  },
  toolsList: (): Argv => ["mcp", "tools", "ls", "--format", "json"],
  gateway: (): Argv => ["mcp", "gateway", "run", "--long-lived"],
}

/**
 * `docker mcp profile config --set|--get|--del <server>.<key>` takes the server to be everything
 * before the first dot (toolkit.md: "the server is the part before the first dot"); nothing in the
 * CLI quotes or escapes a dot. A server whose name holds one cannot be addressed: refused, never sent.
 */
export function profileConfigServer(server: string, key: string): string {
  validateName("server", server)
  const dot = server.indexOf(".")
  if (dot === -1) return server
  throw new ToolkitError("INVALID_NAME", `Server name ${JSON.stringify(server)} holds a dot: \`docker mcp profile config --set\` reads "<server>.<key>" up to the first dot as the server, so ${JSON.stringify(`${server}.${key}`)} would set key ${JSON.stringify(`${server.slice(dot + 1)}.${key}`)} of server ${JSON.stringify(server.slice(0, dot))} instead; nothing was sent`, {
    remedy: "The Toolkit CLI cannot set the configuration of a server whose name holds a dot. Edit it in an exported profile instead (`docker mcp profile export <profile> <file>`, change that server's config, `docker mcp profile import <file>`), or use the server under a name without dots.",
    details: { kind: "server", server },
  })
}

/**
 * v0.28, the first `profile` release, spells three commands its own way (mcp-gateway
 * cmd/docker-mcp/commands/workingset.go, catalog_next.go @v0.28.0): `profile server add` takes
 * catalog servers as `--catalog=REF --catalog-server=NAME` (a `catalog://` URI is refused: "invalid
 * server value"), servers are listed by `profile servers --profile=ID` (`profile server ls` came in
 * v0.29), and `catalog-next show` has no `--pull`. A CLI whose version cannot be read is taken as a
 * recent one.
 */
export function isV028(info: EraInfo): boolean {
  // exactly v0.28.x: a profiles-era CLI numbered below it (a misreported version, which the era
  // probe settled) has the recent commands, as one whose version cannot be read
  return info.semver !== null && info.semver.major === 0 && info.semver.minor === PROFILES_MIN_MINOR
}

export const profiles = {
  list: (): Argv => ["mcp", "profile", "list", "--format", "json"],
  show: (id: string): Argv => ["mcp", "profile", "show", "--format", "json", "--", validateName("profile", id)],
  /** `server`: created holding this catalog server (`catalog://` URIs in `create` from v0.29). */
  create: (id: string, name: string, server?: string, catalogRef: string = DOCKER_CATALOG_REF): Argv => {
    validateName("profile", id)
    validateName("profile", name)
    if (server === undefined) return ["mcp", "profile", "create", `--name=${name}`, `--id=${id}`]
    validateName("server", server)
    checkCatalog("profiles", catalogRef)
    return ["mcp", "profile", "create", `--name=${name}`, `--id=${id}`, `--server=catalog://${catalogRef}/${server}`]
  },
  /** Servers of one profile (`profile server ls` only knows `-f name=X|profile=Y` filters). */
  serversList: (info: EraInfo, id: string): Argv =>
    isV028(info)
      ? ["mcp", "profile", "servers", "--format", "json", `--profile=${validateName("profile", id)}`]
      : ["mcp", "profile", "server", "ls", "--format", "json", `--filter=profile=${validateName("profile", id)}`],
  enable: (info: EraInfo, id: string, name: string, catalogRef: string = DOCKER_CATALOG_REF): Argv => {
    validateName("profile", id)
    validateName("server", name)
    checkCatalog("profiles", catalogRef)
    if (isV028(info)) return ["mcp", "profile", "server", "add", `--catalog=${catalogRef}`, `--catalog-server=${name}`, "--", id]
    return ["mcp", "profile", "server", "add", `--server=catalog://${catalogRef}/${name}`, "--", id]
  },
  /** `--name` works on every version (older ones take no positional names). */
  disable: (id: string, name: string): Argv => {
    validateName("profile", id)
    validateName("server", name)
    return ["mcp", "profile", "server", "remove", `--name=${name}`, "--", id]
  },
  configGetAll: (id: string): Argv => ["mcp", "profile", "config", "--get-all", "--format", "json", "--", validateName("profile", id)],
  /**
   * The value is JSON-encoded (the CLI parses `--set` values as JSON when possible). A server name
   * holding a dot is refused: the CLI splits `<server>.<key>` at the first dot, so the key would
   * land on another server (`profileConfigServer`).
   */
  configSet: (id: string, server: string, key: string, value: unknown): Argv => {
    validateName("profile", id)
    profileConfigServer(server, key)
    validateName("config key", key)
    return ["mcp", "profile", "config", `--set=${server}.${key}=${encodeConfigValue(value)}`, "--", id]
  },
  catalogsList: (info: EraInfo): Argv => ["mcp", info.ociCatalogCommand, "list", "--format", "json"],
  /** `--pull missing` from v0.29; on v0.28 an unpulled catalog is "not found" and the driver pulls it (`withCatalog`). */
  catalogShow: (info: EraInfo, ref: string = DOCKER_CATALOG_REF): Argv => [
    "mcp", info.ociCatalogCommand, "show", "--format", "json", ...(isV028(info) ? [] : ["--pull", "missing"]), "--", checkCatalog("profiles", ref, info.version),
  ],
  catalogPull: (info: EraInfo, ref: string = DOCKER_CATALOG_REF): Argv => ["mcp", info.ociCatalogCommand, "pull", "--", checkCatalog("profiles", ref, info.version)],
  inspect: (info: EraInfo, name: string, ref: string = DOCKER_CATALOG_REF): Argv => {
    checkCatalog("profiles", ref, info.version)
    validateName("server", name)
    return ["mcp", info.ociCatalogCommand, "server", "inspect", "--format", "json", "--", ref, name]
  },
  /** `tools ls` lists the `default` profile; another profile goes through one fixed gateway flag. */
  toolsList: (id: string): Argv => {
    validateName("profile", id)
    const base = ["mcp", "tools", "ls", "--format", "json"]
    return id === DEFAULT_PROFILE ? base : [...base, `--gateway-arg=--profile=${id}`]
  },
  gateway: (id: string): Argv => ["mcp", "gateway", "run", "--profile", validateName("profile", id), "--long-lived"],
}
