/**
 * Example plugin: a parser override for an invented Toolkit output format, as a future
 * `docker mcp server ls --format ndjson` might print it: one JSON object per line, Go-style
 * capitalized keys, setup states nested as `{"State": …}`. Lines look like
 *   {"Name":"github-official","Description":"…","Secrets":{"State":"done"},"Config":{"State":"none"},"OAuth":{"State":"required"}}
 * Other inputs (a JSON array, `null`, YAML) return undefined so the built-in parser handles them.
 */
import type { Json, Plugin } from "./types"

const STATES = ["none", "required", "partial", "done"]

function state(v: Json | undefined): string | undefined {
  const s = v && typeof v === "object" && !Array.isArray(v) ? v.State : v
  return typeof s === "string" && STATES.includes(s.toLowerCase()) ? s.toLowerCase() : undefined
}

/** NDJSON of servers: the first non-empty line alone is a JSON object with a string "Name". */
function isNdjson(text: string): boolean {
  const first = text.split("\n").find((l) => l.trim() !== "")
  if (first === undefined) return false
  try {
    const v: Json = JSON.parse(first)
    return v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.Name === "string"
  } catch {
    return false
  }
}

const plugin: Plugin = {
  name: "ndjson-servers",
  version: "0.1.0",
  description: "Reads `docker mcp server ls --format ndjson` (one server per line).",
  parsers: {
    servers(text) {
      if (!isNdjson(text)) return undefined
      const out: Json[] = []
      const lines = text.split("\n")
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim()
        if (!line) continue
        let row: Json
        try {
          row = JSON.parse(line)
        } catch {
          throw new Error(`line ${i + 1} is not JSON: ${line.slice(0, 60)}`)
        }
        if (!row || typeof row !== "object" || Array.isArray(row) || typeof row.Name !== "string") {
          throw new Error(`line ${i + 1} has no "Name"`)
        }
        const server: Record<string, Json> = { name: row.Name }
        if (typeof row.Description === "string") server.description = row.Description
        if (typeof row.Title === "string") server.title = row.Title
        for (const [from, to] of [["Secrets", "secrets"], ["Config", "config"], ["OAuth", "oauth"]] as const) {
          const s = state(row[from])
          if (s) server[to] = s
        }
        if (typeof row.Profile === "string") server.profile = row.Profile
        out.push(server)
      }
      return out
    },
  },
}

export default plugin
