/**
 * `cursor connect|disconnect`: the plan (import, Docker gateway replacement, skips), JSONC edits
 * that keep every byte outside the edited keys, the import record that lets disconnect put the
 * servers back, and the real command through the built binary: files written with backups, and the
 * imported server actually served by the orchestrator afterwards.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { ConfigError } from "../../src/core/index.ts"
import { parse } from "yaml"
import { planConnect } from "../../src/app/cursor-plan.ts"
import { cursorConnect, cursorDisconnect } from "../../src/app/cursor-setup.ts"
import { recordPath } from "../../src/app/cursor-record.ts"
import { parseJsonc, removeJsonc, setJsonc } from "../../src/app/jsonc-edit.ts"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"

const entry = { command: "/opt/mo", args: ["serve"] }

describe("plan", () => {
  const mcp = {
    other: "kept",
    mcpServers: {
      memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"], env: { MEMORY_FILE_PATH: "/tmp/m.json" } },
      MCP_DOCKER: { command: "docker", args: ["mcp", "gateway", "run", "--profile", "dev-tools"] },
      "bad name": { command: "x" },
      weird: { command: 42 },
      taken: { command: "y" },
    },
  }
  test("import moves valid servers, replaces the Docker gateway, skips with reasons", () => {
    const p = planConnect(mcp, { taken: { command: "z" } }, { name: "mo", entry, importServers: true })
    expect(Object.keys(p.imported)).toEqual(["memory"])
    expect(p.imported.memory).toMatchObject({ command: "npx", env: { MEMORY_FILE_PATH: "/tmp/m.json" } })
    expect(p.replacedDocker).toBe(true)
    expect(p.dockerProfile).toBe("dev-tools")
    expect(p.skipped.map((s) => s.name).sort()).toEqual(["bad name", "taken", "weird"])
    expect(Object.keys(p.moved).sort()).toEqual(["MCP_DOCKER", "memory"])
    expect(Object.keys(p.mcpJson.mcpServers as object).sort()).toEqual(["bad name", "mo", "taken", "weird"])
    expect(p.mcpJson.other).toBe("kept")
  })
  test("without import only our entry is added (or replaced)", () => {
    const p = planConnect(mcp, {}, { name: "mo", entry, importServers: false })
    expect(Object.keys(p.imported)).toEqual([])
    expect(Object.keys(p.mcpJson.mcpServers as object)).toContain("MCP_DOCKER")
    expect((p.mcpJson.mcpServers as Record<string, unknown>).mo).toEqual(entry)
  })
  test("JSONC: comments and trailing commas, strings untouched", () => {
    const v = parseJsonc('{\n // note\n "a": "x // not a comment, }", /* b */ "b": [1, 2,],\n}')
    expect(v).toEqual({ a: "x // not a comment, }", b: [1, 2] })
    expect(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}')).toThrow("line 3")
  })
  test("an entry already imported (same definition in our config) only leaves mcp.json; a different one is skipped", () => {
    const spec = { command: "npx", args: ["-y", "x"] }
    const same = planConnect({ mcpServers: { a: spec } }, { a: { args: ["-y", "x"], command: "npx" } }, { name: "mo", entry, importServers: true })
    expect(same.already).toEqual(["a"])
    expect(Object.keys(same.imported)).toEqual([])
    expect(Object.keys(same.moved)).toEqual(["a"])
    const other = planConnect({ mcpServers: { a: spec } }, { a: { command: "npx" } }, { name: "mo", entry, importServers: true })
    expect(other.skipped.map((s) => s.name)).toEqual(["a"])
  })
  test("imported as written: variables, envFile and Cursor's auth kept; a variable URL checks as what it resolves to", () => {
    const remote = { url: "${env:BASE}/mcp", auth: { CLIENT_ID: "id-1", CLIENT_SECRET: "secret-1", scopes: ["read"] } }
    const local = { command: "${userHome}/bin/x", envFile: "${userHome}/.env" }
    // a project's mcp.json (--project): ${workspaceFolder} is that project for Cursor and for us (MCPO_WORKSPACE)
    const project = { command: "x", args: ["${workspaceFolderBasename}"], envFile: "${workspaceFolder}/.env" }
    const p = planConnect({ mcpServers: { remote, local, project } }, {}, { name: "mo", entry, importServers: true, vars: { env: { BASE: "https://mcp.example.com" }, workspace: "/w" }, project: "/w" })
    expect(p.imported).toEqual({ remote, local, project })
    const bad = planConnect({ mcpServers: { remote: { url: "${config:x}" } } }, {}, { name: "mo", entry, importServers: true, vars: { env: {}, workspace: "/w" } })
    expect(bad.skipped[0]!.reason).toContain("unknown variable")
  })
})

