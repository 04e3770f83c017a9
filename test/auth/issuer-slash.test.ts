/**
 * Issuers with and without a trailing slash, at the root and with a path, as oidc-provider is
 * configured by real deployments (`https://as.example/tenant1/`), and protected resource metadata
 * that spells the authorization server with or without that slash: `auth login`, a call, a refresh
 * on the server's 401, a call again, `auth status` (no "issuer changed"), `auth logout` (revoked
 * there), through the compiled binary.
 */
import { describe, expect, test } from "bun:test"
import type { WorldOptions } from "./fixtures/oauth-world.ts"
import { cli, refreshRoundTrip, started } from "./helpers.ts"

const env = started()

async function roundTrip(opts: WorldOptions): Promise<void> {
  const { w, sb } = await refreshRoundTrip(env, opts)
  const status = await cli(sb, ["auth", "status", "--json"])
  expect(status.code).toBe(0)
  const row = (JSON.parse(status.stdout) as { servers: Array<Record<string, unknown>> }).servers.find((s) => s.server === "remote")!
  expect(row.loggedIn).toBe(true)
  expect(row.issuerChanged).not.toBe(true)
  expect(row.issuerUnchecked).toBeUndefined()
  // logout revokes at that authorization server (the tokens' issuer and the stored discovery's agree)
  expect((await cli(sb, ["auth", "logout", "remote"])).code).toBe(0)
  expect(w.revocations).toBeGreaterThan(0)
}

const layouts: Array<[string, WorldOptions["asMetadataAt"]]> = [
  ["RFC 8414's path-inserted URL", "rfc8414"],
  ["the OpenID URL", "oidc"],
]

describe("an issuer with a path and a trailing slash (https://as/tenant1/)", () => {
  for (const [where, at] of layouts) {
    test(`metadata only at ${where}`, () => roundTrip({ issuerPath: "/tenant1/", asMetadataAt: at }), 90_000)
    test(`metadata only at ${where}, the resource metadata naming it without the slash`, () => roundTrip({ issuerPath: "/tenant1/", asMetadataAt: at, prmIssuerSpelling: "no-slash" }), 90_000)
  }
  test("an issuer without the slash, the resource metadata naming it with one", () => roundTrip({ issuerPath: "/tenant1", asMetadataAt: "rfc8414", prmIssuerSpelling: "slash" }), 90_000)
})

describe("a root issuer", () => {
  for (const [where, at] of layouts) {
    test(`with a trailing slash (https://as/), metadata only at ${where}`, () => roundTrip({ issuerPath: "/", asMetadataAt: at }), 90_000)
    test(`with a trailing slash, named without it, metadata only at ${where}`, () => roundTrip({ issuerPath: "/", asMetadataAt: at, prmIssuerSpelling: "no-slash" }), 90_000)
    test(`without one, named with it, metadata only at ${where}`, () => roundTrip({ asMetadataAt: at, prmIssuerSpelling: "slash" }), 90_000)
  }
})
