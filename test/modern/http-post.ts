/**
 * A raw 2026-07-28 POST to our HTTP face, with the headers the revision asks for (`Mcp-Method`,
 * `Mcp-Name` from params.name or params.uri, `MCP-Protocol-Version`) and the `_meta` envelope;
 * every part can be overridden to test the face's checks.
 */
export const MODERN = "2026-07-28"

export interface ModernPost {
  url: string
  token: string
  method: string
  params: Record<string, unknown>
  /** Declared client capabilities (default none). */
  caps?: Record<string, unknown>
  /** Extra or overriding headers. */
  headers?: Record<string, string>
  id?: number | string
  signal?: AbortSignal
}

export function modernPost(p: ModernPost): Promise<Response> {
  const name = (p.params.name ?? p.params.uri) as string | undefined
  const envelope = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": p.caps ?? {} }
  return fetch(p.url, {
    method: "POST",
    ...(p.signal ? { signal: p.signal } : {}),
    headers: {
      Authorization: `Bearer ${p.token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": MODERN,
      "mcp-method": p.method,
      ...(name !== undefined ? { "mcp-name": name } : {}),
      ...p.headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: p.id ?? 1, method: p.method, params: { _meta: envelope, ...p.params } }),
  })
}