describe("plan: only entries that mean the same behind the orchestrator move (QA 1a, 1c)", () => {
  const vars = { env: { HOME: "/home/me" }, workspace: "/" }
  const plan = (servers: Record<string, unknown>, extra: Partial<Parameters<typeof planConnect>[2]> = {}) => planConnect({ mcpServers: servers }, {}, { name: "mo", entry, importServers: true, vars, ...extra })

  test("the global mcp.json: ${workspaceFolder} / ${workspaceFolderBasename} anywhere Cursor resolves them stay, with the reason", () => {
    const p = plan({
      withenv: { command: "node", args: ["-e", "1"], envFile: "${workspaceFolder}/.env" },
      inargs: { command: "npx", args: ["-y", "fs", "${workspaceFolder}"] },
      inenv: { command: "x", env: { PROJECT: "${workspaceFolderBasename}" } },
      inheader: { url: "https://x.example/mcp", headers: { "X-Project": "${workspaceFolderBasename}" } },
      escaped: { command: "x", args: ["$${workspaceFolder}"] },
      home: { command: "${userHome}/bin/x", envFile: "${userHome}/.env", args: ["${pathSeparator}", "${/}", "${env:HOME}"] },
    })
    expect(Object.keys(p.imported).sort()).toEqual(["escaped", "home"])
    expect(Object.fromEntries(p.skipped.map((x) => [x.name, x.reason.slice(0, x.reason.indexOf(":"))]))).toEqual({
      withenv: "envFile uses ${workspaceFolder}",
      inargs: "args[2] uses ${workspaceFolder}",
      inenv: "env.PROJECT uses ${workspaceFolderBasename}",
      inheader: "headers.X-Project uses ${workspaceFolderBasename}",
    })
    expect(p.skipped[0]!.reason).toContain("--project DIR")
    expect(Object.keys(p.mcpJson.mcpServers as object).sort()).toEqual(["inargs", "inenv", "inheader", "mo", "withenv"])
  })

  test("a variable we cannot resolve anywhere in the entry (not only command and url), and a relative envFile, stay", () => {
    const p = plan({
      file: { command: "x", args: ["${file}"] },
      cfg: { command: "x", env: { A: "${config:editor.tabSize}" } },
      rel: { command: "x", envFile: ".env" },
    })
    expect(p.imported).toEqual({})
    const why = Object.fromEntries(p.skipped.map((x) => [x.name, x.reason]))
    expect(why.file).toStartWith("args[0] uses ${file}, a variable of the editor (Cursor) that mcp-orchestrator does not have")
    expect(why.cfg).toStartWith('env.A uses a variable mcp-orchestrator cannot resolve: unknown variable "${config:editor.tabSize}"')
    expect(why.rel).toStartWith('envFile ".env" is a relative path')
  })

  test("a relative cwd, or a relative command with a / and no absolute cwd, stays: ours would start at our config file's directory", () => {
    const p = plan({
      relcmd: { command: "./switch.sh" },
      relcwd: { command: "node", args: ["server.js"], cwd: "srv" },
      incwd: { command: "./bin/server", cwd: "/opt/srv" },
      bare: { command: "node", args: ["./server.js"] },
    })
    expect(Object.keys(p.imported).sort()).toEqual(["bare", "incwd"])
    const why = Object.fromEntries(p.skipped.map((x) => [x.name, x.reason]))
    expect(why.relcmd).toStartWith(`command "./switch.sh" is a relative path: mcp-orchestrator resolves it from its config file's directory, not from the directory Cursor starts servers in`)
    expect(why.relcwd).toStartWith(`cwd "srv" is a relative path: mcp-orchestrator resolves it from its config file's directory`)
  })

  test("an entry that runs mcp-orchestrator itself stays (a nested copy would list every tool twice)", () => {
    const p = plan(
      {
        self: { command: "/opt/bin/mcp-orchestrator", args: ["serve"] },
        ro: { command: "/opt/mo", args: ["serve", "--toolset", "readonly"] },
        mem: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
      },
      { isOrchestrator: (s) => ["/opt/mo", "/opt/bin/mcp-orchestrator"].includes((s as { command: string }).command) },
    )
    expect(Object.keys(p.imported)).toEqual(["mem"])
    expect(p.skipped.map((x) => x.name)).toEqual(["self", "ro"])
    expect(p.skipped[0]!.reason).toContain("runs mcp-orchestrator itself")
    // by name alone (the default check, no I/O)
    expect(plan({ self: { command: "mcp-orchestrator" } }).skipped.map((x) => x.name)).toEqual(["self"])
  })

  test("our key held by another server: nothing planned over it; an mcp-orchestrator entry there is ours to replace", () => {
    const mine = { command: "my-own-mo-server", args: ["--flag"] }
    const p = plan({ mo: mine, mem: { command: "npx" } })
    expect(p.taken).toEqual(mine)
    expect(p.imported).toEqual({})
    expect((p.mcpJson.mcpServers as Record<string, unknown>).mo).toEqual(mine)
    for (const ours of [{ command: "/old/place/mcp-orchestrator", args: ["serve"] }, { command: "/opt/mo", args: ["serve", "--config", "/x.yaml"] }, { command: "/moved/mo", args: ["serve"], env: { MCPO_PROXY_NAME_BUDGET: "58" } }]) {
      const q = plan({ mo: ours })
      expect(q.taken).toBeUndefined()
      expect((q.mcpJson.mcpServers as Record<string, unknown>).mo).toEqual(entry)
    }
  })
})

