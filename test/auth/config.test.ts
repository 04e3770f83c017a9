/**
 * `servers.<name>.auth`: our keys and Cursor's (`CLIENT_ID`, `CLIENT_SECRET`, `scopes`) accepted
 * as is, contradictions refused with the key path, the client secret redacted.
 */
import { describe, expect, test } from "bun:test"
import { authSettings } from "../../src/auth/index.ts"
import { loadConfig, type RemoteServerSpec } from "../../src/config/index.ts"
import { ConfigError, redactString } from "../../src/core/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

function load(auth: unknown): RemoteServerSpec {
  const text = JSON.stringify({ servers: { linear: { url: "https://mcp.linear.app/mcp", auth } } })
  const { config } = loadConfig({ inline: { text, name: "config.json" }, env: {} })
  return config.servers.linear as RemoteServerSpec
}

function problems(auth: unknown): string {
  try {
    load(auth)
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join("\n")
    throw e
  }
  return ""
}

describe("servers.<name>.auth", () => {
  test("Cursor's spelling is accepted as is and normalised", () => {
    const spec = load({ CLIENT_ID: "cursor-client", CLIENT_SECRET: "s3cr3t-cursor-client-secret", scopes: ["read", "write"] })
    expect(authSettings(spec.auth)).toEqual({ clientId: "cursor-client", clientSecret: "s3cr3t-cursor-client-secret", scope: "read write" })
  })

  test("our spelling, scopes as one string, a fixed redirect port", () => {
    const spec = load({ clientId: "abc", scopes: "read  write", redirectPort: 8765 })
    expect(authSettings(spec.auth)).toEqual({ clientId: "abc", scope: "read  write", redirectPort: 8765 })
  })

  test("contradictions and bad values name the key", () => {
    expect(problems({ clientId: "a", CLIENT_ID: "b" })).toContain("servers.linear.auth")
    expect(problems({ clientId: "a", CLIENT_ID: "b" })).toContain("clientId and CLIENT_ID are both set and differ")
    expect(problems({ clientSecret: "only-a-secret" })).toContain("a client secret needs its clientId")
    expect(problems({ redirectPort: 70000 })).toContain("servers.linear.auth.redirectPort")
    expect(problems({ clientID: "typo" })).toContain("clientID")
    expect(problems({ clientMetadataUrl: "http://insecure.example/client.json" })).toContain("https")
  })

  test("the client secret joins the redaction set", () => {
    load({ clientId: "abc", clientSecret: "very-secret-client-value-42" })
    expect(redactString("secret is very-secret-client-value-42")).not.toContain("very-secret-client-value-42")
  })
})
