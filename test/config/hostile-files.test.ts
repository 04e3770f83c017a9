/**
 * Config files a new user pastes or points at that are not what a parser expects: UTF-16 (Windows
 * PowerShell's `>` writes it), a file far larger than any config (or endless: /dev/zero), one
 * mapping of tens of thousands of keys, YAML 1.1 tags that give bytes or sets, a symlink loop. Each
 * is read as meant or refused at once, naming the file (and line) and what to do.
 */
import { describe, expect, test } from "bun:test"
import { symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { envAtStart, loadConfig, type StdioServerSpec } from "../../src/config/index.ts"
import { MAX_ENV_FILE_BYTES } from "../../src/config/env-file.ts"
import { MAX_CONFIG_BYTES } from "../../src/config/file.ts"
import { ConfigError } from "../../src/core/index.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-hostile-")
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }
const load = (p: string) => loadConfig({ configPath: p, env })
const remedy = (p: string): string => {
  try {
    load(p)
  } catch (e) {
    return (e as ConfigError).remedy ?? ""
  }
  throw new Error("expected a ConfigError")
}

const yaml = "servers:\n  a:\n    command: node\n    args: [server.js]\n"

/** `text` in UTF-16, little- or big-endian, with or without its byte-order mark. */
function utf16(text: string, order: "le" | "be", bom: boolean): Buffer {
  const le = Buffer.from((bom ? "\uFEFF" : "") + text, "utf16le")
  return order === "le" ? le : le.swap16()
}

describe("UTF-16", () => {
  for (const order of ["le", "be"] as const) {
    for (const ext of ["yaml", "json"]) {
      test(`with a byte-order mark (${order}, .${ext}) is read as written`, () => {
        const text = ext === "json" ? '{ "mcpServers": { "a": { "command": "node", "args": ["server.js"] } } }' : yaml
        const p = join(dir, `bom-${order}.${ext}`)
        writeFileSync(p, utf16(text, order, true))
        const { config } = load(p)
        expect(config.servers.a).toMatchObject({ command: "node", args: ["server.js"] })
      })
    }
  }
  test("without a byte-order mark: said so, with where", () => {
    const p = join(dir, "nobom.yaml")
    writeFileSync(p, utf16(yaml, "le", false))
    expect(problems(() => load(p))).toEqual([`${p} (--config): not a text file: a NUL byte at line 1 (byte 1): the file looks like UTF-16 without a byte-order mark`])
    expect(remedy(p)).toContain("Save the file as UTF-8")
  })
})

describe("size", () => {
  test("a file over the limit is refused unparsed, naming the limit", () => {
    const p = file(JSON.stringify({ servers: { a: { command: "node", env: { PAD: "x".repeat(MAX_CONFIG_BYTES) } } } }), "json")
    expect(problems(() => load(p))).toEqual([`${p} (--config): cannot read the config file (EFBIG: more than ${MAX_CONFIG_BYTES} bytes (1 MiB), the most a config may have; not read)`])
  })
  test.skipIf(process.platform === "win32")("an endless file (/dev/zero) is refused, not read until memory runs out: a device is no config file", () => {
    expect(problems(() => load("/dev/zero"))).toEqual(["/dev/zero (--config): cannot read the config file (ENOTREG: a character device (a terminal, /dev/zero…), not a file)"])
    expect(remedy("/dev/zero")).toContain("Name a regular file")
  })
  test("one mapping of 30000 keys with a duplicate at its end: the duplicate is named (the check is linear)", () => {
    const n = 30000
    const lines = Array.from({ length: n }, (_, i) => `      K${i}: v${i}`)
    const p = file(`servers:\n  a:\n    command: node\n    env:\n${lines.join("\n")}\n      K7: again\n`)
    expect(problems(() => load(p))).toEqual([`servers.a.env.K7 (${p}:${n + 5}): duplicate key; it is already set on line 12`])
  })
})

describe("YAML 1.1 tags that give no text", () => {
  for (const [value, tag] of [
    ["!!binary aGVsbG8=", "!!binary"],
    ["!!set {x}", "!!set"],
    ["!!timestamp 2001-12-14", "!!timestamp"],
    ["!!omap [a: 1]", "!!omap"],
  ]) {
    test(`${tag} is named with its line`, () => {
      const p = file(`servers:\n  a:\n    command: node\n    args: ${value}\n`)
      expect(problems(() => load(p))).toEqual([`${p}:4: unsupported YAML tag ${tag}; a config holds only text, numbers, true/false, lists and mappings`])
    })
  }
  test("core tags still read (!!str)", () => {
    const p = file("servers:\n  a:\n    command: !!str 12\n    env: { N: !!str 3 }\n")
    expect(load(p).config.servers.a).toMatchObject({ command: "12", env: { N: "3" } })
  })
})

