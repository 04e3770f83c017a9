/**
 * @module test/docs/snippets
 * The code blocks of README.md and docs/*.md work as written: a user copies them.
 * - every `json` block is JSON;
 * - every `yaml` block that is a config (its top-level keys are config sections) loads as one;
 * - every `mcpServers` entry that starts mcp-orchestrator has a command line `serve` takes as Cursor's
 *   (no commander), and a toolset it names is defined in a config block of the same file;
 * - every `mcp-orchestrator …` command line of a `sh` block names a command that exists, and each
 *   of its flags is one that command's `--help` lists.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { parse as parseYaml } from "yaml"
import { ConfigSchema, loadConfig } from "../../src/config/index.ts"
import { parseServeArgs } from "../../src/cli/serve-args.ts"
import { BIN, ensureBuilt } from "../helpers/binary.ts"

const ROOT = join(import.meta.dir, "..", "..")
const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]

interface Block {
  lang: string
  line: number
  text: string
}

/** The fenced code blocks of a markdown text (``` fences), with the line their text starts on. */
export function codeBlocks(md: string): Block[] {
  const out: Block[] = []
  const lines = md.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!)
    if (!open) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++
    out.push({ lang: open[1]!, line: start + 1, text: lines.slice(start, end).join("\n") })
    i = end
  }
  return out
}

/** Words of a shell command line as the shell splits them (quotes kept out, no expansion). */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let cur: string | undefined
  let quote: string | undefined
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined
      else cur = (cur ?? "") + ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      cur ??= ""
    } else if (/\s/.test(ch)) {
      if (cur !== undefined) words.push(cur)
      cur = undefined
    } else cur = (cur ?? "") + ch
  }
  if (cur !== undefined) words.push(cur)
  return words
}