/** Lines of `before` that are not in `dropped`, in order, each found verbatim in `after`. */
function keptInOrder(before: string, after: string, dropped: (line: string) => boolean): void {
  let at = 0
  for (const line of before.split("\n")) {
    if (dropped(line)) continue
    const i = after.indexOf(line, at)
    expect({ line, found: i >= 0 }).toEqual({ line, found: true })
    at = i + line.length
  }
}

describe("JSONC edits", () => {
  const odd = [
    "{",
    "\t// my servers, tab-indented, odd spacing",
    '\t"mcpServers" :{',
    '\t\t"weird" :  { "command": 42,   "args": [ "a" ] }, // trailing comment',
    '\t\t"mem": { "command": "node" }, // about mem',
    '\t\t/* block */ "keep":{"command":"y"}',
    "\t},",
    '\t"other":[1,2 , 3] /* tail */',
    "}",
    "",
  ].join("\n")

  test("removing a property drops its own line(s) only; every other byte stays", () => {
    const out = removeJsonc(odd, ["mcpServers", "mem"])
    expect(out).toBe(odd.replace('\t\t"mem": { "command": "node" }, // about mem\n', ""))
    expect(removeJsonc(odd, ["mcpServers", "absent"])).toBe(odd)
  })
  test("removing the last property takes the comma before it, not the comment after that one", () => {
    const out = removeJsonc(odd, ["mcpServers", "keep"])
    expect(out).toBe(odd.replace('"mem": { "command": "node" }, // about mem', '"mem": { "command": "node" } // about mem').replace('\t\t/* block */ "keep":{"command":"y"}', "\t\t/* block */ "))
    expect(parseJsonc(out)).toEqual({ mcpServers: { weird: { command: 42, args: ["a"] }, mem: { command: "node" } }, other: [1, 2, 3] })
  })
  test("adding a property writes it on new lines in the file's indentation; the rest is untouched", () => {
    const out = setJsonc(odd, ["mcpServers", "mo"], { command: "/bin/mo", args: ["serve"] })
    expect(out).toBe(odd.replace('"keep":{"command":"y"}\n', '"keep":{"command":"y"},\n\t\t"mo": {\n\t\t\t"command": "/bin/mo",\n\t\t\t"args": [\n\t\t\t\t"serve"\n\t\t\t]\n\t\t}\n'))
    // and back: the file is byte for byte what it was
    expect(removeJsonc(out, ["mcpServers", "mo"])).toBe(odd)
  })
  test("replacing a value changes that value only; CRLF, two-space and one-line files keep their style", () => {
    const replaced = setJsonc(odd, ["mcpServers", "keep"], { command: "z" })
    keptInOrder(odd, replaced, (l) => l.includes('"keep"'))
    expect((parseJsonc(replaced) as { mcpServers: { keep: unknown } }).mcpServers.keep).toEqual({ command: "z" })
    const crlf = '{\r\n  "mcpServers": {\r\n    "a": {"command":"x"},\r\n  }\r\n}\r\n'
    expect(setJsonc(crlf, ["mcpServers", "b"], { command: "y" })).toBe('{\r\n  "mcpServers": {\r\n    "a": {"command":"x"},\r\n    "b": {\r\n      "command": "y"\r\n    }\r\n  }\r\n}\r\n')
    expect(setJsonc('{"mcpServers":{"a":{"command":"x"}}}', ["mcpServers", "b"], { command: "y" })).toBe('{"mcpServers":{"a":{"command":"x"},"b": {"command":"y"}}}')
    expect(setJsonc('{\n  "mcpServers": {}\n}\n', ["mcpServers", "b"], { command: "y" })).toBe('{\n  "mcpServers": {\n    "b": {\n      "command": "y"\n    }\n  }\n}\n')
    expect(setJsonc("", ["mcpServers", "b"], { command: "y" })).toBe('{\n  "mcpServers": {\n    "b": {\n      "command": "y"\n    }\n  }\n}\n')
  })
})