test.skipIf(process.platform === "win32")("a symlink loop is named as one, with a remedy", () => {
  const a = join(dir, "loop-a.yaml")
  const b = join(dir, "loop-b.yaml")
  symlinkSync(b, a)
  symlinkSync(a, b)
  expect(problems(() => load(a))).toEqual([`${a} (--config): cannot read the config file (ELOOP: a symlink loop)`])
  expect(remedy(a)).toContain("symlinks point at one another")
})

describe("an envFile too large or endless fails its own server, unread past the limit", () => {
  const cases: Array<[string, () => string]> = [["over 1 MiB", () => file(`PAD=${"x".repeat(MAX_ENV_FILE_BYTES)}\n`, "env")]]
  for (const [name, make] of cases) {
    test(name, () => {
      const envPath = make()
      const p = file(`servers:\n  a:\n    command: node\n    envFile: ${JSON.stringify(envPath)}\n  b:\n    command: node\n`)
      const loaded = load(p)
      expect(loaded.warnings).toContain(`servers.a.envFile (${p}:4): cannot read ${envPath} (EFBIG: more than ${MAX_ENV_FILE_BYTES} bytes, not read (a dotenv file holds a few KiB)); server a will fail to start until it can be read (the other servers are not affected)`)
      expect(Object.keys(loaded.config.servers).sort()).toEqual(["a", "b"])
      const a = loaded.config.servers.a as StdioServerSpec
      expect(envAtStart(a)).toMatchObject({
        problem: expect.stringContaining("EFBIG"),
        remedy: expect.stringContaining(`Point the envFile at the dotenv file itself (KEY=VALUE lines, a few KiB), not ${envPath}, or change`),
      })
    })
  }
})

test.skipIf(process.platform === "win32")("an envFile that is a device (/dev/zero) fails its own server: refused unread, as a device", () => {
  const p = file(`servers:\n  a:\n    command: node\n    envFile: /dev/zero\n  b:\n    command: node\n`)
  const loaded = load(p)
  expect(loaded.warnings).toContain(`servers.a.envFile (${p}:4): cannot read /dev/zero (ENOTREG: a device or socket, not a file); server a will fail to start until it can be read (the other servers are not affected)`)
  expect(envAtStart(loaded.config.servers.a as StdioServerSpec)).toMatchObject({ remedy: expect.stringContaining("Point the envFile at a regular dotenv file (KEY=VALUE lines), not the device or socket /dev/zero") })
})

describe("nesting", () => {
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`
  // 100 000 levels: the line scanners kept a key path per level (22 GB, SIGTERM unanswered), the YAML
  // parser overflowed its stack; each form is refused at once with its file:line
  for (const [ext, text, line] of [
    ["json", `{"servers": {},\n"a": ${deep(100_000)}}`, 2],
    ["jsonc", `// c\n{"servers": {},\n"a": ${deep(100_000)}}`, 3],
    ["yaml", `servers: {}\na: ${deep(100_000)}\n`, 2],
  ] as const) {
    test(`a .${ext} file nested 100 000 levels deep is refused, naming its line`, () => {
      const p = file(text, ext)
      expect(problems(() => load(p))).toEqual([`${p}:${line}: lists and mappings nested more than 100 levels deep; a config nests a few (servers.<name>.headers.<name>)`])
    })
  }
  test("block-style YAML nested by indentation is refused on its values", () => {
    let text = "servers: {}\nx:\n"
    for (let i = 1; i < 150; i++) text += `${" ".repeat(i)}k${i}:\n`
    const p = file(`${text}${" ".repeat(150)}v: 1\n`, "yaml")
    expect(problems(() => load(p))[0]).toContain("nested more than 100 levels deep")
  })
  test("brackets inside strings and comments do not count", () => {
    const many = "[".repeat(300)
    const y = file(`# ${many}\nservers:\n  a:\n    command: node\n    args: ['${many}', "${many}", 'it''s ${many}'] # ${many}\n`, "yaml")
    expect((load(y).config.servers.a as StdioServerSpec).args).toEqual([many, many, `it's ${many}`])
    const j = file(`// ${many}\n/* ${many} */\n{"servers": {"a": {"command": "node", "args": ["${many}", "\\"${many}"]}}}`, "jsonc")
    expect((load(j).config.servers.a as StdioServerSpec).args).toEqual([many, `"${many}`])
  })
})
