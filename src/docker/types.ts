/**
 * @module docker/types
 * Normalized domain types for everything the Toolkit CLI prints, as zod schemas (the single source
 * of truth). Every era's output is parsed into these; unknown fields are dropped, all but names optional.
 */
import { z } from "zod"

/** `legacy` = file-based commands (era A, and B with profiles off); `profiles` = profile commands (B with profiles on, C). */
export const EraSchema = z.enum(["legacy", "profiles"])
export type Era = z.infer<typeof EraSchema>

/** Policy decision; only present for denied/errored decisions (v0.38+, enterprise). */
export const PolicySchema = z.object({ allowed: z.boolean(), reason: z.string().optional(), error: z.string().optional() })
export type Policy = z.infer<typeof PolicySchema>

export const SetupStatusSchema = z.enum(["none", "required", "partial", "done"])

/** One enabled server (legacy `server ls`, or a server of a profile). */
export const ServerSummarySchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  title: z.string().optional(),
  secrets: SetupStatusSchema.optional(),
  config: SetupStatusSchema.optional(),
  oauth: SetupStatusSchema.optional(),
  policy: PolicySchema.optional(),
  /** Profiles era: the profile this server belongs to. */
  profile: z.string().optional(),
  /** Profiles era: `image` | `registry` | `remote`. */
  type: z.string().optional(),
  image: z.string().optional(),
  /** Profiles era: enabled tools; `null` = all tools. */
  tools: z.array(z.string()).nullable().optional(),
})
export type ServerSummary = z.infer<typeof ServerSummarySchema>
export const ServerListSchema = z.array(ServerSummarySchema)

/** A tool as listed by `tools ls` (go-sdk or mcp-go shape) or derived from catalog `arguments`. */
export const ToolSchema = z.object({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
})
export type Tool = z.infer<typeof ToolSchema>
export const ToolListSchema = z.array(ToolSchema)

/** A tool of a catalog entry / inspect result. `enabled` is unknown (absent) before v0.16. */
export const ServerToolSchema = ToolSchema.extend({ enabled: z.boolean().optional(), policy: PolicySchema.optional() })
export type ServerTool = z.infer<typeof ServerToolSchema>

export const RemoteSchema = z.object({
  url: z.string().optional(),
  transportType: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
})

/** One server of a catalog (legacy tile, typed document, or OCI snapshot). */
export const CatalogServerSchema = z.object({
  name: z.string().min(1),
  type: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  image: z.string().optional(),
  icon: z.string().optional(),
  readme: z.string().optional(),
  remote: RemoteSchema.optional(),
  longLived: z.boolean().optional(),
  prefix: z.string().optional(),
  secrets: z.array(z.object({ name: z.string(), env: z.string().optional() })).optional(),
  /** OAuth sign-ins the entry offers: `secret` is the secret a provider's token stands for. */
  oauth: z.array(z.object({ provider: z.string(), secret: z.string().optional(), env: z.string().optional() })).optional(),
  /** JSON-schema objects describing the server's configuration. */
  config: z.array(z.record(z.string(), z.unknown())).optional(),
  tools: z.array(ServerToolSchema).optional(),
  tags: z.array(z.string()).optional(),
  category: z.string().optional(),
  policy: PolicySchema.optional(),
})
export type CatalogServer = z.infer<typeof CatalogServerSchema>

/**
 * A read of a command's output that left entries out (shapes the driver does not know): what the
 * answer built from it must tell the model, so a partial list is never taken for the whole.
 */
export const LeftOutSchema = z.object({
  command: z.string().describe("The `docker mcp` command whose output was read"),
  version: z.string().describe("Toolkit CLI version (`v0.43.3`, or `unknown`)"),
  era: EraSchema.optional().describe("CLI era the output was read as"),
  count: z.number().int().describe("How many entries were left out, or listed only as printed (a name that is no UTF-8)"),
  entries: z.array(z.string()).describe("The first few of those entries and why (names kept, values masked)"),
  hint: z.string().describe("What makes the whole list readable"),
})
export type LeftOut = z.infer<typeof LeftOutSchema>