describe("connect --import, then disconnect (in process)", () => {
  test("comments and formatting survive; disconnect puts the moved servers back and removes our entry", () => {
    const home = tempHome()
    const mcpPath = join(home, ".cursor", "mcp.json")
    mkdirSync(join(home, ".cursor"))
    const original = [
      "{",
      "    // global servers",
      '    "mcpServers": {',
      '        "mem": {"command": "node", "args": ["server.js"], "env": {"MEMORY_FILE_PATH": "/tmp/m.json"}}, // memory',
      '        "linear": { "url": "https://mcp.linear.app/mcp", "auth": { "CLIENT_ID": "abc", "CLIENT_SECRET": "shh-0123456789", "scopes": ["read"] } },',
      '        "MCP_DOCKER": { "command": "docker", "args": ["mcp", "gateway", "run", "--profile", "dev"] },',
      '        "bad name": { "command": "x" } /* not movable */',
      "    },",
      '    "theme":   "dark"   // unrelated key',
      "}",
      "",
    ].join("\n")
    writeFileSync(mcpPath, original)
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, "config") }
    const r = cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", env })
    expect(Object.keys(r.plan!.imported).sort()).toEqual(["linear", "mem"])
    const connected = readFileSync(mcpPath, "utf8")
    // every line that was not a moved entry is still there, verbatim and in order
    keptInOrder(original, connected, (l) => /"(mem|linear|MCP_DOCKER|bad name)"/.test(l))
    expect(connected).toContain('"bad name": { "command": "x" }, /* not movable */\n        "mo": {\n            "command": "/opt/mo",')
    expect(Object.keys((parseJsonc(connected) as { mcpServers: object }).mcpServers)).toEqual(["bad name", "mo"])
    // the config got the entries as written, Cursor's auth included
    const cfg = parse(readFileSync(join(home, "config", "mcp-orchestrator", "config.yaml"), "utf8"))
    expect(cfg.servers.linear.auth).toEqual({ CLIENT_ID: "abc", CLIENT_SECRET: "shh-0123456789", scopes: ["read"] })
    expect(cfg.toolkit.profile).toBe("dev")
    // the record of what moved holds secrets: owner-only
    expect(statSync(recordPath(env)).mode & 0o777).toBe(0o600)

    const d = cursorDisconnect({ name: "mo", dryRun: false, env })
    expect(d.removed).toBe(true)
    expect(d.restored!.sort()).toEqual(["MCP_DOCKER", "linear", "mem"])
    const after = readFileSync(mcpPath, "utf8")
    expect(parseJsonc(after)).toEqual(parseJsonc(original)) // the same servers, same values
    keptInOrder(original, after, (l) => /"(mem|linear|MCP_DOCKER|bad name)"/.test(l))
    expect(after).toContain('"bad name": { "command": "x" }, /* not movable */')

    // a second round: the servers are already in our config, so they only leave mcp.json again
    const again = cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", env })
    expect(again.plan!.already.sort()).toEqual(["linear", "mem"])
    expect(Object.keys((parseJsonc(readFileSync(mcpPath, "utf8")) as { mcpServers: object }).mcpServers)).toEqual(["bad name", "mo"])
    expect(cursorDisconnect({ name: "mo", dryRun: false, env }).restored!.sort()).toEqual(["MCP_DOCKER", "linear", "mem"])
    expect(parseJsonc(readFileSync(mcpPath, "utf8"))).toEqual(parseJsonc(original))
  })

  test("--project sets MCPO_WORKSPACE in our entry; a .json orchestrator config stays JSON", () => {
    const home = tempHome()
    const project = join(home, "proj")
    mkdirSync(join(project, ".cursor"), { recursive: true })
    writeFileSync(join(project, ".cursor", "mcp.json"), '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "fs", "${workspaceFolder}"] } } }\n')
    const cfg = join(home, "orch.json")
    writeFileSync(cfg, '{\n  // mine\n  "log": { "level": "info" }\n}\n')
    cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", project, config: cfg, env: { HOME: home } })
    const mcp = parseJsonc(readFileSync(join(project, ".cursor", "mcp.json"), "utf8")) as { mcpServers: Record<string, { env: Record<string, string> }> }
    expect(mcp.mcpServers.mo!.env.MCPO_WORKSPACE).toBe(project)
    const text = readFileSync(cfg, "utf8")
    expect(text).toStartWith('{\n  // mine\n  "log": { "level": "info" },\n')
    expect((parseJsonc(text) as { servers: unknown }).servers).toEqual({ fs: { command: "npx", args: ["-y", "fs", "${workspaceFolder}"] } })
  })
})

