/**
 * Bad input names its source (issue 11 §5): duplicate keys by key path, every field of a server
 * entry reported with its full key path, http.listen checked at load, YAML alias bombs refused.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { leafKind, loadConfig, objectShape, RemoteServerSchema, StdioServerSchema } from "../../src/config/index.ts"
import { MAX_ALIAS_COUNT } from "../../src/config/file.ts"
import { flagLayer } from "../../src/cli/flags.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-badinput-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }
const load = (p: string, env: Record<string, string> = {}) => problems(() => loadConfig({ configPath: p, env: { ...noEnv, ...env } }))

describe("duplicate keys name the key path", () => {
  test("YAML: nested key", () => {
    const p = file("log:\n  level: info\npool:\n  maxInFlight: 1\n  queueLimit: 3\n  maxInFlight: 2\n")
    expect(load(p)).toEqual([`pool.maxInFlight (${p}:6): duplicate key; it is already set on line 4`])
  })
  test("JSON: nested key inside a server entry", () => {
    const p = file('{\n  "servers": {\n    "a": {\n      "command": "x",\n      "args": [],\n      "args": ["y"]\n    }\n  }\n}\n', "json")
    expect(load(p)).toEqual([`servers.a.args (${p}:6): duplicate key; it is already set on line 5`])
  })
  test("two duplicates: two lines", () => {
    const p = file("pool:\n  maxInFlight: 1\n  maxInFlight: 2\nproxy:\n  separator: _\n  separator: '-'\n")
    expect(load(p).map((l) => l.split(" ")[0])).toEqual(["pool.maxInFlight", "proxy.separator"])
  })
})

/** A value of the wrong type for each kind of leaf. */
function wrong(kind: string): { value: unknown; expected: RegExp } {
  switch (kind) {
    case "string":
      return { value: 123, expected: /expected a string, got number 123|expected an http/ }
    case "number":
      // every number of a server entry is a whole one
      return { value: "many", expected: /expected an integer, got "many"/ }
    case "boolean":
      return { value: "maybe", expected: /expected true or false, got "maybe"/ }
    case "array":
      return { value: "x", expected: /expected an array of strings, got "x"/ }
    case "enum":
      return { value: "zzz", expected: /expected one of .*, got "zzz"/ }
    case "duration":
      return { value: "soon", expected: /expected a duration such as 500, "30s", "5m" or "12h", got "soon"/ }
    case "record":
      return { value: "x", expected: /expected a mapping of names to (strings( \(a whole number or true\/false is taken as its text\))?|a duration .*), got "x"/ }
    case "other": // an object of its own (e.g. a tool filter)
      return { value: "x", expected: /expected a mapping, got "x"/ }
    default:
      throw new Error(`no wrong value for ${kind}`)
  }
}

describe("every key of a server entry is reported with its full path, source and expectation", () => {
  for (const [form, schema, base] of [
    ["stdio", StdioServerSchema, { command: "node" }],
    ["remote", RemoteServerSchema, { url: "http://127.0.0.1:9/mcp" }],
  ] as const) {
    for (const [key, s] of Object.entries(objectShape(schema)!)) {
      const kind = leafKind(s)
      test(`${form}: servers.a.${key} (${kind})`, () => {
        const { value, expected } = wrong(kind)
        const entry = { ...base, [key]: value }
        // JSON with one key per line, so the line of the bad key is known.
        const lines = Object.entries(entry).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        const text = `{\n  "servers": {\n    "a": {\n${lines.join(",\n")}\n    }\n  }\n}\n`
        const p = file(text, "json")
        const line = 4 + Object.keys(entry).indexOf(key)
        const got = load(p)
        expect(got).toHaveLength(1)
        expect(got[0]).toStartWith(`servers.a.${key} (${p}:${line}): `)
        // a value in env or headers, or a string at a credential-named key (auth), is named by its type only: pasted there, it is likely a credential
        expect(got[0]!).toMatch(key === "env" || key === "headers" || key === "auth" ? new RegExp(`${expected.source.replace(/got "x"$/, "got a string")}$`) : expected)
      })
    }
  }

  test("a key of the other form says which form it belongs to", () => {
    const p = file("servers:\n  a:\n    command: x\n    headers: {A: b}\n")
    expect(load(p)[0]).toStartWith(`servers.a.headers (${p}:4): \`headers\` belongs to a remote server (url); a stdio server (command) takes command, args`)
  })
  test("both command and url", () => {
    const p = file("servers:\n  a:\n    command: x\n    url: http://127.0.0.1:1/mcp\n")
    expect(load(p)).toEqual([`servers.a (${p}:2): has both \`command\` (stdio server) and \`url\` (remote server); keep one`])
  })
  test("nested values: env values, args items, toolTimeouts keys and values", () => {
    const p = file("servers:\n  a:\n    command: x\n    args: [ok, 2]\n    env:\n      A: 1.5\n      B: [1]\n      PORT: 8080\n      DEBUG: true\n    toolTimeouts:\n      'bad name': 1s\n      fine: never\n")
    expect(load(p)).toEqual([
      `servers.a.args.1 (${p}:4): expected a string, got number 2`,
      // a whole number or a boolean is taken as its text (PORT, DEBUG); another number is not quoted
      `servers.a.env.A (${p}:6): expected a string: put this number in quotes (only whole numbers up to 2^53 are taken as their text; its digits would not be kept)`,
      `servers.a.env.B (${p}:7): expected a string (a whole number or true/false is taken as its text), got a list`,
      `servers.a.toolTimeouts.bad name (${p}:11): invalid key "bad name": tool names are 1-128 of A-Z a-z 0-9 _ . -`,
      `servers.a.toolTimeouts.fine (${p}:12): expected a duration such as 500, "30s", "5m" or "12h", got "never"`,
    ])
  })
  test("mcpServers entries get the same treatment", () => {
    const p = file(JSON.stringify({ mcpServers: { a: { command: "x", args: "y" } } }, null, 2), "json")
    expect(load(p)).toEqual([`mcpServers.a.args (${p}:5): expected an array of strings, got "y"`])
  })
  test("an entry that is not a mapping", () => {
    const p = file("servers:\n  a: 3\n")
    expect(load(p)[0]).toStartWith(`servers.a (${p}:2): expected a mapping {command`)
  })
})

