/**
 * @module test/docker/toolkit-config-mask.test
 * What config_get hands the model and what config_set's confirmation shows the user, on a real
 * driver over the fake docker. config_get masks values under secret-looking keys (token, password,
 * api_key…) and credentials in URLs, in text and structuredContent, and says how the user reads
 * them; the confirmation of config_set names the value (masked the same way, capped, invisible
 * characters spelled out) and the value it replaces.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import type { ToolContext, ToolDef } from "../../src/mcp/tool-def.ts"
import { toolkitTools, type Consent } from "../../src/manage/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const ctx = (): ToolContext => ({ signal: new AbortController().signal, log: silentLogger, progress: async () => {} })

async function call(tools: ToolDef[], name: string, args: unknown) {
  const def = tools.find((t) => t.name === name)
  if (!def) throw new Error(`no tool ${name}`)
  const out = await def.handler(def.input.parse(args), ctx())
  if (!out.isError && def.output) def.output.parse(out.structured)
  return out
}

const SECRETS = { token: "abc123abc123xyz", password: "hunter2hunter2", api_key: "mykey-0001" }

function setup(version: string, confirm?: (a: { tool: string; summary: string }) => Promise<Consent>) {
  const fake = makeFakeDocker({ version })
  fakes.push(fake)
  return toolkitTools(createToolkitDriver({ env: fake.env }), confirm ? { confirm } : {})
}

describe("config_get never hands the model a secret-looking value", () => {
  for (const [version, command] of [["v0.43.3", "docker mcp profile config --get-all -- default"], ["v0.27.0", "docker mcp config read"]] as const) {
    test(`${version}: secret-named keys and URL passwords masked in text and structuredContent`, async () => {
      const tools = setup(version)
      expect((await call(tools, "server_enable", { name: "filesystem" })).isError).toBeFalsy()
      const values: Record<string, unknown> = { ...SECRETS, db_url: "postgres://admin:s3cretPass@db:5432/x", paths: ["/srv"], auth: { username: "me", password: "pw-nested-1" } }
      for (const [key, value] of Object.entries(values)) expect((await call(tools, "config_set", { server: "filesystem", key, value })).isError).toBeFalsy()

      const r = await call(tools, "config_get", { server: "filesystem" })
      expect(r.isError).toBeFalsy()
      const all = `${r.text}\n${JSON.stringify(r.structured)}`
      for (const s of [...Object.values(SECRETS), "s3cretPass", "pw-nested-1"]) expect(all).not.toContain(s)
      const st = r.structured as { config: Record<string, unknown>; hidden?: string[] }
      expect(st.config).toMatchObject({ token: "[REDACTED]", password: "[REDACTED]", api_key: "[REDACTED]", db_url: "postgres://admin:[REDACTED]@db:5432/x", paths: ["/srv"] })
      // the profiles-era `--get-all` prints a nested map as dotted keys (pkg/workingset flattenConfig):
      // config_get nests them again, so both eras name the top-level key (qa332, config-get-one-view.test.ts)
      expect(st.hidden?.sort()).toEqual(["api_key", "auth", "db_url", "password", "token"])
      expect(r.text).toContain("filesystem.password = [REDACTED] (secret-looking key)")
      expect(r.text).toContain('filesystem.db_url = "postgres://admin:[REDACTED]@db:5432/x" (credential in a URL hidden)')
      expect(r.text).toContain('filesystem.paths = ["/srv"]\n')
      expect(r.text).toContain(`the user can read them with \`${command}\``)
    })
  }

  test("nothing secret: values as they are, no note", async () => {
    const tools = setup("v0.43.3")
    await call(tools, "server_enable", { name: "filesystem" })
    await call(tools, "config_set", { server: "filesystem", key: "paths", value: ["/srv"] })
    const r = await call(tools, "config_get", { server: "filesystem" })
    expect(r.text).toBe('filesystem.paths = ["/srv"]')
    expect(r.structured).toEqual({ server: "filesystem", config: { paths: ["/srv"] } })
  })
})

describe("config_set's confirmation shows the value and what it replaces", () => {
  const asked: string[] = []
  const tools = setup("v0.43.3", async ({ summary }) => {
    asked.push(summary)
    return "accept"
  })
  const set = async (key: string, value: unknown): Promise<string> => {
    const r = await call(tools, "config_set", { server: "filesystem", key, value })
    expect(r.isError).toBeFalsy()
    return asked.at(-1) as string
  }

  test("the value as JSON, with the current value or that there is none", async () => {
    await call(tools, "server_enable", { name: "filesystem" })
    expect(await set("paths", ["/home/me/src"])).toBe('Set filesystem.paths to ["/home/me/src"] (currently not set)')
    expect(await set("paths", ["/"])).toBe('Set filesystem.paths to ["/"] (currently ["/home/me/src"])')
  })

  test("a secret-looking key is masked, new and current value alike; a URL's password too", async () => {
    await set("api_key", "mykey-0001")
    const s = await set("api_key", "mykey-0002")
    expect(s).toBe("Set filesystem.api_key to [REDACTED] (secret-looking key: not shown) (currently [REDACTED] (secret-looking key: not shown))")
    expect(await set("db_url", "postgres://admin:s3cretPass@db/x")).toBe('Set filesystem.db_url to "postgres://admin:[REDACTED]@db/x" (credential in a URL hidden) (currently not set)')
  })

  test("a long value is cut on a whole character with a note; invisible characters are spelled out", async () => {
    const long = `${"a".repeat(298)}😀${"b".repeat(500)}`
    const s = await set("note", long)
    expect(s).toMatch(/^Set filesystem\.note to "a{298}… \(cut; 802 characters in all\) \(currently not set\)$/)
    expect(s).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    expect(await set("label", "safe\u202Etxt.exe")).toBe('Set filesystem.label to "safe\\u202etxt.exe" (currently not set)')
  })

  test("declined: the model is told what was refused, value included", async () => {
    const declining = setup("v0.43.3", async () => "decline")
    const r = await call(declining, "config_set", { server: "filesystem", key: "paths", value: ["/"] })
    expect(r.isError).toBe(true)
    expect(r.text).toStartWith('Set filesystem.paths to ["/"]')
    expect(r.text).toContain("declined by the user. Nothing was changed.")
  })
})

describe("config_get without a server: every server's configuration, one block per server, secrets never shown", () => {
  for (const [version, command] of [["v0.43.3", "docker mcp profile config --get-all -- default"], ["v0.27.0", "docker mcp config read"]] as const) {
    test(`${version}: each server its own block, nested values as dotted keys, secrets masked in text and structuredContent`, async () => {
      const tools = setup(version)
      await call(tools, "server_enable", { name: "filesystem" })
      await call(tools, "server_enable", { name: "github-official" })
      await call(tools, "config_set", { server: "filesystem", key: "paths", value: ["/home/me/src"] })
      await call(tools, "config_set", { server: "github-official", key: "auth", value: { user: "octo", token: SECRETS.token } })
      await call(tools, "config_set", { server: "github-official", key: "url", value: "https://octo:hunter2hunter2@example.com/api" })
      const out = await call(tools, "config_get", {})
      expect(out.isError).toBeFalsy()
      const text = out.text
      for (const s of [SECRETS.token, "hunter2hunter2"]) {
        expect(text).not.toContain(s)
        expect(JSON.stringify(out.structured)).not.toContain(s)
      }
      // one block per server, its values under it
      const fsAt = text.indexOf("filesystem (")
      const ghAt = text.indexOf("github-official (")
      expect(fsAt).toBeGreaterThanOrEqual(0)
      expect(ghAt).toBeGreaterThan(fsAt)
      expect(text.slice(fsAt, ghAt)).toContain('  paths = ["/home/me/src"]')
      expect(text.slice(ghAt)).toContain("  auth.token = [REDACTED]")
      expect(text.slice(ghAt)).toContain("  url = ")
      expect(text).toContain(command)
      const st = out.structured as { servers: Record<string, Record<string, unknown>>; hidden: string[] }
      expect(Object.keys(st.servers).sort()).toEqual(["filesystem", "github-official"])
      expect(st.servers.filesystem).toEqual({ paths: ["/home/me/src"] })
      expect(st.hidden.every((k) => k.startsWith("github-official."))).toBe(true)
    })
  }

  test("no configuration at all: said so", async () => {
    const out = await call(setup("v0.43.3"), "config_get", {})
    expect(out.isError).toBeFalsy()
    expect(out.text).toBe("No configuration set for any server.")
  })
})
