/**
 * @module http/openapi
 * The OpenAPI 3.1 document, generated from zod schemas: the HTTP routes, and every own MCP tool's
 * input and output (as JSON-RPC `tools/call` bodies of POST /mcp, and under `x-mcp-tools`).
 */
import { z } from "zod"
import { NAME, VERSION } from "../core/index.ts"
import { toJsonSchema, type ToolDef } from "../mcp/index.ts"
import { HealthSchema, ReadinessSchema } from "./health.ts"

type Json = Record<string, unknown>

const ErrorBody = z.object({
  jsonrpc: z.literal("2.0"),
  error: z.object({ code: z.number(), message: z.string() }),
  id: z.null(),
})

function schema(s: z.ZodType, io: "input" | "output" = "output"): Json {
  const js = z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json
  delete js.$schema
  return js
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const safe = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, "_")

function toolCallBody(t: ToolDef): Json {
  return {
    type: "object",
    title: `tools/call ${t.name}`,
    required: ["jsonrpc", "id", "method", "params"],
    properties: {
      jsonrpc: { const: "2.0" },
      id: { type: ["string", "integer"] },
      method: { const: "tools/call" },
      params: {
        type: "object",
        required: ["name"],
        properties: { name: { const: t.name }, arguments: ref(`${safe(t.name)}.input`) },
      },
    },
  }
}

export function buildOpenApi(tools: readonly ToolDef[], opts: { auth?: boolean } = {}): Json {
  const schemas: Json = {
    Health: schema(HealthSchema),
    Readiness: schema(ReadinessSchema),
    JsonRpcError: schema(ErrorBody),
    JsonRpcMessage: {
      type: "object",
      description: "Any MCP JSON-RPC message (request, notification or response); see the MCP specification.",
      required: ["jsonrpc"],
      properties: { jsonrpc: { const: "2.0" }, id: { type: ["string", "integer"] }, method: { type: "string" }, params: { type: "object" } },
    },
  }
  const xTools: Json[] = []
  for (const t of tools) {
    const n = safe(t.name)
    schemas[`${n}.input`] = toJsonSchema(t.input, "input")
    if (t.output) schemas[`${n}.output`] = toJsonSchema(t.output, "output")
    schemas[`${n}.call`] = toolCallBody(t)
    xTools.push({
      name: t.name,
      title: t.title,
      description: t.description,
      input: ref(`${n}.input`),
      ...(t.output ? { output: ref(`${n}.output`) } : {}),
      ...(t.annotations ? { annotations: t.annotations } : {}),
      ...(t.errors?.length ? { errors: t.errors } : {}),
    })
  }
  const security = opts.auth === false ? [] : [{ bearer: [] }]
  const err = (description: string): Json => ({ description, content: { "application/json": { schema: ref("JsonRpcError") } } })
  const guarded: Json = {
    "401": { description: "Missing or wrong bearer token" },
    "403": { description: "Host or Origin header not allowed (DNS-rebinding protection)" },
  }
  const mcpHeaders = [
    { name: "Mcp-Session-Id", in: "header", required: false, schema: { type: "string" }, description: "Legacy era (2025-11-25): session id returned by initialize; required after it. Ignored on 2026-07-28 requests" },
    { name: "MCP-Protocol-Version", in: "header", required: false, schema: { type: "string" }, description: "2026-07-28 requests: must equal the body's _meta protocol version" },
    { name: "Mcp-Method", in: "header", required: false, schema: { type: "string" }, description: "2026-07-28 requests (required): the body's method" },
    { name: "Mcp-Name", in: "header", required: false, schema: { type: "string" }, description: "2026-07-28 tools/call, prompts/get (params.name) and resources/read (params.uri): required, equal to the body's" },
  ]
  return {
    openapi: "3.1.0",
    info: {
      title: `${NAME} HTTP API`,
      version: VERSION,
      description:
        "MCP Streamable HTTP endpoint (both protocol eras: 2025-11-25 sessions opened by initialize, stateless 2026-07-28 requests with a _meta envelope) plus health, readiness and metrics. MCP tools are called with JSON-RPC `tools/call` on POST /mcp; " +
        "the orchestrator's own tools and their schemas are listed in `x-mcp-tools` and components. Proxied tools come from your servers and are listed by `tools/list`.",
    },
    servers: [{ url: "/" }],
    paths: {
      "/mcp": {
        post: {
          summary: "Send MCP JSON-RPC messages (initialize, tools/list, tools/call, …)",
          security,
          parameters: mcpHeaders,
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { oneOf: [...tools.map((t) => ref(`${safe(t.name)}.call`)), ref("JsonRpcMessage")] },
              },
            },
          },
          responses: {
            "200": {
              description: "JSON-RPC response(s), as JSON or a text/event-stream",
              content: { "application/json": { schema: ref("JsonRpcMessage") }, "text/event-stream": { schema: { type: "string" } } },
            },
            "202": { description: "Notifications or responses accepted" },
            "400": err("Bad request (no session id, invalid JSON-RPC; 2026-07-28: header mismatch -32020, unsupported version -32022, missing _meta fields -32602)"),
            "404": err("Unknown or expired session: initialize again (2026-07-28: a removed or unknown method, -32601)"),
            "406": err("The Accept header takes neither application/json nor text/event-stream"),
            "413": { description: "Request body over http.bodyLimit" },
            "415": err("Content-Type is not application/json"),
            ...guarded,
          },
        },
        get: {
          summary: "Open the server-to-client SSE stream of a session",
          security,
          parameters: mcpHeaders,
          responses: { "200": { description: "text/event-stream", content: { "text/event-stream": { schema: { type: "string" } } } }, "404": err("Unknown session"), "405": err("2026-07-28 has no GET stream"), ...guarded },
        },
        delete: {
          summary: "Terminate a session",
          security,
          parameters: mcpHeaders,
          responses: { "200": { description: "Session closed" }, "404": err("Unknown session"), "405": err("2026-07-28 has no sessions"), ...guarded },
        },
      },
      "/healthz": {
        get: { summary: "Liveness (no authentication)", responses: { "200": { description: "Alive", content: { "application/json": { schema: ref("Health") } } } } },
      },
      "/readyz": {
        get: {
          summary: "Readiness: downstream pool and Docker MCP Toolkit state",
          responses: {
            "200": { description: "Ready", content: { "application/json": { schema: ref("Readiness") } } },
            "503": { description: "Not ready", content: { "application/json": { schema: ref("Readiness") } } },
          },
        },
      },
      "/metrics": { get: { summary: "Prometheus metrics", responses: { "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } } } } },
      "/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } } } },
      "/docs": { get: { summary: "Swagger UI for this document", responses: { "200": { description: "HTML page", content: { "text/html": { schema: { type: "string" } } } } } } },
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
    "x-mcp-tools": xTools,
  }
}