describe("http.listen is checked at load", () => {
  test("bad port from the file", () => {
    const p = file("http:\n  listen: '127.0.0.1:99999'\n")
    expect(load(p)).toEqual([`http.listen (${p}:2): expected [HOST:]PORT such as 8787 or 127.0.0.1:8787 (port 0-65535), got "127.0.0.1:99999"`])
  })
  test("garbage from the environment", () => {
    expect(problems(() => loadConfig({ env: { ...noEnv, MCPO_HTTP_LISTEN: "localhost:http" } }))[0]).toStartWith("http.listen (env MCPO_HTTP_LISTEN): expected [HOST:]PORT")
  })
  test("non-loopback from a flag without the opt-in", () => {
    const [msg] = problems(() => loadConfig({ env: noEnv, flags: flagLayer({ http: "0.0.0.0:8080" }) }))
    expect(msg).toBe("http.listen (flag --http): 0.0.0.0 is not a loopback address; set http.allowNonLoopback: true to serve other machines (the default binds 127.0.0.1)")
  })
  test("non-loopback with the opt-in, loopback and port 0 load", () => {
    expect(loadConfig({ env: { ...noEnv, MCPO_HTTP_ALLOW_NON_LOOPBACK: "true" }, flags: flagLayer({ http: "0.0.0.0:8080" }) }).config.http.listen).toBe("0.0.0.0:8080")
    expect(loadConfig({ env: noEnv, flags: flagLayer({ http: "[::1]:0" }) }).config.http.listen).toBe("[::1]:0")
    expect(loadConfig({ env: noEnv, flags: flagLayer({ http: "8787" }) }).config.http.listen).toBe("8787")
  })
  test("allowUnauthenticated needs a loopback address", () => {
    const p = file("http:\n  listen: '0.0.0.0:1'\n  allowNonLoopback: true\n  allowUnauthenticated: true\n")
    expect(load(p)).toEqual([`http.allowUnauthenticated (${p}:4): only accepted with a loopback http.listen, got 0.0.0.0`])
  })
})

describe("YAML alias bomb", () => {
  const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
  for (const [i, c] of [..."bcdefghi"].entries()) {
    const prev = "abcdefghi"[i]!
    laughs.push(`${c}: &${c} [${Array(9).fill(`*${prev}`).join(", ")}]`)
  }
  test("is refused with file and line, by the aliases limit (not by expanding it)", () => {
    const p = file(laughs.join("\n") + "\n")
    // A billion laughs expands to 9^9 strings: expanding it would blow the test's timeout or its
    // memory long before an answer; refused by the limit, it answers with the limit named.
    const got = load(p)
    expect(got).toHaveLength(1)
    expect(got[0]).toStartWith(`${p}:2: YAML aliases expand too much`)
    expect(got[0]).toEndWith(`a config needs at most ${MAX_ALIAS_COUNT} alias expansions`)
  })
  test("a few aliases are fine", () => {
    const p = file("servers:\n  a: &srv {command: x}\n  b: *srv\n")
    expect(Object.keys(loadConfig({ configPath: p, env: noEnv }).config.servers)).toEqual(["a", "b"])
  })
})

describe("YAML syntax errors are said in the user's terms", () => {
  test("a second document (a `---` line, as in a pasted Kubernetes-style file) names its line and what to do, not a parser API", () => {
    const p = file("servers:\n  a:\n    command: x\n---\nservers:\n  b:\n    command: y\n")
    const got = load(p)
    expect(got).toEqual([`${p}:4: not valid YAML/JSON: a second YAML document starts here (after a \`---\` or \`...\` line); the config is one document: merge the keys into one mapping and remove the separator`])
    expect(got.join("\n")).not.toContain("parseAllDocuments")
  })
  test("a tab indenting a line names that line and says spaces", () => {
    const p = file("servers:\n\ta:\n\t\tcommand: x\n")
    expect(load(p)).toEqual([2, 3].map((n) => `${p}:${n}: not valid YAML/JSON: a tab indents this line; YAML indents with spaces only`))
  })
  test("a leading `---` alone, a BOM, CRLF line ends and merge keys still load", () => {
    const p = file("\uFEFF---\r\nservers:\r\n  a: &base\r\n    command: x\r\n    args: [one]\r\n  b:\r\n    <<: *base\r\n    args: [two]\r\n")
    const { servers } = loadConfig({ configPath: p, env: noEnv }).config
    expect(servers).toMatchObject({ a: { command: "x", args: ["one"] }, b: { command: "x", args: ["two"] } })
  })
})