export const CatalogSchema = z.object({
  /** Legacy catalog name (`docker-mcp`) or OCI reference. */
  name: z.string().optional(),
  title: z.string().optional(),
  ref: z.string().optional(),
  digest: z.string().optional(),
  servers: z.array(CatalogServerSchema),
  policy: PolicySchema.optional(),
  /** Entries of the output left out when it was read (kept with the catalog, cached or not). */
  leftOut: LeftOutSchema.optional(),
})
export type Catalog = z.infer<typeof CatalogSchema>

/** `server inspect` (legacy) / `catalog server inspect` (profiles). */
export const InspectSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  tools: z.array(ServerToolSchema),
  /** Markdown (legacy: downloaded readme; profiles: `readmeContent`), or "" when none. */
  readme: z.string(),
  config: z.array(z.record(z.string(), z.unknown())).optional(),
  secrets: z.array(z.object({ name: z.string(), env: z.string().optional() })).optional(),
  policy: PolicySchema.optional(),
  /** Entries of the output left out when it was read (kept with the result, cached or not). */
  leftOut: LeftOutSchema.optional(),
})
export type Inspect = z.infer<typeof InspectSchema>

export const SecretSchema = z.object({ name: z.string().min(1), provider: z.string().optional() })
export type Secret = z.infer<typeof SecretSchema>
export const SecretListSchema = z.array(SecretSchema)

export const ProfileServerSchema = z.object({
  name: z.string().min(1),
  type: z.string().optional(),
  tools: z.array(z.string()).nullable(),
  config: z.record(z.string(), z.unknown()).optional(),
  image: z.string().optional(),
  source: z.string().optional(),
  endpoint: z.string().optional(),
  catalogRef: z.string().optional(),
  description: z.string().optional(),
  policy: PolicySchema.optional(),
})
export type ProfileServer = z.infer<typeof ProfileServerSchema>

export const ProfileSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  servers: z.array(ProfileServerSchema),
  policy: PolicySchema.optional(),
})
export type Profile = z.infer<typeof ProfileSchema>
export const ProfileListSchema = z.array(ProfileSchema)

/** `{server: {key: value}}` for both eras (profiles' flat `server.key` map is regrouped). */
export const ConfigMapSchema = z.record(z.string(), z.record(z.string(), z.unknown()))
export type ConfigMap = z.infer<typeof ConfigMapSchema>

export const CatalogEntrySchema = z.object({
  /** Legacy catalog name, or OCI reference (profiles era). */
  name: z.string().min(1),
  title: z.string().optional(),
  url: z.string().optional(),
  lastUpdate: z.string().optional(),
  digest: z.string().optional(),
  policy: PolicySchema.optional(),
})
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>
export const CatalogListSchema = z.array(CatalogEntrySchema)

export const StatusSchema = z.object({
  era: EraSchema,
  /** A = legacy files, B = profiles behind a flag (v0.25–v0.41), C = profiles always (≥ v0.42). */
  generation: z.enum(["A", "B", "C"]),
  version: z.string(),
  /** Profile the driver works on (profiles era), null in the legacy era. */
  profile: z.string().nullable(),
  /** The configured profile (toolkit.profile) that a legacy-era CLI ignores: it has no profiles. */
  ignoredProfile: z.string().optional(),
})
export type ToolkitStatus = z.infer<typeof StatusSchema>

export const GatewaySpecSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
})
export type GatewayLaunchSpec = z.infer<typeof GatewaySpecSchema>

/** Every kind of output the parsers understand, with its normalized schema. */
export const KIND_SCHEMAS = {
  servers: ServerListSchema,
  catalog: CatalogSchema,
  tools: ToolListSchema,
  inspect: InspectSchema,
  secrets: SecretListSchema,
  profiles: ProfileListSchema,
  profile: ProfileSchema,
  config: ConfigMapSchema,
  catalogs: CatalogListSchema,
} as const
export type ParseKind = keyof typeof KIND_SCHEMAS
export const PARSE_KINDS = Object.keys(KIND_SCHEMAS) as ParseKind[]
export type KindResult<K extends ParseKind> = z.infer<(typeof KIND_SCHEMAS)[K]>
