/**
 * proxy/uri-reach: which stored resource lists could hold a URI they do not list (a warm start's
 * read of such a URI starts only those servers). By origin (scheme and authority), a template by its
 * origin or its literal lead; lists that hold nothing only when they are the one such server.
 */
import { expect, test } from "bun:test"
import { mayHoldUri, serversThatMayHold } from "../../src/proxy/uri-reach.ts"

const R = (...uris: string[]) => uris.map((uri) => ({ uri, name: uri }))
const T = (...uriTemplates: string[]) => uriTemplates.map((uriTemplate) => ({ uriTemplate, name: uriTemplate }))

test.each([
  ["zzz://nothing", R("mem://a/note"), T("mem://a/ask/{topic}"), false],
  ["mem://a/other", R("mem://a/note"), [], true],
  ["mem://ab/other", R("mem://a/note"), [], false],
  ["MEM://a?q", R("mem://a"), [], true],
  ["mem://b/x", [], T("mem://a/ask/{topic}"), false],
  ["mem://b/x", [], T("mem://{n}/ask"), true],
  ["anything:x", [], T("{+uri}"), true],
  ["file:///etc/x", R("file:///home/a.txt"), [], true],
  ["file://host/etc/x", R("file:///home/a.txt"), [], false],
  ["urn:isbn:1", R("urn:x:2"), [], true],
  ["no scheme", R("mem://a"), T("mem://a/{x}"), false],
  ["mem://a", [], [], false],
] as const)("%s", (uri, resources, templates, could) => {
  expect(mayHoldUri(uri, resources, templates)).toBe(could)
})

test("lists that hold nothing: the server may be meant only when no list reaches the URI and it is the only such server", () => {
  const a = { name: "a", resources: R("mem://a/note"), templates: [] }
  const blank = (name: string) => ({ name, resources: [], templates: [] })
  expect(serversThatMayHold("mem://a/x", [a, blank("p")]).map((s) => s.name)).toEqual(["a"])
  expect(serversThatMayHold("zzz://x", [a, blank("p")]).map((s) => s.name)).toEqual(["p"])
  expect(serversThatMayHold("zzz://x", [a, blank("p"), blank("q")])).toEqual([])
})
