/**
 * Shared setup of the surface tests: a config file with real npm servers (server-everything,
 * server-memory, server-filesystem on a temp dir), the compiled binary driven by the SDK Client.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { EVERYTHING, FILESYSTEM, MEMORY } from "../proxy/helpers.ts"

export interface Fleet {
  dir: string
  fsRoot: string
  /** The `servers` map of the three real servers. */
  servers: Record<string, unknown>
}

export async function fleet(): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-surface-"))
  const fsRoot = join(dir, "files")
  await Bun.write(join(fsRoot, "notes.txt"), "alpha\nbeta\n")
  return {
    dir,
    fsRoot,
    servers: {
      everything: { command: "node", args: [EVERYTHING, "stdio"] },
      memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") } },
      fs: { command: "node", args: [FILESYSTEM, fsRoot] },
    },
  }
}

/** Writes `config` as JSON into a fresh sandbox and starts the binary on it with `args`. */
export async function start(config: Record<string, unknown>, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<Connected & { env: Record<string, string>; configPath: string }> {
  const env = sandboxEnv(extraEnv)
  const configPath = join(env.HOME!, "config.json")
  writeFileSync(configPath, JSON.stringify({ cache: { enabled: false }, toolkit: { enabled: "off" }, plugins: { enabled: false }, ...config }))
  const c = await connectBinary(["serve", "--config", configPath, ...args], env)
  return { ...c, env, configPath }
}

export async function names(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name)
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult
}

export function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n")
}
