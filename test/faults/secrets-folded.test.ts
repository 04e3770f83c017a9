/**
 * @module test/faults/secrets-folded
 * A configured key a server prints folded at a column (`fold -w`, a formatter wrapping at 76 or 80
 * characters, a continuation line indented): no line holds the value, the model reads past the line
 * break and has it whole. Masked in each line it has a part in, in a tool result's text (LF, CRLF
 * with indentation), a `structuredContent` string, an `isError` result, directly and through
 * `call_tool`, a JSON-RPC error's message, a log notification and a progress message, a tool's
 * description (the list, search_tools), the log on stderr and the disk cache of the tool list.
 * Before qa359 only a downstream's stderr was read across line breaks (`redactLineSeams`) and each
 * of these showed the key. Compiled binary, real SDK Client, raw JSON-RPC downstream.
 */
import { expect, test } from "bun:test"
import { type Dirent, readdirSync, readFileSync } from "node:fs"
import { join, sep } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "folding-server.ts")
const KEY = `Fk${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}Zq`
const PARTS = KEY.match(/.{1,7}/g)!

test("a key folded across line breaks reaches the model in no answer", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { fold: { command: process.execPath, args: [SERVER], env: { FOLD_API_KEY: KEY } } } })
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const answers: unknown[] = []
    for (const name of ["fold", "fold_crlf", "fold_structured", "fold_error"]) {
      answers.push(await c.client.callTool({ name: `fold__${name}`, arguments: {} }))
      answers.push(await c.client.callTool({ name: "call_tool", arguments: { name: `fold__${name}`, arguments: {} } }))
    }
    const plain = (answers[0] as { content: { text: string }[] }).content[0]!.text
    // every line that held a part is masked; the lines around stay
    expect(plain).toBe(`config dump:\nFOLD_API_KEY=${PARTS.map(() => "[REDACTED]").join("\n")}\nHOME=/home/user`)
    const crlf = (answers[2] as { content: { text: string }[] }).content[0]!.text
    expect(crlf).toBe(`config dump:\nFOLD_API_KEY=${PARTS.map(() => "[REDACTED]").join("\r\n    ")}\nHOME=/home/user`)
    // a JSON-RPC error's message, a log notification's text and a progress message: the same
    const notes: unknown[] = []
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void notes.push(n))
    answers.push(await c.client.callTool({ name: "fold__fold_rpc_error", arguments: {} }).catch((e: unknown) => String(e)))
    answers.push(await c.client.callTool({ name: "fold__fold_notify", arguments: {} }, undefined, { onprogress: (p) => void notes.push(p) }))
    await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    // a definition: the tool list, and search_tools' answer naming it
    const listed = (await c.client.listTools()).tools.find((t) => t.name === "fold__fold_described")
    expect(listed?.description).toContain("FOLD_API_KEY=[REDACTED]\n[REDACTED]")
    answers.push(listed, await c.client.callTool({ name: "search_tools", arguments: { query: "reads the env fold described" } }))
    expect(notes.length).toBeGreaterThanOrEqual(2)
    expect(JSON.stringify(notes)).toContain("[REDACTED]\\n[REDACTED]")
    const text = JSON.stringify([answers, notes])
    // no part of 6+ characters of the key: the whole key cannot be read back from the lines
    for (const p of PARTS.filter((x) => x.length >= 6)) expect(text).not.toContain(p)
  } finally {
    await c.close()
  }
  // and our own log of them (stderr): no part of 6+ characters either
  for (const p of PARTS.filter((x) => x.length >= 6)) expect(c.stderr()).not.toContain(p)
  // nor any file it left under its home (the disk cache of the tool list quoting it), but the config
  const files = (readdirSync(env.HOME!, { recursive: true, withFileTypes: true }) as Dirent[]).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name))
  expect(files.some((f) => f.includes(`${sep}entries${sep}`))).toBe(true)
  for (const f of files.filter((f) => f !== cfg)) for (const p of PARTS.filter((x) => x.length >= 6)) expect(readFileSync(f, "latin1")).not.toContain(p)
}, 60_000)
