/**
 * proxy/shared-ui: a `ui://` view URI several servers list is shown per server, reversibly, in
 * name order whatever order the lists came in; one only a single server has is never renamed.
 */
import { expect, test } from "bun:test"
import { fromPerServerUri, perServerUri, sharedUiUris, withServerUis } from "../../src/proxy/shared-ui.ts"
import type { Tool } from "../../src/proxy/types.ts"

const view = (uri: string, name = "chart"): Tool => ({ name, inputSchema: { type: "object" }, _meta: { ui: { resourceUri: uri, visibility: ["app"] } } }) as Tool

test("shared only when two servers list it (in tools or resources), servers in name order whatever the order given", () => {
  const a = { server: "zeta", tools: [view("ui://chart/view.html")] }
  const b = { server: "alpha", resources: [{ uri: "ui://chart/view.html", name: "v" }] }
  const c = { server: "solo", tools: [view("ui://dash/view.html")], resources: [{ uri: "ui://dash/view.html", name: "d" }] }
  expect([...sharedUiUris([a, b, c])]).toEqual([["ui://chart/view.html", ["alpha", "zeta"]]])
  expect([...sharedUiUris([c, b, a])]).toEqual([...sharedUiUris([a, b, c])])
  // a non-ui URI two servers list is not renamed here (it stays contended)
  expect(sharedUiUris([{ server: "x", resources: [{ uri: "file:///a", name: "a" }] }, { server: "y", resources: [{ uri: "file:///a", name: "a" }] }]).size).toBe(0)
})

test("the per-server form goes back to its server and URI, for any server name; other URIs are not taken", () => {
  for (const server of ["apps", "my server", "a@b/c", "ü"]) {
    const uri = "ui://chart/view.html?x=1"
    expect(fromPerServerUri(perServerUri(server, uri), (n) => n === server)).toEqual({ server, uri })
  }
  expect(fromPerServerUri("ui://nobody@chart/view.html", (n) => n === "apps")).toBeUndefined()
  expect(fromPerServerUri("ui://chart/a@b", () => true)).toBeUndefined()
  expect(fromPerServerUri("https://apps@host/x", () => true)).toBeUndefined()
})

test("tools are rewritten only for a shared URI, the rest of _meta kept; none shared: the same array", () => {
  const tools = [view("ui://chart/view.html"), view("ui://dash/view.html", "dash")]
  const shared = new Map([["ui://chart/view.html", ["apps", "apps2"]]])
  const out = withServerUis(tools, "apps2", shared)
  expect(out[0]!._meta).toEqual({ ui: { resourceUri: "ui://apps2@chart/view.html", visibility: ["app"] } })
  expect(out[1]).toBe(tools[1]!)
  expect(withServerUis(tools, "apps2", new Map())).toBe(tools)
})
