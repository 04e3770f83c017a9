/**
 * http.allowedHosts / http.allowedOrigins as compared (src/http/allow-list.ts): entries and headers
 * normalized the same way, entries that can
 * never match reported with their key; and through the app, the Host/Origin refusals naming the
 * value and the setting. Through the binary (env variable, log lines): test/http/limits-binary.test.ts.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { hostAllowList, hostListed, normalizeOrigin, originAllowList, originListed } from "../../src/http/allow-list.ts"
import { hostAllowed, originAllowed } from "../../src/http/index.ts"
import { BASE, INIT, authHeaders, makeApp, post, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

describe("origins", () => {
  test("scheme://host[:port], lowercased, default port and trailing slash dropped, on both sides", () => {
    expect(normalizeOrigin("https://app.example.com/")).toBe("https://app.example.com")
    expect(normalizeOrigin("HTTPS://App.Example.COM:443")).toBe("https://app.example.com")
    expect(normalizeOrigin("http://app.example.com:80/")).toBe("http://app.example.com")
    expect(normalizeOrigin("http://app.example.com:8080")).toBe("http://app.example.com:8080")
    expect(normalizeOrigin("http://[FD00::1]:3000")).toBe("http://[fd00::1]:3000")
    expect(normalizeOrigin("chrome-extension://AbCdEf/")).toBe("chrome-extension://abcdef")
    expect(normalizeOrigin("https://app.example.com/path")).toBeUndefined()
    expect(normalizeOrigin("app.example.com")).toBeUndefined()
    const list = originAllowList(["https://app.example.com/", "http://dash.example.com:80", "https://x.example.com:8443"])
    expect(list.problems).toEqual([])
    for (const o of ["https://app.example.com", "https://APP.example.com:443", "http://dash.example.com", "https://x.example.com:8443"]) expect(originListed(o, list)).toBe(true)
    for (const o of ["http://app.example.com", "https://app.example.com:8443", "https://x.example.com", "https://app.example.com.evil.io", "null"]) expect(originListed(o, list)).toBe(false)
    // the exported check takes the raw list too (same rules)
    expect(originAllowed("https://app.example.com", ["https://app.example.com/"])).toBe(true)
  })

  test("entries that can never match are reported with the key and what to write instead; an exact match still counts", () => {
    const list = originAllowList(["app.example.com", "https://x.example.com/app", "https://*.example.com", "https://u:p@y.example.com", "null", ""])
    const problems = list.problems.map((p) => [p.key, p.entry, p.why])
    expect(problems).toEqual([
      ["http.allowedOrigins", "app.example.com", 'an Origin is scheme://host[:port], e.g. "https://app.example.com"'],
      ["http.allowedOrigins", "https://x.example.com/app", 'an Origin has no path, query or fragment: use "https://x.example.com"'],
      ["http.allowedOrigins", "https://*.example.com", "wildcards are not supported; list each origin (scheme://host[:port])"],
      ["http.allowedOrigins", "https://u:p@y.example.com", 'an Origin has no user name or password: use "https://y.example.com"'],
      ["http.allowedOrigins", "", "an empty entry"],
    ])
    // `null` is a value a browser sends (opaque origins): listed, it matches as it always did
    expect(originListed("null", list)).toBe(true)
    // a non-browser client sending a value exactly as listed still matches
    expect(originListed("app.example.com", list)).toBe(true)
  })

})

describe("hosts", () => {
  test("a port of 80 or 443 also accepts a Host without port; a name without port accepts any port", () => {
    const list = hostAllowList(["mcp.example.com:443", "plain.example.com:80", "Any.Example.com", "box.lan:8787", "fd00::1"])
    expect(list.problems).toEqual([])
    const yes = ["mcp.example.com", "mcp.example.com:443", "MCP.example.com", "plain.example.com", "plain.example.com:80", "any.example.com", "any.example.com:9999", "box.lan:8787", "[fd00::1]", "[fd00::1]:8787"]
    const no = ["mcp.example.com:80", "mcp.example.com:8443", "plain.example.com:443", "box.lan", "box.lan:8788", "other.example.com", "mcp.example.com.evil.io"]
    for (const h of yes) expect([h, hostListed(h, list)]).toEqual([h, true])
    for (const h of no) expect([h, hostListed(h, list)]).toEqual([h, false])
    expect(hostAllowed("mcp.example.com", ["mcp.example.com:443"])).toBe(true)
    expect(hostAllowed("localhost:1234", [])).toBe(true)
    // the fully qualified name a browser keeps the dot of, in Host and in Origin
    expect(hostAllowed("localhost.:1234", [])).toBe(true)
    expect(hostAllowed("LOCALHOST.", [])).toBe(true)
    expect(originAllowed("http://localhost.:6274", [])).toBe(true)
    expect(hostAllowed("localhost.evil.com", [])).toBe(false)
    expect(originAllowed("http://localhost.evil.com", [])).toBe(false)
  })

  test("entries that can never match are reported with the key and what to write instead", () => {
    const list = hostAllowList(["https://mcp.example.com/mcp", "mcp.example.com/mcp", "*.example.com", "box:port", " "])
    expect(list.problems.map((p) => [p.key, p.entry, p.why])).toEqual([
      ["http.allowedHosts", "https://mcp.example.com/mcp", 'a Host is name[:port], without scheme or path: use "mcp.example.com"'],
      ["http.allowedHosts", "mcp.example.com/mcp", 'a Host is name[:port], without a path: use "mcp.example.com"'],
      ["http.allowedHosts", "*.example.com", "wildcards are not supported; list each host name"],
      ["http.allowedHosts", "box:port", "a Host is name[:port] (port 0-65535; an IPv6 address in brackets)"],
      ["http.allowedHosts", " ", "an empty entry"],
    ])
    // an origin a page sends as `null` or a webview as a bare `file://` matches as written: no warning
    const origins = originAllowList(["null", "file://", "app://"])
    expect(origins.problems).toEqual([])
    expect(originListed("file://", origins)).toBe(true)
    expect(originListed("null", origins)).toBe(true)
    expect(originAllowList(["file:///index.html"]).problems.length).toBe(1)
  })
})

describe("through the app", () => {
  test("normalized entries match real requests; a refusal names the value and the setting to change", async () => {
    t = makeApp({ allowedHosts: ["mcp.example.com:443"], allowedOrigins: ["https://app.example.com/"] })
    expect((await t.app.request(`${BASE}/healthz`, { headers: { Host: "mcp.example.com" } })).status).toBe(200)
    expect((await post(t.app, INIT, authHeaders({ Origin: "https://app.example.com" }))).status).toBe(200)

    const host = await t.app.request(`${BASE}/healthz`, { headers: { Host: "evil.example.com:8787" } })
    expect(host.status).toBe(403)
    const hostMsg = ((await host.json()) as { message: string }).message
    expect(hostMsg).toContain('Host header "evil.example.com:8787" not allowed')
    expect(hostMsg).toContain("http.allowedHosts")
    expect(hostMsg).toContain('add "evil.example.com"')

    const origin = await post(t.app, INIT, authHeaders({ Origin: "https://Evil.example.com:443" }))
    expect(origin.status).toBe(403)
    const originMsg = ((await origin.json()) as { message: string }).message
    expect(originMsg).toContain('Origin "https://Evil.example.com:443" not allowed')
    expect(originMsg).toContain("http.allowedOrigins")
    expect(originMsg).toContain('add "https://evil.example.com"')
    // a client-chosen value is quoted and cut, never echoed whole
    const long = await t.app.request(`${BASE}/healthz`, { headers: { Origin: `https://${"a".repeat(500)}.example.com` } })
    expect(((await long.json()) as { message: string }).message.length).toBeLessThan(700)
  })
})
