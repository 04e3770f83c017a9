/**
 * @module test/docker/enable-missing-secrets.test
 * server_enable of a server whose catalog entry declares a secret that is not stored. Neither CLI
 * says anything at enable (legacy `server enable`, `profile server add`); the gateway then starts the
 * server with `<UNKNOWN>` in its place ("Warning: Secret 'X' not found for server 'Y'", docs/toolkit.md
 * §5.3) and its tools fail to authenticate. Before qa342 server_enable answered "Enabled X." alone.
 * Now it names the secrets (names only, `missingSecrets`) and the command the user runs
 * (`docker mcp secret set NAME`, value from stdin), and never asks for a value.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { FAKE, fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
const VERSIONS = [{ version: "v0.24.0" }, { version: "v0.35.0", profiles: true }, { version: "v0.43.3" }] as const

describe("server_enable of a server whose secret is not stored", () => {
  for (const c of VERSIONS) {
    test(`${c.version}: names the secret and how the user sets it; stored, or another server, no note`, async () => {
      const f = fake(c)
      f.writeState({ secrets: [] })
      const tools = toolkitTools(createToolkitDriver({ env: f.env }))
      const def = tools.find((t) => t.name === "server_enable")!
      const r = await call(tools, "server_enable", { name: "github-official" })
      expect(r.isError, r.text).toBeFalsy()
      expect(r.text).toContain("github-official needs a secret that is not stored: github.personal_access_token.")
      expect(r.text).toContain("`docker mcp secret set github.personal_access_token`")
      expect(r.text).toContain("never ask for the value here")
      expect(def.output?.parse(r.structured)).toMatchObject({ server: "github-official", missingSecrets: ["github.personal_access_token"] })

      const plain = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(plain.text).not.toContain("secret")
      expect(plain.structured).not.toHaveProperty("missingSecrets")

      f.writeState({ secrets: [{ name: "github.personal_access_token", provider: "docker-pass" }] })
      const again = await call(tools, "server_enable", { name: "github-official" })
      expect(again.text).not.toContain("not stored")
      expect(again.structured).not.toHaveProperty("missingSecrets")
    }, 90_000)
  }

  test("v0.43.3: a token from an OAuth sign-in (listed under the provider's name) counts as stored", async () => {
    const f = fake({ version: "v0.43.3" })
    f.writeState({ secrets: [{ name: "github", provider: "docker-mcp-credential-helper" }] })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "server_enable", { name: "github-official" })
    expect(r.isError, r.text).toBeFalsy()
    expect(r.structured).not.toHaveProperty("missingSecrets")
  }, 60_000)

  // Which secret a sign-in stands for is what the catalog entry's `oauth.providers[].secret` says
  // (catalog.Server; RG server.yaml `oauth: [{provider, secret, env}]`), not a name's first part.
  // Before qa355: `atlassian.confluence_token` counted as stored by the `atlassian` sign-in made for
  // `atlassian.jira_token`, and the `linear` sign-in for `linear_app.api_key` did not count.
  const OAUTH_CATALOG = `${readFileSync(join(FAKE, "..", "fake-docker-data", "catalog.yaml"), "utf8").trimEnd()}
  atlassian:
    description: Jira and Confluence.
    title: Atlassian
    type: server
    image: mcp/atlassian@sha256:${"a".repeat(64)}
    secrets:
      - name: atlassian.jira_token
        env: JIRA_TOKEN
      - name: atlassian.confluence_token
        env: CONFLUENCE_TOKEN
    oauth:
      providers:
        - provider: atlassian
          secret: atlassian.jira_token
          env: JIRA_TOKEN
  linear:
    description: Linear issues.
    title: Linear
    type: server
    image: mcp/linear@sha256:${"b".repeat(64)}
    secrets:
      - name: linear_app.api_key
        env: LINEAR_API_KEY
    oauth:
      providers:
        - provider: linear
          secret: linear_app.api_key
          env: LINEAR_API_KEY
`
  for (const c of VERSIONS) {
    test(`${c.version}: a sign-in covers the secret the catalog names for it, no other`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "oauth-catalog-"))
      const file = join(dir, "catalog.yaml")
      writeFileSync(file, OAUTH_CATALOG)
      const g = fake({ ...c, catalog: file })
      g.writeState({ secrets: [{ name: c.version === "v0.24.0" ? "oauth/atlassian" : "atlassian", provider: "docker-mcp-credential-helper" }, { name: "linear", provider: "docker-mcp-credential-helper" }] })
      const tools = toolkitTools(createToolkitDriver({ env: g.env }))
      const a = await call(tools, "server_enable", { name: "atlassian" })
      expect(a.isError, a.text).toBeFalsy()
      expect(a.structured).toMatchObject({ missingSecrets: ["atlassian.confluence_token"] })
      const l = await call(tools, "server_enable", { name: "linear" })
      expect(l.isError, l.text).toBeFalsy()
      expect(l.structured).not.toHaveProperty("missingSecrets")
      rmSync(dir, { recursive: true, force: true })
    }, 90_000)
  }
})
