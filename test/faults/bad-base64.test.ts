/**
 * A downstream whose answers carry a base64 field that is no base64 (QA follow-up): an image/audio
 * `data`, an embedded resource's `blob` in a tool result or a prompt message, a `resources/read`
 * blob, small and large (a large result is checked over its bytes, JSON escapes and all). Each fails
 * its own request with BAD_RESPONSE naming the server, the method, the subject and the field; before,
 * it went out as it was and the SDK v1 client refused the whole answer with a zod dump ("Invalid
 * Base64 string") naming no server. Valid base64 (padding, whitespace, `\/` escapes) goes through
 * unchanged. Hostile server: servers/bad-base64-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "bad-base64-server.ts")
const dir = tempDir("mcpo-bad-base64-")
const env = sandboxEnv()
const cfg = join(dir, "config.json")

let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: ["bb"], servers: { bb: { command: process.execPath, args: [SERVER] } } }))
  c = await connectBinary(["serve", "--config", cfg], env)
  await c.client.listTools()
  await c.client.listPrompts()
  await c.client.listResources()
}, 120_000)
afterAll(async () => {
  await c?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The outcome as text: an error result's text, or the thrown JSON-RPC error's message. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const r = (await p) as CallToolResult
    return r.isError === true ? r.content.map((b) => (b.type === "text" ? b.text : "")).join("") : "(no error)"
  } catch (e) {
    return (e as Error).message
  }
}

const call = (name: string) => c.client.callTool({ name: `bb__${name}`, arguments: {} }, undefined, { timeout: 20_000 })

/** [request, its method and subject, what the error must say] */
const BAD: [string, () => Promise<unknown>, string, RegExp][] = [
  ["an image data", () => call("image_bad"), "tools/call is not valid MCP (tool image_bad)", /content\[0\] \(image\) has data that is no base64: character 10 is "!"/],
  ["an audio data with = inside", () => call("audio_bad"), "tools/call is not valid MCP (tool audio_bad)", /content\[1\] \(audio\) has data that is no base64: a "=" comes before character 5/],
  ["an embedded resource blob", () => call("blob_bad"), "tools/call is not valid MCP (tool blob_bad)", /content\[0\] \(resource\) has a resource\.blob that is no base64: its length is 1 character,/],
  ["a 1 MiB image data with a bad end", () => call("big_bad"), "tools/call is not valid MCP (tool big_bad)", /content\[1\] \(image\) has data that is no base64: character 1048576 is "~"/],
  ["a 1 MiB image data with an escaped bad character", () => call("big_escaped_bad"), "tools/call is not valid MCP (tool big_escaped_bad)", /content\[0\] \(image\) has data that is no base64: character 1048576 is "!"/],
  ["a resources/read blob", () => c.client.readResource({ uri: "mem://bad" }), "resources/read is not valid MCP (resource mem://bad)", /contents\[0\]\.blob is no base64: character 4 is no ASCII/],
  ["a prompt message's resource blob", () => c.client.getPrompt({ name: "bb__bad" }), "prompts/get is not valid MCP (prompt bad)", /messages\[1\]\.content \(resource\) has a resource\.blob that is no base64: its "=" padding is wrong/],
]

describe("SDK v1 client", () => {
  for (const [what, request, about, expected] of BAD) {
    test(`${what} that is no base64 fails that request with BAD_RESPONSE naming server, method and field`, async () => {
      const message = await outcome(request())
      expect(message).toContain("[BAD_RESPONSE] server bb: its answer to ")
      expect(message).toContain(about)
      expect(message).toMatch(expected)
      expect(message).not.toContain("Invalid Base64")
    }, 30_000)
  }

  test("valid base64 (padding, whitespace, JSON escapes, small and large) goes through unchanged", async () => {
    const small = (await call("small_ok")) as CallToolResult
    expect(small.isError).toBeFalsy()
    expect(small.content[0]).toEqual({ type: "image", data: "QU/C\nRA==", mimeType: "image/png" })
    // a resource with a text is text contents to the SDK: its blob is not read
    expect(small.content[1]).toMatchObject({ type: "resource", resource: { uri: "file:///t", text: "t" } })
    const big = (await call("big_ok")) as CallToolResult
    expect(big.isError, JSON.stringify(big).slice(0, 600)).toBeFalsy()
    const data = (big.content[0] as { data: string }).data
    expect(data.length).toBe(1000 + 5 + 1024 * 1024 + 4)
    expect(data.slice(1000, 1005)).toBe("//\n//")
    expect((await c.client.readResource({ uri: "mem://ok" })).contents[0]).toMatchObject({ blob: "AAAA AAA=" })
    const prompt = await c.client.getPrompt({ name: "bb__ok" })
    expect(prompt.messages[1]!.content).toEqual({ type: "resource", resource: { uri: "file:///p", blob: "AAAAAA==" } })
  }, 30_000)
})