function tempHome(): string {
  return sandboxEnv().HOME!
}

describe("connect and disconnect leave the user's files as they were (QA 1b, 1d, 2, 3)", () => {
  const setup = (text: string | Buffer, mode = 0o644) => {
    const home = tempHome()
    mkdirSync(join(home, ".cursor"))
    const mcpPath = join(home, ".cursor", "mcp.json")
    writeFileSync(mcpPath, text)
    chmodSync(mcpPath, mode)
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, "config"), XDG_STATE_HOME: join(home, "state") }
    return { home, mcpPath, env, backups: () => readdirSync(join(home, ".cursor")).filter((f) => f.includes(".bak-")) }
  }

  test("another server under our key is refused, naming it; nothing is written (nor by disconnect)", () => {
    const original = '{\n  "mcpServers": {\n    "mo": { "command": "my-own-mo-server", "args": ["--flag"] },\n    "mem": { "command": "npx" }\n  }\n}\n'
    const s = setup(original)
    for (const dryRun of [true, false]) {
      let err: unknown
      try {
        cursorConnect({ name: "mo", importServers: true, dryRun, command: "/opt/mo", env: s.env })
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as ConfigError).problems).toEqual([`${s.mcpPath}: mcpServers.mo is another server (my-own-mo-server --flag), not mcp-orchestrator`])
      expect((err as ConfigError).remedy).toContain("--name")
    }
    expect(() => cursorDisconnect({ name: "mo", dryRun: false, env: s.env })).toThrow("mcpServers.mo is another server")
    expect(readFileSync(s.mcpPath, "utf8")).toBe(original)
    expect(s.backups()).toEqual([])
    expect(existsSync(join(s.env.XDG_CONFIG_HOME, "mcp-orchestrator", "config.yaml"))).toBe(false)
    // another key works, and the user's "mo" moves like any server
    const r = cursorConnect({ name: "mcpo", importServers: true, dryRun: false, command: "/opt/mo", env: s.env })
    expect(Object.keys(r.plan!.imported).sort()).toEqual(["mem", "mo"])
  })

  test("a relative --config, --command with a directory, or a config found through MCPO_CONFIG: absolute paths in the entry", () => {
    const s = setup('{ "mcpServers": { "a": { "command": "node", "args": ["-e", "1"] } } }\n')
    const cfg = join(s.home, "orch.yaml")
    const rel = relative(process.cwd(), cfg)
    expect(rel.startsWith("/")).toBe(false)
    cursorConnect({ name: "mo", importServers: true, dryRun: false, command: relative(process.cwd(), "/opt/tools/mcpo"), config: rel, env: s.env })
    const mo = (parseJsonc(readFileSync(s.mcpPath, "utf8")) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers.mo!
    expect(mo.command).toBe("/opt/tools/mcpo")
    expect(mo.args).toEqual(["serve", "--config", cfg])
    expect(parse(readFileSync(cfg, "utf8")).servers.a.command).toBe("node")

    const t = setup('{ "mcpServers": { "b": { "command": "node" } } }\n')
    const viaEnv = join(t.home, "env.yaml")
    const r = cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "mcp-orchestrator", env: { ...t.env, MCPO_CONFIG: relative(process.cwd(), viaEnv) } })
    expect(r.config).toBe(viaEnv)
    const mo2 = (parseJsonc(readFileSync(t.mcpPath, "utf8")) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers.mo!
    expect(mo2).toMatchObject({ command: "mcp-orchestrator", args: ["serve", "--config", viaEnv] })
  })

  test("a UTF-8 BOM (serve and doctor accept one) is accepted and kept, by connect and by disconnect", () => {
    const text = '\uFEFF{\n  "mcpServers": {\n    "a": { "command": "node", "args": ["-e", "1"] }\n  }\n}\n'
    const s = setup(text)
    const r = cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", env: s.env })
    expect(Object.keys(r.plan!.imported)).toEqual(["a"])
    const after = readFileSync(s.mcpPath, "utf8")
    expect(after.startsWith("\uFEFF{\n")).toBe(true)
    expect(Object.keys((parseJsonc(after) as { mcpServers: object }).mcpServers)).toEqual(["mo"])
    cursorDisconnect({ name: "mo", dryRun: false, env: s.env })
    const back = readFileSync(s.mcpPath, "utf8")
    expect(back.startsWith("\uFEFF{")).toBe(true)
    expect(parseJsonc(back)).toEqual(parseJsonc(text))
  })

  test("the file's mode is kept (a new file is 0600); a symlink stays a link", () => {
    const s = setup('{\n  "mcpServers": {\n    "a": { "command": "node", "args": ["-e", "1"] }\n  }\n}\n', 0o644)
    cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", env: s.env })
    expect(statSync(s.mcpPath).mode & 0o777).toBe(0o644)
    cursorDisconnect({ name: "mo", dryRun: false, env: s.env })
    expect(statSync(s.mcpPath).mode & 0o777).toBe(0o644)
    // the backups hold what --import moved out (the servers' env, their secrets): owner-only,
    // whatever the file's mode (before, copied with it: 0644)
    expect(s.backups().length).toBe(2)
    for (const b of s.backups()) expect({ b, mode: statSync(join(s.home, ".cursor", b)).mode & 0o777 }).toEqual({ b, mode: 0o600 })
    // the orchestrator config it created holds the moved servers' env: owner-only
    expect(statSync(join(s.env.XDG_CONFIG_HOME, "mcp-orchestrator", "config.yaml")).mode & 0o777).toBe(0o600)

    // an existing config other users may read: the moved servers' secrets are said to land there
    const u = setup('{ "mcpServers": { "gh": { "command": "npx", "args": ["-y", "gh-mcp"], "env": { "GITHUB_TOKEN": "ghp_Zq8Kd03LmVx71PwRt5Ys" } }, "plain": { "command": "node" } } }\n')
    const cfg = join(u.home, "orch.yaml")
    writeFileSync(cfg, "servers: {}\n")
    chmodSync(cfg, 0o644)
    const r = cursorConnect({ name: "mo", importServers: true, dryRun: false, command: "/opt/mo", config: cfg, env: u.env })
    expect(r.notes).toEqual([`${cfg} may be read by other users (mode 0644) and now holds the secrets of gh: run \`chmod 600 ${cfg}\``])
    expect(statSync(cfg).mode & 0o777).toBe(0o644)

    // no mcp.json yet: created 0600
    const home = tempHome()
    cursorConnect({ name: "mo", importServers: false, dryRun: false, command: "/opt/mo", env: { HOME: home, XDG_STATE_HOME: join(home, "state") } })
    expect(statSync(join(home, ".cursor", "mcp.json")).mode & 0o777).toBe(0o600)

    // a dotfiles symlink: the link stays, its target gets the edit
    const t = setup("{}\n", 0o640)
    const real = join(t.home, "dotfiles-mcp.json")
    writeFileSync(real, '{ "mcpServers": {} }\n')
    chmodSync(real, 0o640)
    require("node:fs").rmSync(t.mcpPath)
    symlinkSync(real, t.mcpPath)
    cursorConnect({ name: "mo", importServers: false, dryRun: false, command: "/opt/mo", env: t.env })
    expect(lstatSync(t.mcpPath).isSymbolicLink()).toBe(true)
    expect(Object.keys((parseJsonc(readFileSync(real, "utf8")) as { mcpServers: object }).mcpServers)).toEqual(["mo"])
    expect(statSync(real).mode & 0o777).toBe(0o640)
  })
})