/** The arguments after each `mcp-orchestrator` (or a path to it) of a sh block, up to a pipe, redirect or comment. */
export function orchestratorCommands(text: string): { line: number; args: string[] }[] {
  const out: { line: number; args: string[] }[] = []
  text.split("\n").forEach((raw, i) => {
    const words = shellWords(raw.replace(/\s#.*$/, ""))
    for (let w = 0; w < words.length; w++) {
      if (!/(^|\/)mcp-orchestrator$/.test(words[w]!)) continue
      const args: string[] = []
      for (let a = w + 1; a < words.length && !/^(\||>|>>|<|&&|;|\|\|)$/.test(words[a]!); a++) args.push(words[a]!)
      out.push({ line: i, args })
    }
  })
  return out
}

const sections = new Set(Object.keys(ConfigSchema.shape))

function configBlocks(md: string): Block[] {
  return codeBlocks(md).filter((b) => {
    if (b.lang !== "yaml") return false
    const v = parseYaml(b.text) as unknown
    return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => sections.has(k))
  })
}

describe("code blocks in the docs work as written", () => {
  test("the block readers", () => {
    expect(codeBlocks("a\n```json\n{}\n```\n```sh\nx\ny\n```\n")).toEqual([
      { lang: "json", line: 3, text: "{}" },
      { lang: "sh", line: 6, text: "x\ny" },
    ])
    expect(shellWords(`a --input '{"a": 1}' "b c"  d`)).toEqual(["a", "--input", '{"a": 1}', "b c", "d"])
    expect(orchestratorCommands("docker x | mcp-orchestrator parse config # c\n./dist/mcp-orchestrator demo > f")).toEqual([
      { line: 0, args: ["parse", "config"] },
      { line: 1, args: ["demo"] },
    ])
  })

  for (const doc of docs) {
    const md = readFileSync(join(ROOT, doc), "utf8")
    const blocks = codeBlocks(md)

    test(`${doc}: json blocks are JSON`, () => {
      const bad: string[] = []
      for (const b of blocks.filter((x) => x.lang === "json")) {
        try {
          JSON.parse(b.text)
        } catch (e) {
          bad.push(`${doc}:${b.line}: ${(e as Error).message}`)
        }
      }
      expect(bad).toEqual([])
    })

    test(`${doc}: config blocks load`, () => {
      const bad: string[] = []
      const env = { HOME: "/home/me", PATH: "/usr/bin:/bin", REMOTE_TOKEN: "t", LINEAR_SECRET: "s" }
      for (const b of configBlocks(md)) {
        try {
          const loaded = loadConfig({ inline: { text: b.text, name: `${doc}:${b.line}` }, env })
          expect(loaded.invalidServers ?? []).toEqual([])
        } catch (e) {
          bad.push(`${doc}:${b.line}: ${(e as Error).message}`)
        }
      }
      expect(bad).toEqual([])
    })

    test(`${doc}: mcp.json entries that start mcp-orchestrator`, () => {
      const toolsets = new Set(configBlocks(md).flatMap((b) => Object.keys((parseYaml(b.text) as { toolsets?: object }).toolsets ?? {})))
      const bad: string[] = []
      for (const b of blocks.filter((x) => x.lang === "json")) {
        const servers = (JSON.parse(b.text) as { mcpServers?: Record<string, { command?: string; args?: string[] }> }).mcpServers ?? {}
        for (const [key, entry] of Object.entries(servers)) {
          if (!/(^|\/)mcp-orchestrator$/.test(entry.command ?? "")) continue
          const flags = parseServeArgs(entry.args ?? [])
          if (!flags) bad.push(`${doc}:${b.line}: ${key}: args ${JSON.stringify(entry.args)} are not a plain serve command line`)
          else if (flags.toolset !== undefined && !toolsets.has(flags.toolset)) bad.push(`${doc}:${b.line}: ${key}: toolset ${flags.toolset} is defined in no config block of ${doc}`)
        }
      }
      expect(bad).toEqual([])
    })
  }
})

describe("command lines in the docs name commands and flags that exist", () => {
  const helps = new Map<string, Promise<string>>()
  /** `--help` of a command path (e.g. ["auth", "login"]), from the binary. */
  const help = (path: string[]): Promise<string> => {
    const key = path.join(" ")
    let h = helps.get(key)
    if (!h) {
      h = (async () => {
        const p = Bun.spawn([BIN, ...path, "--help"], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent" } })
        const [out] = await Promise.all([new Response(p.stdout).text(), p.exited])
        return out
      })()
      helps.set(key, h)
    }
    return h
  }
  /** The commands a help text lists (first word of each line of its `Commands:` part). */
  const subcommands = (text: string): Set<string> => {
    const part = text.split(/^Commands:\s*$/m)[1] ?? ""
    return new Set([...part.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!))
  }

  beforeAll(ensureBuilt, 120_000)

  for (const doc of docs) {
    const cmds = codeBlocks(readFileSync(join(ROOT, doc), "utf8"))
      .filter((b) => b.lang === "sh")
      .flatMap((b) => orchestratorCommands(b.text).map((c) => ({ ...c, line: b.line + c.line })))
    if (cmds.length === 0) continue
    test(doc, async () => {
      const bad: string[] = []
      for (const { line, args } of cmds) {
        const path: string[] = []
        let text = await help([])
        for (const a of args) {
          if (a.startsWith("-") || !subcommands(text).has(a)) break
          path.push(a)
          text = await help(path)
        }
        if (path.length === 0) {
          bad.push(`${doc}:${line}: no command in "mcp-orchestrator ${args.join(" ")}"`)
          continue
        }
        if (/^Usage: .*\[command\]\s*$/m.test(text)) {
          // a command group: the line must name one of its commands
          const next = args[path.length]
          if (next === undefined || !next.startsWith("-")) bad.push(`${doc}:${line}: ${path.join(" ")} has no command ${next ?? "(none named)"}`)
        }
        for (const a of args.slice(path.length)) {
          if (!a.startsWith("--")) continue
          const flag = a.split("=")[0]!
          const known = flag.startsWith("--no-") ? new RegExp(`(^|[\\s,])(${flag}|--\\[no-\\]${flag.slice(5)})\\b`, "m") : new RegExp(`(^|[\\s,])${flag}\\b`, "m")
          if (!known.test(text)) bad.push(`${doc}:${line}: mcp-orchestrator ${path.join(" ")} has no flag ${flag}`)
        }
      }
      expect(bad).toEqual([])
    })
  }
})
