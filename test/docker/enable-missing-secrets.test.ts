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
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { fakeDockers } from "./fake.ts"
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
})