describe("through the binary", () => {
  beforeAll(ensureBuilt, 120_000)

  test("connect --import, then the orchestrator serves the imported server; disconnect removes the entry", async () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    require("node:fs").mkdirSync(join(env.HOME!, ".cursor"))
    const memory = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
    writeFileSync(mcpPath, `{\n  // my servers\n  "mcpServers": {\n    "mem": { "command": "${process.execPath}", "args": ["${memory}"] },\n    "MCP_DOCKER": { "command": "docker", "args": ["mcp", "gateway", "run"] },\n  }\n}\n`)
    const dry = Bun.spawnSync([BIN, "cursor", "connect", "--import", "--dry-run"], { env, cwd: env.HOME })
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout.toString()).toContain("would move")
    expect(readdirSync(join(env.HOME!, ".cursor"))).toEqual(["mcp.json"]) // dry run wrote nothing

    const run = Bun.spawnSync([BIN, "cursor", "connect", "--import"], { env, cwd: env.HOME })
    expect(run.exitCode).toBe(0)
    const text = readFileSync(mcpPath, "utf8")
    expect(text).toStartWith("{\n  // my servers\n") // comments kept
    const out = parseJsonc(text) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> }
    expect(Object.keys(out.mcpServers)).toEqual(["mo"])
    expect(out.mcpServers.mo).toEqual({ command: BIN, args: ["serve"], env: { MCPO_PROXY_NAME_BUDGET: "57" } })
    expect(readdirSync(join(env.HOME!, ".cursor")).some((f) => f.startsWith("mcp.json.bak-"))).toBe(true)
    const cfgPath = join(env.XDG_CONFIG_HOME!, "mcp-orchestrator", "config.yaml")
    expect(existsSync(cfgPath)).toBe(true)
    expect(parse(readFileSync(cfgPath, "utf8")).servers.mem.command).toBe(process.execPath)

    // what Cursor would now start: the orchestrator with the imported server behind it
    const c = await connectBinary(out.mcpServers.mo!.args, { ...env, ...out.mcpServers.mo!.env })
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("mem__read_graph")
    } finally {
      await c.close()
    }

    const off = Bun.spawnSync([BIN, "cursor", "disconnect"], { env, cwd: env.HOME })
    expect(off.exitCode).toBe(0)
    expect(off.stdout.toString()).toContain("put back")
    // Cursor has its servers again (the Docker gateway entry too), and our entry is gone
    expect(parseJsonc(readFileSync(mcpPath, "utf8"))).toEqual({ mcpServers: { mem: { command: process.execPath, args: [memory] }, MCP_DOCKER: { command: "docker", args: ["mcp", "gateway", "run"] } } })
  }, 30_000)

  test("QA repro: the user's own \"mo\" is refused; with another key, this binary's own entry and a ${workspaceFolder} envFile stay, and the entry serves", async () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    mkdirSync(join(env.HOME!, ".cursor"))
    const memory = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")
    const original = JSON.stringify(
      {
        mcpServers: {
          mo: { command: "my-own-mo-server", args: ["--flag"] },
          mem: { command: process.execPath, args: [memory] },
          self: { command: BIN, args: ["serve"] },
          withenv: { command: "node", args: ["-e", "1"], envFile: "${workspaceFolder}/.env" },
        },
      },
      null,
      2,
    )
    writeFileSync(mcpPath, original)
    const refused = Bun.spawnSync([BIN, "cursor", "connect", "--import"], { env, cwd: env.HOME })
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr.toString()).toContain("mcpServers.mo is another server (my-own-mo-server --flag), not mcp-orchestrator")
    expect(readFileSync(mcpPath, "utf8")).toBe(original)

    const run = Bun.spawnSync([BIN, "cursor", "connect", "--import", "--name", "mcpo"], { env, cwd: env.HOME })
    expect(run.exitCode).toBe(0)
    const out = run.stdout.toString()
    expect(out).toContain(": mo, mem\n")
    expect(out).toContain("kept in mcp.json: self (it runs mcp-orchestrator itself")
    expect(out).toContain("kept in mcp.json: withenv (envFile uses ${workspaceFolder}")
    const servers = (parseJsonc(readFileSync(mcpPath, "utf8")) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> }).mcpServers
    expect(Object.keys(servers).sort()).toEqual(["mcpo", "self", "withenv"])
    // what Cursor starts: it loads (no nested copy, no unreadable envFile in its config) and serves mem
    const c = await connectBinary(servers.mcpo!.args, { ...env, ...servers.mcpo!.env })
    try {
      expect(await listUntil(c.client, "mem__read_graph")).toContain("mem__read_graph")
      expect(c.stderr()).not.toContain("runs mcp-orchestrator itself")
    } finally {
      await c.close()
    }
  }, 30_000)

  test("QA repro: every name the entry serves stays under Cursor's limit, key + tool name < 60 (key `g` + a 59-character tool was dropped; the budget was 60 − key)", async () => {
    const env = sandboxEnv()
    const mcpPath = join(env.HOME!, ".cursor", "mcp.json")
    mkdirSync(join(env.HOME!, ".cursor"))
    const named = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")
    // the Composio tool Cursor dropped under key `g`, and names just under and over the old budget
    const tools = ["GOOGLESHEETS_SPREADSHEETS_VALUES_BATCH_CLEAR_BY_DATA_FILTER", "a".repeat(52), "b".repeat(53), "c".repeat(54), "short"]
    writeFileSync(mcpPath, JSON.stringify({ mcpServers: { sh: { command: process.execPath, args: [named, "--tools", tools.join(",")] } } }))
    for (const key of ["g", "mo"]) {
      const run = Bun.spawnSync([BIN, "cursor", "connect", "--import", "--name", key], { env, cwd: env.HOME })
      expect(run.exitCode).toBe(0)
      const servers = (parseJsonc(readFileSync(mcpPath, "utf8")) as { mcpServers: Record<string, { args: string[]; env: Record<string, string> }> }).mcpServers
      const c = await connectBinary(servers[key]!.args, { ...env, ...servers[key]!.env })
      try {
        const names = (await listUntil(c.client, "sh__short")).filter((n) => n.startsWith("sh"))
        expect(names).toHaveLength(tools.length)
        for (const n of names) expect(`${key} ${n}: ${key.length + n.length}`).toBe(`${key} ${n}: ${Math.min(59, key.length + n.length)}`)
      } finally {
        await c.close()
      }
      expect(Bun.spawnSync([BIN, "cursor", "disconnect", "--name", key], { env, cwd: env.HOME }).exitCode).toBe(0)
    }
  }, 60_000)
})
