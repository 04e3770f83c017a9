/**
 * @module mcp/stdio-transport
 * A lean stdio server transport: newline-delimited JSON-RPC on stdin/stdout. Unlike the SDK's, it does
 * not zod-validate every line (the Protocol layer already classifies messages); it only checks the
 * envelope. Malformed lines get a JSON-RPC parse error (-32700) and never stop the server.
 * Nothing but JSON-RPC is ever written to stdout.
 */
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js"
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js"

export interface LineIO {
  /** Chunks of input; ends on EOF. */
  input: AsyncIterable<Uint8Array>
  /** Writes one already-serialised line. */
  write(line: string): void | Promise<void>
  /** Resolves once everything written so far has been handed to the OS. */
  flush?(): Promise<void>
}

/** Max bytes of one incoming line (a client message); larger lines are rejected. */
const MAX_LINE = 64 * 1024 * 1024

export class LineStdioServerTransport implements Transport {
  /**
   * Input reached EOF. Output stays open so requests already received can still be answered;
   * the owner calls `close()` when done. Without a listener, EOF closes the transport at once.
   */
  oninputend?: () => void
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  private started = false
  private closed = false
  private readonly io: LineIO

  constructor(io: LineIO = processIO()) {
    this.io = io
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("LineStdioServerTransport already started")
    this.started = true
    void this.pump()
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder()
    let buf = ""
    try {
      for await (const chunk of this.io.input) {
        if (this.closed) break
        buf += decoder.decode(chunk, { stream: true })
        let nl: number
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl)
          buf = buf.slice(nl + 1)
          this.handleLine(line)
        }
        if (buf.length > MAX_LINE) {
          buf = ""
          this.sendParseError("message too large")
        }
      }
      if (buf.trim()) this.handleLine(buf)
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)))
    }
    if (this.oninputend) this.oninputend()
    else await this.close()
  }

  private handleLine(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw
    if (!line.trim()) return
    let msg: unknown
    try {
      msg = JSON.parse(line)
    } catch {
      this.sendParseError("invalid JSON")
      return
    }
    if (typeof msg !== "object" || msg === null || Array.isArray(msg) || (msg as { jsonrpc?: unknown }).jsonrpc !== "2.0") {
      const id = (msg as { id?: unknown } | null)?.id
      this.writeRaw({ jsonrpc: "2.0", id: typeof id === "string" || typeof id === "number" ? id : null, error: { code: -32600, message: "Invalid Request: expected a JSON-RPC 2.0 object" } })
      return
    }
    try {
      this.onmessage?.(msg as JSONRPCMessage)
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)))
    }
  }

  private sendParseError(detail: string): void {
    this.writeRaw({ jsonrpc: "2.0", id: null, error: { code: -32700, message: `Parse error: ${detail}` } })
  }

  private writeRaw(obj: unknown): void {
    if (this.closed) return
    try {
      void this.io.write(JSON.stringify(obj) + "\n")
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)))
    }
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (this.closed) return
    await this.io.write(JSON.stringify(message) + "\n")
  }

  /** Writes an already-serialised message (fast lane: avoids a second stringify). */
  sendSerialized(json: string): void {
    if (this.closed) return
    void this.io.write(json + "\n")
  }

  /** Resolves once every message sent so far has left the process (e.g. the initialize answer). */
  flushed(): Promise<void> {
    return this.io.flush?.() ?? Promise.resolve()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.onclose?.()
  }
}

/** stdin/stdout of this process. stdout writes are serialised by the runtime in order. */
export function processIO(): LineIO {
  const out = process.stdout
  // A client that went away makes writes fail (EPIPE): that ends the session, never the process.
  out.on("error", () => {})
  return {
    input: process.stdin as unknown as AsyncIterable<Uint8Array>,
    write(line) {
      if (!out.write(line)) return new Promise<void>((r) => out.once("drain", () => r()))
    },
    flush: () => new Promise<void>((r) => out.write("", () => r())),
  }
}
