/**
 * @module test/docker/cli-output-variants.test
 * A `docker mcp` that prints what nobody here has seen (the fake docker's `setOutput`, and its
 * `config-read-fails-silently` mode): log lines around its JSON, a BOM, a wrapper object, plain
 * text where JSON was expected, a warning before the version, an error text with exit 0, secrets
 * in its output. Expected: the data is read when it is there, a clear error naming the command and
 * the detected version otherwise, nothing of the user's state lost, no secret quoted.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

const USER_CONFIG = "# my notes: paths checked 2026-11\nfilesystem:\n  paths:\n    - /home/me/src # the work tree\npostgres:\n  url: postgres://me@db/app\n"

describe("legacy config_set never loses the user's config.yaml", () => {
  test("comments, key order and the other servers stay; only the key set changes", async () => {
    const f = fake({ version: "v0.20.0" })
    f.writeState({ configYaml: USER_CONFIG })
    await createToolkitDriver({ env: f.env }).configSet("filesystem", "paths", ["/home/me/projects"])
    const yaml = f.state().configYaml
    expect(yaml).toContain("# my notes: paths checked 2026-11")
    expect(yaml).toContain("/home/me/projects")
    expect(yaml).not.toContain("/home/me/src")
    expect(yaml).toContain("postgres:\n  url: postgres://me@db/app")
    expect(yaml.indexOf("filesystem:")).toBeLessThan(yaml.indexOf("postgres:"))
  })

  // Desktop hints are printed with human output ("coloured Tip: lines", docs/toolkit.md §3), and
  // `config read` prints the file as it is: YAML reads such a line as one more pair
  for (const [what, notice] of [
    ["a coloured Desktop Tip", "\u001b[36mTip:\u001b[0m edit it with `docker mcp config write`\n"],
    ["an update notice", "A new version of docker-mcp is available: v0.44.0\n"],
  ] as const) {
    test(`\`config read\` with ${what} before the file: config_get reads it, config_set does not write the notice into config.yaml`, async () => {
      const f = fake({ version: "v0.20.0" })
      f.writeState({ configYaml: USER_CONFIG })
      f.setOutput("config read", { stdout: notice + USER_CONFIG })
      const d = createToolkitDriver({ env: f.env })
      expect(await d.configGet()).toEqual({ filesystem: { paths: ["/home/me/src"] }, postgres: { url: "postgres://me@db/app" } })
      await d.configSet("filesystem", "paths", ["/home/me/projects"])
      const yaml = f.state().configYaml
      expect(yaml).toContain("/home/me/projects")
      expect(yaml).toContain("# my notes: paths checked 2026-11")
      expect(yaml).toContain("postgres:\n  url: postgres://me@db/app")
      expect(yaml).not.toMatch(/Tip|new version|\u001b/)
    })
  }

  test("`config read` printing plain text (not a map of servers) is refused; nothing is written", async () => {
    const f = fake({ version: "v0.20.0" })
    f.writeState({ configYaml: USER_CONFIG })
    f.setOutput("config read", { stdout: "Configuration is managed by your administrator\n" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).configSet("filesystem", "paths", ["/x"]))
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("config.yaml")
    expect(err.remedy).toContain("nothing was written")
    expect(f.state().configYaml).toBe(USER_CONFIG)
    expect(f.argvLog().some((a) => a[1] === "config" && a[2] === "write")).toBe(false)
  })

  test("a server entry that is not a map is not replaced by one", async () => {
    const f = fake({ version: "v0.20.0" })
    const odd = "filesystem: [/home/me/src]\n"
    f.writeState({ configYaml: odd })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).configSet("filesystem", "paths", ["/x"]))
    expect(err.message).toContain("filesystem")
    expect(f.state().configYaml).toBe(odd)
  })

  test("`config read` that fails with exit 0 (error on stderr, nothing on stdout) is a failure, not an empty config", async () => {
    const f = fake({ version: "v0.20.0", fail: "config-read-fails-silently" })
    f.writeState({ configYaml: USER_CONFIG })
    const d = createToolkitDriver({ env: f.env })
    const err = await toolkitFailure(d.configSet("filesystem", "paths", ["/x"]))
    expect(err.code).toBe("OUTPUT_EMPTY")
    expect(err.message).toContain("docker mcp config read")
    expect(err.message).toContain("permission denied")
    expect(err.message).toContain("v0.20.0")
    expect(f.state().configYaml).toBe(USER_CONFIG)
    expect(f.argvLog().some((a) => a[1] === "config" && a[2] === "write")).toBe(false)
    // a read says so too, rather than "no configuration set"
    expect((await toolkitFailure(d.configGet("filesystem"))).code).toBe("OUTPUT_EMPTY")
  })

  test("an empty config.yaml (nothing on stdout or stderr) is still an empty config", async () => {
    const f = fake({ version: "v0.20.0" })
    const d = createToolkitDriver({ env: f.env })
    expect(await d.configGet()).toEqual({})
    await d.configSet("filesystem", "paths", ["/x"])
    expect(await d.configGet("filesystem")).toEqual({ filesystem: { paths: ["/x"] } })
  })
})

describe("secrets in what the CLI prints are never quoted", () => {
  test("unreadable `profile config --get-all` (a table of server.key=value) quotes no value of a secret key or URL password", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile config", { stdout: "db.password=hunter2-plain\ndb.url=postgres://app:s3cr3t-pw@db/app\ngithub.personal_access_token=abc123plain\n" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).configGet())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    const all = JSON.stringify({ message: err.message, details: err.details, remedy: err.remedy })
    for (const secret of ["hunter2-plain", "s3cr3t-pw", "abc123plain"]) expect(all).not.toContain(secret)
    // still useful: the keys and the shape are there
    expect(err.message).toContain("db.password=[REDACTED]")
    expect(err.message).toContain("postgres://app:[REDACTED]@db/app")
  })

  test("stderr echoing environment or configuration (KEY=value, key: value) is masked in the error", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: "", stderr: "starting: env GITHUB_TOKEN=plain-gh-value rejected; password: hunter2; api_key=\"k e y\"\n", exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    const all = JSON.stringify({ message: err.message, details: err.details })
    for (const secret of ["plain-gh-value", "hunter2", "k e y"]) expect(all).not.toContain(secret)
    expect(err.message).toContain("GITHUB_TOKEN=[REDACTED]")
  })

  test("a token of a known shape under a secret-named key is masked once (`[REDACTED]`, not `[REDACTED]]`)", async () => {
    const f = fake({ version: "v0.43.3" })
    const token = `ghp_${"a1B2c3D4e5".repeat(4)}`
    f.setOutput("secret ls", { stdout: "", stderr: `error: could not read secret github.token=${token}; GITHUB_TOKEN: ${token}\n`, exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    const all = JSON.stringify({ message: err.message, details: err.details })
    expect(all).not.toContain(token)
    expect(all).not.toContain("]]")
    expect(err.message).toContain("github.token=[REDACTED]; GITHUB_TOKEN: [REDACTED]")
  })
})

describe("the era probe reads what `profile list` prints like any output", () => {
  const variants: Array<[string, string]> = [
    ["a BOM", "\uFEFF[]\n"],
    ["a warning after the JSON", "[]\nWARNING: a newer version of the MCP Toolkit is available\n"],
    ["a Tip line before it", "Tip: try `docker mcp profile create`\n[]\n"],
    ["a wrapper object", '{"profiles": []}\n'],
    ["CRLF", "[\r\n]\r\n"],
  ]
  for (const [what, stdout] of variants) {
    test(`v0.30 with profiles on, probe output with ${what}: profiles era`, async () => {
      const f = fake({ version: "v0.30.0", profiles: true })
      f.setOutput("profile list", { stdout })
      expect((await createToolkitDriver({ env: f.env }).status()).era).toBe("profiles")
    })
  }

  test("probe exit 0 with output that is no list is an error naming the probe and the version, not `legacy`", async () => {
    const f = fake({ version: "v0.30.0", profiles: true })
    f.setOutput("profile list", { stdout: "Profiles: default (Default Profile)\n" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).status())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("docker mcp profile list --format json")
    expect(err.message).toContain("v0.30.0")
    expect(err.remedy).toContain("parser plugin")
  })

  test("profiles off (unknown command, exit 1) is still legacy", async () => {
    const f = fake({ version: "v0.30.0", profiles: false })
    expect((await createToolkitDriver({ env: f.env }).status()).era).toBe("legacy")
  })
})

describe("minor CLI changes in the shape of the output", () => {
  test("a warning printed on stdout before `docker mcp version` does not hide the version", async () => {
    const f = fake({ version: "v0.20.0" })
    f.setOutput("version", { stdout: "WARNING: Docker Desktop 4.62 is available\nv0.20.0\n" })
    const s = await createToolkitDriver({ env: f.env }).status()
    expect(s).toMatchObject({ era: "legacy", version: "v0.20.0" })
  })

  test("a plugin without a `version` command: the era is probed, the version unknown", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("version", { stdout: "", stderr: 'unknown command "version" for "docker mcp"\n', exit: 1 })
    const d = createToolkitDriver({ env: f.env })
    expect(await d.status()).toMatchObject({ era: "profiles", version: "unknown" })
    expect(await d.secretsList()).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }])
  })

  test("log lines before and after the JSON on stdout are left out", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    f.setOutput("secret ls", { stdout: 'Tip: secrets are stored with docker pass\n[\n  {"name": "github.personal_access_token", "provider": "docker-pass"}\n]\nWARNING: --json is deprecated, use --format json\n' })
    expect(await d.secretsList()).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }])
    f.setOutput("secret ls", { stdout: '[{"name":"a.b"}]\r\nNote: 1 secret\r\n' })
    expect(await d.secretsList()).toEqual([{ name: "a.b" }])
  })

  test("a large catalog followed by a warning line is read (not handed to the YAML parser, which took seconds and 500 MB to fail)", async () => {
    const f = fake({ version: "v0.43.3" })
    const servers = Array.from({ length: 6000 }, (_, i) => ({ type: "image", image: `mcp/s${i}`, snapshot: { server: { name: `s${i}`, description: "A server that reads and writes things for the user", tools: [{ name: "read_thing", description: "Reads a thing" }, { name: "write_thing", description: "Writes a thing" }] } } }))
    const doc = JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", servers }, null, 2)
    expect(doc.length).toBeGreaterThan(1 << 20)
    f.setOutput("catalog show", { stdout: `${doc}
WARNING: the catalog was last pulled 13 hours ago
` })
    const cat = await createToolkitDriver({ env: f.env }).catalogShow()
    expect(cat.servers).toHaveLength(6000)
    expect(cat.servers[5999]?.name).toBe("s5999")
  })

  test("profile servers whose name cannot be found (a renamed field) are an error, not a shorter list", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: JSON.stringify([{ id: "default", name: "Default", servers: [{ type: "image", snapshotV2: { server: { name: "duckduckgo" } } }] }]) })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("has no name")
    expect(err.message).toContain("v0.43.3")
  })

  test("an OCI catalog none of whose entries has a name is an error, not an empty catalog", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("catalog show", { stdout: JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", servers: [{ type: "image", entry: { server: { name: "duckduckgo" } } }, { type: "remote", entry: { server: { name: "notion" } } }] }) })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).catalogShow())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("none of its 2 servers has a name")
  })

  test("a registry that refuses the catalog pull (not logged in) says so and how to fix it", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("catalog show", { stdout: "", stderr: 'Error: failed to resolve reference "docker.io/mcp/docker-mcp-catalog:latest": unauthorized: authentication required\n', exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).catalogShow())
    expect(err.message).toContain("registry refused")
    expect(err.message).toContain("docker mcp catalog show")
    expect(err.message).toContain("v0.43.3")
    expect(err.remedy).toContain("docker login")
  })

  test("an error text the driver does not know (another language) names the command and the detected version", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: "", stderr: "Fehler: Docker Desktop läuft nicht\n", exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain("docker mcp secret ls --json")
    expect(err.message).toContain("Fehler: Docker Desktop läuft nicht")
    expect(err.message).toContain("Toolkit v0.43.3, profiles era")
    expect(err.details).toMatchObject({ version: "v0.43.3", era: "profiles" })
  })
})

describe("a CLI that prints for a terminal, or prints its error or an empty list as text", () => {
  const ESC = "\u001b"
  const SECRET = '[{"name":"github.personal_access_token","provider":"docker-pass"}]\n'
  const variants: Array<[string, string]> = [
    ["colour codes around the JSON", `${ESC}[0m${SECRET}${ESC}[0m`],
    ["a coloured warning line before it", `${ESC}[33mWARNING${ESC}[0m: a newer Toolkit is available\n${SECRET}`],
    ["a progress spinner redrawn with \\r and erase-line", `⠋ Loading secrets\r⠙ Loading secrets\r${ESC}[2K${SECRET}`],
    ["a window-title escape (OSC)", `${ESC}]0;docker mcp\u0007${SECRET}`],
  ]
  for (const [what, stdout] of variants) {
    test(`secret ls with ${what} is read`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("secret ls", { stdout })
      expect(await createToolkitDriver({ env: f.env }).secretsList()).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }])
    })
  }

  test("the version among colour codes and a redrawn line is read; the era follows it", async () => {
    const f = fake({ version: "v0.20.0" })
    f.setOutput("version", { stdout: `checking…\r${ESC}[1mv0.20.0${ESC}[0m\n` })
    expect(await createToolkitDriver({ env: f.env }).status()).toMatchObject({ era: "legacy", version: "v0.20.0" })
  })

  const empties: Array<[string, string, string, (d: ReturnType<typeof createToolkitDriver>) => Promise<unknown[]>]> = [
    ["legacy server ls", "v0.20.0", "No server is enabled\n", (d) => d.serversList()],
    ["profile server ls", "v0.43.3", "No servers enabled.\r\n", (d) => d.serversList()],
    ["secret ls", "v0.43.3", "No secrets found\n", (d) => d.secretsList()],
    ["tools ls", "v0.43.3", "0 tools:\n", (d) => d.toolsList()],
  ]
  for (const [cmd, version, stdout, op] of empties) {
    test(`${cmd} printing "${stdout.trim()}" instead of JSON is the empty list it states`, async () => {
      const f = fake({ version })
      f.setOutput(cmd.replace(/^legacy /, ""), { stdout })
      expect(await op(createToolkitDriver({ env: f.env }))).toEqual([])
    })
  }

  test("a sentence that is not an empty list stays an error (never a silently empty list)", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: "No secrets found\nrun `docker mcp secret set` to add one\n" })
    expect((await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())).code).toBe("OUTPUT_UNPARSEABLE")
    f.setOutput("tools ls", { stdout: "2 tools:\n - search - Search the web\n - fetch - Fetch a page\n" })
    expect((await toolkitFailure(createToolkitDriver({ env: f.env }).toolsList())).code).toBe("OUTPUT_UNPARSEABLE")
  })

  test("a known error printed on stdout with exit 0 is that error, naming the command and version", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("catalog show", { stdout: "catalog mcp/docker-mcp-catalog:latest not found\n" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).catalogShow())
    expect(err.code).toBe("UNKNOWN_CATALOG")
    expect(err.message).toContain("docker mcp catalog show")
    expect(err.message).toContain("Toolkit v0.43.3")
    expect(err.remedy).toContain("catalog pull")
  })

  test("JSON followed by a failure exit is a failure that says its output was not used", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: SECRET, exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain("exit 1")
    expect(err.message).toContain("on stdout are not used")
    expect(err.message).toContain("Toolkit v0.43.3")
  })

  test("a failure that printed nothing on stderr shows stdout's first line (masked, bounded): a login prompt is the reason the user sees", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: "\nUsername: ", exit: 1 })
    const prompt = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(prompt.code).toBe("COMMAND_FAILED")
    expect(prompt.message).toContain('no error output; its stdout begins: "Username:"')
    f.setOutput("secret ls", { stdout: `token=hunter2-secret-value ${"x".repeat(5000)}\nsecond line`, exit: 1 })
    const long = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(long.message).not.toContain("hunter2")
    expect(long.message).not.toContain("second line")
    expect(long.message.length).toBeLessThan(1500)
  })
})

describe("one JSON object per line (the Docker CLI's `--format json` for lists) is the whole list", () => {
  const lists: Array<[string, string, string, (d: ReturnType<typeof createToolkitDriver>) => Promise<Array<{ name: string }>>]> = [
    ["secret ls", "v0.43.3", '{"name":"github.personal_access_token","provider":"docker-pass"}\n{"name":"notion.token"}\n', (d) => d.secretsList()],
    ["tools ls", "v0.43.3", '{"name":"search","inputSchema":{"type":"object"}}\r\n{"name":"fetch","inputSchema":{"type":"object"}}\r\n', (d) => d.toolsList()],
    ["profile server ls", "v0.43.3", 'WARNING: the --filter flag will change\n{"id":"default","name":"Default","servers":[{"type":"image","image":"mcp/duckduckgo@sha256:68eb"}]}\n{"id":"default","name":"Default","servers":[{"type":"image","image":"mcp/time@sha256:1a2b"}]}\n', (d) => d.serversList()],
  ]
  for (const [cmd, version, stdout, op] of lists) {
    test(`${cmd}: every line's entry is read, not only the first`, async () => {
      const f = fake({ version })
      f.setOutput(cmd, { stdout })
      const names = (await op(createToolkitDriver({ env: f.env }))).map((e) => e.name)
      expect(names).toHaveLength(2)
    })
  }

  test("a single document printed as two objects on two lines is an error, never the first one", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile show", { stdout: '{"id":"default","name":"Default","servers":[]}\n{"id":"dev","name":"Dev","servers":[]}\n' })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).profileShow())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("Toolkit v0.43.3")
  })
})

describe("a list in an envelope beside scalars (a count, an API version) is that list", () => {
  const lists: Array<[string, string, (d: ReturnType<typeof createToolkitDriver>) => Promise<Array<{ name: string }>>]> = [
    ["secret ls", '{"secrets":[{"name":"github.personal_access_token","provider":"docker-pass"},{"name":"notion.token"}],"count":2}\n', (d) => d.secretsList()],
    ["tools ls", '{"apiVersion":"v1","kind":"ToolList","items":[{"name":"search","inputSchema":{"type":"object"}},{"name":"fetch","inputSchema":{"type":"object"}}]}\n', (d) => d.toolsList()],
  ]
  for (const [cmd, stdout, op] of lists) {
    test(`${cmd}: ${stdout.slice(0, 30)}…`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput(cmd, { stdout })
      expect((await op(createToolkitDriver({ env: f.env }))).map((e) => e.name)).toHaveLength(2)
    })
  }
})

describe("an empty answer with exit 0 whose stderr says the command failed is that failure, never an empty list", () => {
  const reads: Array<[string, string, string, string, (d: ReturnType<typeof createToolkitDriver>) => Promise<unknown>]> = [
    ["legacy server ls", "v0.20.0", "null", "open /home/me/.docker/mcp/registry.yaml: permission denied\n", (d) => d.serversList()],
    ["profile server ls", "v0.43.3", "[]\n", "failed to open database: database is locked\n", (d) => d.serversList()],
    ["secret ls", "v0.43.3", "[]\n", "Error: failed to list secrets: connection refused\n", (d) => d.secretsList()],
    ["tools ls", "v0.43.3", "null\n", "- Reading profile configuration...\n  > Can't start duckduckgo: pulling docker image mcp/duckduckgo: toomanyrequests\n", (d) => d.toolsList()],
    ["catalog show", "v0.43.3", '{"ref":"mcp/docker-mcp-catalog:latest","servers":[]}\n', "Error: pulling catalog: unexpected status 500\n", (d) => d.catalogShow()],
  ]
  for (const [cmd, version, stdout, stderr, op] of reads) {
    test(`${cmd} printing ${JSON.stringify(stdout.trim())} with "${stderr.trim().split("\n").pop()}" on stderr`, async () => {
      const f = fake({ version })
      f.setOutput(cmd.replace(/^legacy /, ""), { stdout, stderr })
      const err = await toolkitFailure(op(createToolkitDriver({ env: f.env })))
      expect(err.message).toContain(`docker mcp ${cmd.replace(/^legacy /, "")}`)
      expect(err.message).toContain(`Toolkit ${version}`)
      expect(err.message).toContain(stderr.trim().split("\n").pop()!.trim().slice(0, 30))
      expect(err.remedy).toBeTruthy()
    })
  }

  test("an empty list with only a warning or progress on stderr stays the empty list", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: "[]\n", stderr: "WARNING: failed to check for Toolkit updates\n" })
    expect(await createToolkitDriver({ env: f.env }).secretsList()).toEqual([])
    f.setOutput("profile server ls", { stdout: "null\n", stderr: "- Reading profile configuration...\n" })
    expect(await createToolkitDriver({ env: f.env }).serversList()).toEqual([])
  })
})

describe("`docker mcp version` printed with other products' versions", () => {
  const cases: Array<[string, string, string, { era: string; version: string }]> = [
    ["a Desktop update warning with a full version before it", "v0.20.0", "WARNING: Docker Desktop 4.62.0 is available\nv0.20.0\n", { era: "legacy", version: "v0.20.0" }],
    ["only a Desktop notice (the plugin's version unknown: probed, not taken from the notice)", "v0.20.0", "Docker Desktop 4.62.0 is required for profiles\n", { era: "legacy", version: "unknown" }],
    ["the Go version on its line", "v0.20.0", "v0.20.0 (go1.24.1)\n", { era: "legacy", version: "v0.20.0" }],
    ["the Go version first", "v0.20.0", "go: go1.24.1\nversion: v0.20.0\n", { era: "legacy", version: "v0.20.0" }],
    ["the plugin metadata JSON", "v0.20.0", '{"SchemaVersion":"0.1.0","Vendor":"Docker Inc.","Version":"v0.20.0"}\n', { era: "legacy", version: "v0.20.0" }],
    ["a git-describe dev build", "v0.43.3", "v0.43.3-6-g2bd20fe8-dirty\n", { era: "profiles", version: "v0.43.3" }],
    ["a release candidate", "v0.43.3", "v0.44.0-rc.1\n", { era: "profiles", version: "v0.44.0" }],
    ["a build with no version", "v0.43.3", "dev\n", { era: "profiles", version: "unknown" }],
    // an update notice names the version offered, not the one running (a v0.24.0 read as v0.44.0 was driven as profiles era C)
    ["an update notice before it", "v0.24.0", "A new version of docker-mcp is available: v0.44.0 (run `docker extension update`)\nv0.24.0\n", { era: "legacy", version: "v0.24.0" }],
    ["a coloured update notice after it", "v0.24.0", "v0.24.0\n\u001b[33mUpdate available: v0.24.0 → v0.44.0\u001b[0m\n", { era: "legacy", version: "v0.24.0" }],
    ["only an update notice (probed, the offered version not taken)", "v0.24.0", "docker-mcp v0.44.0 is available, upgrade with Docker Desktop\n", { era: "legacy", version: "unknown" }],
  ]
  for (const [what, version, stdout, want] of cases) {
    test(what, async () => {
      const f = fake({ version })
      f.setOutput("version", { stdout })
      expect(await createToolkitDriver({ env: f.env }).status()).toMatchObject(want)
    })
  }
})

describe("documented failures of docker itself", () => {
  // v0.28–v0.41 need `profile list` to tell the era: when Desktop, the daemon or the Toolkit
  // feature makes it fail, the error still names the version read before it
  for (const mode of ["desktop-not-running", "daemon-down", "feature-disabled"]) {
    test(`the era probe failing on ${mode} names the command and the Toolkit version`, async () => {
      const f = fake({ version: "v0.35.0", profiles: true, fail: mode })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
      expect(err.message).toContain("docker mcp profile list --format json")
      expect(err.message).toContain("[Toolkit v0.35.0, era not detected")
      expect(err.details).toMatchObject({ version: "v0.35.0", era: "undetermined" })
    })
  }
  test("an older docker CLI without the plugin (`'mcp' is not a docker command`)", async () => {
    const f = fake({ version: "v0.43.3", fail: "no-plugin-old" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).status())
    expect(err.code).toBe("TOOLKIT_NOT_INSTALLED")
    expect(err.message).toContain("docker mcp version")
  })

  test("permission denied on the daemon socket says so and how to fix it (not a generic failure)", async () => {
    const f = fake({ version: "v0.43.3", fail: "socket-denied" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(err.code).toBe("DAEMON_DOWN")
    expect(err.message).toContain("permission denied")
    expect(err.message).toContain("docker mcp secret ls")
    expect(err.message).toContain("v0.43.3")
    expect(err.remedy).toContain("docker` group")
  })

  test("permission denied on a Toolkit file names the file", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: "", stderr: "open /home/me/.docker/mcp/mcp-toolkit.db: permission denied\n", exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
    expect(err.message).toContain("/home/me/.docker/mcp/mcp-toolkit.db")
    expect(err.remedy).toContain("chown")
  })
})
