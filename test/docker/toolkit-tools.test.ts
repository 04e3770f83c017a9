/**
 * @module test/docker/toolkit-tools.test
 * The Toolkit MCP tools (src/mcp/tools/toolkit.ts) on a real driver over the fake docker: schemas
 * and worked examples validate, handlers return text + structured output, progress and the
 * onServersChanged hook fire, and a missing docker gives isError results with a remedy.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { tmpdir } from "node:os"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import type { ToolContext, ToolDef } from "../../src/mcp/tool-def.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const NAMES = ["catalog_search", "servers_list", "server_inspect", "server_enable", "server_disable", "toolkit_tools_list", "config_get", "config_set", "secrets_list", "toolkit_status"]
const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

function ctx(progress: string[] = []): ToolContext {
  return { signal: new AbortController().signal, log: silentLogger, progress: async (_p, _t, m) => void progress.push(m ?? "") }
}

async function call(tools: ToolDef[], name: string, args: unknown, c = ctx()) {
  const def = tools.find((t) => t.name === name)
  if (!def) throw new Error(`no tool ${name}`)
  const out = await def.handler(def.input.parse(args), c)
  if (!out.isError && def.output) def.output.parse(out.structured)
  return out
}

describe("server_enable of a server whose required config is not set", () => {
  test("legacy era: says which keys; a server without required config, or with them set, gets no note", async () => {
    const fake = makeFakeDocker({ version: "v0.38.0" })
    fakes.push(fake)
    const tools = toolkitTools(createToolkitDriver({ env: fake.env }))
    const en = await call(tools, "server_enable", { name: "filesystem" })
    expect(en.structured).toEqual({ server: "filesystem", era: "legacy", profile: null, missingConfig: ["paths"] })
    expect(en.text).toContain("filesystem needs configuration before it can run: paths (not set). Until it is set, filesystem may fail to start")
    const plain = await call(tools, "server_enable", { name: "duckduckgo" })
    expect({ text: plain.text, structured: plain.structured }).toEqual({ text: "Enabled duckduckgo.", structured: { server: "duckduckgo", era: "legacy", profile: null } })
    await call(tools, "config_set", { server: "filesystem", key: "paths", value: ["/srv"] })
    // already enabled: nothing is run again (before qa342 the legacy CLI rewrote registry.yaml and the gateway restarted)
    expect((await call(tools, "server_enable", { name: "filesystem" })).structured).toEqual({ server: "filesystem", era: "legacy", profile: null, unchanged: true })
  }, 30_000)
})

describe("config_get of a server that is not enabled", () => {
  test("says so, and whether the catalog has it (a typo); an enabled server gets no note", async () => {
    const fake = makeFakeDocker({ version: "v0.38.0" })
    fakes.push(fake)
    const tools = toolkitTools(createToolkitDriver({ env: fake.env }))
    const off = await call(tools, "config_get", { server: "duckduckgo" })
    expect(off.text).toBe("No configuration set for duckduckgo.\nduckduckgo is not enabled (servers_list shows the enabled servers): its configuration is used once it is enabled (server_enable).")
    expect(off.structured).toEqual({ server: "duckduckgo", config: {}, enabled: false })
    const typo = await call(tools, "config_get", { server: "DuckDuckGo" })
    expect(typo.text).toContain("DuckDuckGo is not enabled and not in the Docker MCP catalog (server names are case-sensitive)")
    await call(tools, "server_enable", { name: "duckduckgo" })
    expect(await call(tools, "config_get", { server: "duckduckgo" })).toMatchObject({ text: "No configuration set for duckduckgo.", structured: { server: "duckduckgo", config: {} } })
  }, 30_000)
})

describe("toolkit MCP tools", () => {
  test("ten tools with input/output schemas, a valid worked example and error codes", () => {
    const tools = toolkitTools(createToolkitDriver({ env: { PATH: "/nonexistent" } }))
    expect(tools.map((t) => t.name).sort()).toEqual([...NAMES].sort())
    for (const t of tools) {
      expect(t.output).toBeDefined()
      expect(t.example).toBeDefined()
      t.input.parse(t.example?.input)
      t.output?.parse(t.example?.output)
      expect(Array.isArray(t.errors)).toBe(true)
      expect(t.description.length).toBeGreaterThan(30)
    }
    expect(toolkitTools(createToolkitDriver(), { readOnly: true }).map((t) => t.name)).not.toContain("server_enable")
  })

  test("hostile names are rejected by the input schema before the handler", () => {
    const tools = toolkitTools(createToolkitDriver({ env: { PATH: "/nonexistent" } }))
    const enable = tools.find((t) => t.name === "server_enable") as ToolDef
    for (const bad of ["--gateway-arg=x", "-x", "a,b", ""]) expect(enable.input.safeParse({ name: bad }).success).toBe(false)
  })

  test("round trip on a profiles-era Toolkit with the change hook and progress", async () => {
    const fake = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(fake)
    let changes = 0
    const tools = toolkitTools(createToolkitDriver({ env: fake.env }), { onServersChanged: () => void changes++ })

    const status = await call(tools, "toolkit_status", {})
    expect(status.structured).toEqual({ available: true, era: "profiles", generation: "C", version: "v0.43.3", profile: "default", detectedBy: "version v0.43.3: v0.42 or later, profiles always on" })
    expect(status.text).toContain("detected by version v0.43.3")

    const search = await call(tools, "catalog_search", { query: "filesystem" })
    expect(search.structured).toMatchObject({ count: 1, servers: [{ name: "filesystem", needsConfig: true, needsSecrets: false, tools: 2 }] })
    expect(search.text).toContain("[needs config]")

    const progress: string[] = []
    const en = await call(tools, "server_enable", { name: "filesystem" }, ctx(progress))
    expect(en.isError).toBeFalsy()
    // filesystem's catalog entry requires `paths`: without it the gateway refuses the whole profile
    // (every Toolkit tool goes), so the answer says so and how to fix it
    expect(en.structured).toEqual({ server: "filesystem", era: "profiles", profile: "default", missingConfig: ["paths"] })
    expect(en.text).toContain("filesystem needs configuration before it can run: paths (not set)")
    expect(en.text).toContain("refuses to start profile default: none of the Toolkit's tools are available")
    expect(en.text).toContain('config_set (server "filesystem", key "paths")')
    expect(progress).toEqual(["Enabling filesystem", "Enabled filesystem"]) // catalog_search already pulled the catalog
    expect(changes).toBe(1)

    expect((await call(tools, "servers_list", {})).structured).toMatchObject({ servers: [{ name: "filesystem", profile: "default" }] })
    const missing = await call(tools, "toolkit_tools_list", {})
    expect(missing.isError).toBe(true)
    expect(missing.text).toContain("[MISSING_CONFIG]")
    expect(missing.text).toContain("Remedy:")

    await call(tools, "config_set", { server: "filesystem", key: "paths", value: ["/srv"] })
    expect(changes).toBe(2)
    expect((await call(tools, "config_get", { server: "filesystem" })).structured).toEqual({ server: "filesystem", config: { paths: ["/srv"] } })
    const listed = await call(tools, "toolkit_tools_list", {})
    expect((listed.structured as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toContain("read_file")

    const insp = await call(tools, "server_inspect", { name: "filesystem" })
    expect(insp.structured).toMatchObject({ name: "filesystem", tools: [{ name: "read_file" }, { name: "list_directory" }] })
    expect((await call(tools, "secrets_list", {})).structured).toEqual({ secrets: [{ name: "github.personal_access_token", provider: "docker-pass" }] })

    const unknown = await call(tools, "server_enable", { name: "no-such-server" })
    expect(unknown.isError).toBe(true)
    expect(unknown.text).toContain("[UNKNOWN_SERVER]")
    expect(changes).toBe(2)

    await call(tools, "server_disable", { name: "filesystem" })
    expect(changes).toBe(3)
    expect((await call(tools, "servers_list", {})).structured).toEqual({ servers: [] })
  })

  // declined, dismissed (cancel) and failed (the client could not ask) are told apart: the model
  // must not read "could not ask" or "dismissed" as the user's refusal
  const refusals = [
    ["decline", /^Enable server duckduckgo: declined by the user\. Nothing was changed\.$/],
    ["cancel", /^Enable server duckduckgo: the user dismissed the confirmation without deciding\. Nothing was changed; ask again if the change is still wanted\.$/],
    [{ failed: "UI crashed" }, /^Enable server duckduckgo: could not ask the user to confirm: UI crashed; nothing was changed\.$/],
  ] as const
  for (const [consent, text] of refusals) {
    test(`a confirmation answered ${JSON.stringify(consent)} changes nothing and says so`, async () => {
      const fake = makeFakeDocker({ version: "v0.27.0" })
      fakes.push(fake)
      let changes = 0
      const tools = toolkitTools(createToolkitDriver({ env: fake.env }), { confirm: async () => consent, onServersChanged: () => void changes++ })
      const r = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(r.isError).toBe(true)
      expect(r.text).toMatch(text)
      expect(changes).toBe(0)
      expect(fake.argvLog().some((a) => a.includes("enable"))).toBe(false)
    })
  }

  test("docker missing: every tool answers isError with the remedy; status says unavailable", async () => {
    const tools = toolkitTools(createToolkitDriver({ env: { PATH: "/nonexistent", HOME: "/tmp" } }))
    const args: Record<string, unknown> = { catalog_search: { query: "x" }, server_inspect: { name: "x" }, server_enable: { name: "x" }, server_disable: { name: "x" }, config_get: { server: "x" }, config_set: { server: "x", key: "k", value: 1 } }
    for (const name of NAMES.filter((n) => n !== "toolkit_status")) {
      const r = await call(tools, name, args[name] ?? {})
      expect({ name, isError: r.isError }).toEqual({ name, isError: true })
      expect(r.text).toContain("[DOCKER_NOT_FOUND]")
      expect(r.text).toContain("Remedy:")
    }
    const st = await call(tools, "toolkit_status", {})
    expect(st.isError).toBeFalsy()
    expect(st.structured).toMatchObject({ available: false, error: { code: "DOCKER_NOT_FOUND" } })
  })
})

describe("server_inspect readme cut", () => {
  // cut at 8 KiB on a byte: a character across the cut became U+FFFD in what the model read
  test("a readme over 8 KiB is cut on a whole character", async () => {
    const { inspectView, MAX_README } = await import("../../src/manage/toolkit-schemas.ts")
    for (const pad of [MAX_README - 1, MAX_README - 2, MAX_README - 3]) {
      const readme = `${"a".repeat(pad)}${"€😀é".repeat(10)}`
      const v = inspectView("x", { tools: [], readme })
      expect({ pad, replacement: v.readme.includes("\ufffd") }).toEqual({ pad, replacement: false })
      expect(v.readme.endsWith("\n…(truncated)")).toBe(true)
      expect(Buffer.byteLength(v.readme.replace("\n…(truncated)", ""))).toBeLessThanOrEqual(MAX_README)
    }
  })
})

describe("list answers are bounded per entry", () => {
  // a profile server's description is the catalog's, of any length: 400 servers with a few KB each
  // made servers_list answer half a megabyte (catalog_search cut descriptions, not titles or tags)
  test("servers_list and catalog_search cut long descriptions, titles and tag lists", async () => {
    const { REPO } = await import("./fake.ts")
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs")
    const base = readFileSync(`${REPO}/test/fixtures/fake-docker-data/catalog.yaml`, "utf8").trimEnd()
    const tags = Array.from({ length: 200 }, (_, i) => `tag${i}`).join(", ")
    const long = `\n  wordy:\n    description: ${"Reads and writes wordy notes. ".repeat(300)}\n    title: ${"Wordy ".repeat(100)}\n    type: server\n    image: mcp/wordy\n    metadata:\n      tags: [${tags}]\n`
    const dir = mkdtempSync(`${tmpdir()}/wordy-catalog-`)
    writeFileSync(`${dir}/catalog.yaml`, `${base}${long}`)
    const fk = makeFakeDocker({ version: "v0.43.3", catalog: `${dir}/catalog.yaml` })
    fakes.push(fk)
    const tools = toolkitTools(createToolkitDriver({ env: fk.env }))
    expect((await call(tools, "server_enable", { name: "wordy" })).isError).toBeFalsy()
    const listed = await call(tools, "servers_list", {})
    const entry = (listed.structured as { servers: Array<{ name: string; description?: string }> }).servers.find((s) => s.name === "wordy")
    expect(entry?.description?.startsWith("Reads and writes wordy notes.")).toBe(true)
    expect(entry?.description?.length).toBeLessThanOrEqual(300)
    expect(listed.text.length).toBeLessThan(1000)
    const found = await call(tools, "catalog_search", { query: "wordy notes" })
    const hit = (found.structured as { servers: Array<{ name: string; title?: string; tags?: string[] }> }).servers[0]
    expect(hit?.name).toBe("wordy")
    expect(hit?.title?.length).toBeLessThanOrEqual(100)
    expect(hit?.tags?.length).toBeLessThanOrEqual(20)
    expect(JSON.stringify(found.structured).length).toBeLessThan(1500)
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)
})

describe("toolkit_status when the CLI answers but Docker Desktop does not", () => {
  // `docker mcp version` skips Desktop's check: the status read "usable" while every other tool failed
  for (const [version, fail, code] of [
    ["v0.24.0", "desktop-not-running", "DESKTOP_NOT_RUNNING"],
    ["v0.43.3", "desktop-not-running", "DESKTOP_NOT_RUNNING"],
    ["v0.43.3", "daemon-down", "DAEMON_DOWN"],
    ["v0.24.0", "feature-disabled", "FEATURE_DISABLED"],
  ] as const) {
    test(`${version}, ${fail}: unavailable with ${code}, the version and era kept`, async () => {
      const fake = makeFakeDocker({ version, fail })
      fakes.push(fake)
      const st = await call(toolkitTools(createToolkitDriver({ env: fake.env })), "toolkit_status", {})
      expect(st.isError).toBeFalsy()
      expect(st.structured).toMatchObject({ available: false, version, error: { code } })
      expect(st.text).toContain(`Docker MCP Toolkit ${version}`)
      expect(st.text).toContain(`is installed but not usable: [${code}]`)
    })
  }
})

describe("argument errors of the Toolkit tools (qa218)", () => {
  test("their example names no catalog server a model would enable, disable or configure by copying it", async () => {
    const { OwnTools } = await import("../../src/mcp/own-tools.ts")
    const own = new OwnTools(toolkitTools(createToolkitDriver({ env: { PATH: "/nonexistent" } })))
    for (const [name, args] of [["server_enable", {}], ["server_disable", { nam: "x" }], ["server_inspect", {}], ["config_get", { srv: "x" }], ["config_set", { server: 1 }]] as const) {
      const r = await own.call(name, args, ctx(), silentLogger)
      expect(r.isError).toBe(true)
      const text = (r.content as { text: string }[]).map((c) => c.text).join("")
      expect(text).toContain("Example arguments:")
      expect(text).not.toMatch(/duckduckgo|filesystem|\/home\/me/)
      expect(text).toContain("<server name from catalog_search or servers_list>")
    }
  })
})
