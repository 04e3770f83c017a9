/**
 * @module catalog/spec-items
 * The MCP 2025-11-25 definitions of the items a downstream lists (Tool, Prompt, Resource,
 * ResourceTemplate and their parts), as zod schemas: the same rules the SDK's `ToolSchema`,
 * `PromptSchema`, `ResourceSchema` and `ResourceTemplateSchema` apply (what an SDK client enforces
 * on a list), written here so a session that only proxies stdio servers never evaluates the SDK's
 * schema modules (≈ 880 zod schemas). catalog/validate is their one user.
 */
import { z } from "zod"

/** Any JSON value (a property schema of an input schema). */
const JsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), JsonValue), z.array(JsonValue)]))

export const IconSchema = z.object({
  src: z.string(),
  mimeType: z.string().optional(),
  sizes: z.array(z.string()).optional(),
  theme: z.enum(["light", "dark"]).optional(),
})

const base = {
  name: z.string(),
  title: z.string().optional(),
  icons: z.array(IconSchema).optional(),
}

export const ToolAnnotationsSchema = z.object({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
})

export const ToolExecutionSchema = z.object({ taskSupport: z.enum(["required", "optional", "forbidden"]).optional() })

export const ToolSchema = z.object({
  ...base,
  description: z.string().optional(),
  inputSchema: z
    .object({
      type: z.literal("object"),
      properties: z.record(z.string(), JsonValue).optional(),
      required: z.array(z.string()).optional(),
    })
    .catchall(z.unknown()),
  outputSchema: z.looseObject({ $schema: z.string().optional() }).optional(),
  annotations: ToolAnnotationsSchema.optional(),
  execution: ToolExecutionSchema.optional(),
  _meta: z.record(z.string(), z.unknown()).optional(),
})

export const PromptSchema = z.object({
  ...base,
  description: z.string().optional(),
  arguments: z.array(z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() })).optional(),
  _meta: z.looseObject({}).optional(),
})

export const AnnotationsSchema = z.object({
  audience: z.array(z.enum(["user", "assistant"])).optional(),
  priority: z.number().min(0).max(1).optional(),
  lastModified: z.iso.datetime({ offset: true }).optional(),
})

const resourceBase = {
  ...base,
  description: z.string().optional(),
  mimeType: z.string().optional(),
  annotations: AnnotationsSchema.optional(),
  _meta: z.looseObject({}).optional(),
}

export const ResourceSchema = z.object({ ...resourceBase, uri: z.string(), size: z.number().optional() })

export const ResourceTemplateSchema = z.object({ ...resourceBase, uriTemplate: z.string() })
