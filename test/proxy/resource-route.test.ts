/** proxy/resource-route `routeResource`: which server a URI goes to by listed resources and whole-template matches. */
import { describe, expect, test } from "bun:test"
import { routeResource, templateClaim, uriOrigin, type TemplateClaim } from "../../src/proxy/resource-route.ts"

function route(uri: string, templates: [string, string][], listed: [string, string[]][] = [], pending: string[] = []) {
  const claims = templates.map(([server, t]) => templateClaim(server, t)).filter((c): c is TemplateClaim => c !== undefined)
  const origins = new Map<string, Set<string>>()
  const add = (text: string, server: string) => {
    const o = uriOrigin(text)
    if (o !== undefined && !o.includes("{")) (origins.get(o) ?? origins.set(o, new Set()).get(o)!).add(server)
  }
  for (const c of claims) add(c.lead, c.server)
  for (const [uri, servers] of listed) for (const s of servers) add(uri, s)
  return routeResource(uri, new Map(listed), claims, origins, pending)
}

describe("routeResource", () => {
  test("the whole template must match, by RFC 6570 operator", () => {
    expect(route("a://x/1/meta", [["s", "a://x/{id}/meta"]])).toEqual({ server: "s" })
    expect(route("a://x/1/other", [["s", "a://x/{id}/meta"]])).toBeUndefined()
    expect(route("a://x/1/2/meta", [["s", "a://x/{id}/meta"]])).toBeUndefined() // a simple {id} takes no "/"
    expect(route("a://x/1/2/meta", [["s", "a://x/{+id}/meta"]])).toEqual({ server: "s" })
    expect(route("a://q?x=1&y=2", [["s", "a://q{?x,y}"]])).toEqual({ server: "s" })
    expect(route("a://p/a/b", [["s", "a://p{/seg*}"]])).toEqual({ server: "s" })
  })
  test("the most literal characters win, then a template without {+…}; equal across servers is contended", () => {
    expect(route("h://a.example/items/1", [["broad", "h://a.example/{+rest}"], ["narrow", "h://a.example/items/{id}"]])).toEqual({ server: "narrow" })
    expect(route("h://a.example/items/1", [["broad", "h://a.example/items/{+rest}"], ["narrow", "h://a.example/items/{id}"]])).toEqual({ server: "narrow" })
    expect(route("h://{x}.example", [])).toBeUndefined()
    const twin = route("t://x/1", [["a", "t://x/{id}"], ["b", "t://x/{id}"]])
    expect(twin).toMatchObject({ ambiguous: ["a", "b"] })
    // literal characters count wherever they are, not only before the first expression
    expect(route("h://svc.example.com/x", [["host", "h://{sub}.example.com/{+p}"], ["any", "h://{+rest}"]])).toEqual({ server: "host" })
  })
  test("a template with no literal character claims nothing", () => {
    expect(templateClaim("s", "{+uri}")).toBeUndefined()
    expect(route("x://y", [["s", "{+uri}"]])).toBeUndefined()
  })
  test("a listed URI goes to its lister, over any template; two listers contend", () => {
    expect(route("h://a.example/items/1", [["narrow", "h://a.example/items/{id}"]], [["h://a.example/items/1", ["lister"]]])).toEqual({ server: "lister" })
    expect(route("s://r", [], [["s://r", ["a", "b"]]])).toMatchObject({ ambiguous: ["a", "b"] })
  })
  test("a catch-all does not take a URI in a namespace another server serves, or while another server's lists are unknown", () => {
    const web = [["https://api.example.com/status", ["web"]]] as [string, string[]][]
    expect(route("https://api.example.com/other", [["aaa", "https://{+rest}"]], web)).toMatchObject({ ambiguous: ["aaa", "web"] })
    expect(route("https://else.example.org/x", [["aaa", "https://{+rest}"]], web)).toEqual({ server: "aaa" })
    expect(route("https://else.example.org/x", [["aaa", "https://{+rest}"]], [], ["slow"])).toMatchObject({ ambiguous: ["aaa", "slow"] })
    // a template that fixes the namespace is no catch-all
    expect(route("file:///etc/x", [["fs", "file:///{+path}"]], [], ["slow"])).toEqual({ server: "fs" })
  })
})
