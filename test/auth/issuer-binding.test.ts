/**
 * The issuer binding of a stored login (auth/issuer) at the provider's seams, with a real token
 * store in a temporary directory: serve refuses to hand another authorization server's flow the
 * login (NEEDS_AUTH, before the SDK gets tokens or client), and stores no discovery of it; a login
 * registers afresh rather than present a client the record cannot tie to the new issuer.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createProvider, TokenStore, type OAuthRecord } from "../../src/auth/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const URL_ = "https://mcp.example.com/mcp"
const A = "https://auth-a.example.com"
const B = "https://auth-b.example.com"

function storeWith(rec: Partial<OAuthRecord>): TokenStore {
  const store = new TokenStore(mkdtempSync(join(tmpdir(), "mcpo-issuer-")))
  store.write({ v: 1, server: "s", url: URL_, ...rec })
  return store
}

const tokens = { access_token: "at-x", refresh_token: "rt-x", token_type: "Bearer" }
const discoveryOf = (issuer: string) => ({ authorizationServerUrl: issuer, authorizationServerMetadata: { issuer, authorization_endpoint: `${issuer}/a`, token_endpoint: `${issuer}/t`, response_types_supported: ["code"] } })

function thrown(f: () => unknown): DownstreamError {
  try {
    f()
  } catch (e) {
    if (e instanceof DownstreamError) return e
    throw e
  }
  throw new Error("nothing thrown")
}

describe("serve: a login goes only to its own authorization server", () => {
  const serve = (store: TokenStore) => createProvider({ server: "s", url: URL_, store, settings: {}, mode: "serve" })

  test("stamped for A, the flow at B: NEEDS_AUTH naming both, no tokens or client handed out, B's discovery not stored", () => {
    const store = storeWith({ tokens: { ...tokens, issuer: A } as never, client: { client_id: "c" }, discovery: discoveryOf(A) })
    const p = serve(store)
    const e = thrown(() => p.tokens({ issuer: B }))
    expect(e.code).toBe("NEEDS_AUTH")
    expect(e.message).toContain(`changed from ${A} to ${B}`)
    expect(thrown(() => p.clientInformation({ issuer: B })).code).toBe("NEEDS_AUTH")
    expect(thrown(() => p.saveDiscoveryState(discoveryOf(B))).code).toBe("NEEDS_AUTH")
    expect(store.read("s", URL_)?.discovery?.authorizationServerUrl).toBe(A)
    // at A (one trailing slash apart), and for the resource server's bearer (no issuer): as before
    expect(p.tokens({ issuer: `${A}/` })?.refresh_token).toBe("rt-x")
    expect(p.tokens()?.access_token).toBe("at-x")
  })

  test("an old record: the issuer is read from its stored discovery, else its `issuer`; with neither it cannot be confirmed", () => {
    expect(thrown(() => serve(storeWith({ tokens, discovery: discoveryOf(A) })).tokens({ issuer: B })).message).toContain(`changed from ${A} to ${B}`)
    expect(serve(storeWith({ tokens, discovery: discoveryOf(A) })).tokens({ issuer: A })?.refresh_token).toBe("rt-x")
    expect(thrown(() => serve(storeWith({ tokens, issuer: A })).saveDiscoveryState(discoveryOf(B))).message).toContain(`changed from ${A} to ${B}`)
    const none = storeWith({ tokens })
    expect(thrown(() => serve(none).saveDiscoveryState(discoveryOf(A))).message).toContain("could not be confirmed")
    expect(none.read("s", URL_)?.discovery).toBeUndefined()
  })

  test("without tokens there is nothing to protect: the discovery is stored", () => {
    const store = storeWith({ client: { client_id: "c" } })
    serve(store).saveDiscoveryState(discoveryOf(B))
    expect(store.read("s", URL_)?.discovery?.authorizationServerUrl).toBe(B)
  })

  test("a 401 (rediscover): the stored discovery is not used until a new one is stored", () => {
    const p = serve(storeWith({ tokens: { ...tokens, issuer: A } as never, discovery: discoveryOf(A) }))
    expect(p.discoveryState()?.authorizationServerUrl).toBe(A)
    p.rediscover()
    expect(p.discoveryState()).toBeUndefined()
    p.saveDiscoveryState(discoveryOf(A))
    expect(p.discoveryState()?.authorizationServerUrl).toBe(A)
  })
})

describe("login: a stored client is presented only to its own authorization server", () => {
  const login = (store: TokenStore) => createProvider({ server: "s", url: URL_, store, settings: {}, mode: "login", redirectUrl: "http://127.0.0.1:5555/callback" })
  const client = { client_id: "dyn", client_secret: "dyn-secret", redirect_uris: ["http://127.0.0.1:5555/callback"] }

  test("unstamped client of a record whose issuer is A: used at A, not at B; of a record naming no issuer: at neither", () => {
    const store = storeWith({ tokens, issuer: A, client })
    expect(login(store).clientInformation({ issuer: A })?.client_id).toBe("dyn")
    expect(login(store).clientInformation({ issuer: B })).toBeUndefined()
    expect(login(storeWith({ tokens, client })).clientInformation({ issuer: A })).toBeUndefined()
    // stamped: its own stamp decides
    expect(login(storeWith({ client: { ...client, issuer: B } })).clientInformation({ issuer: B })?.client_id).toBe("dyn")
  })
})
