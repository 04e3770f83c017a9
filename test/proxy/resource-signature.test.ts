/**
 * The change signature of the resource surface (kept with the surface for the run, compared with
 * what the client was last told) is a fixed-size keyed hash and the length, not the surface's
 * JSON (qa289: a server listing 10 000 resources kept megabytes). It still tells a change.
 */
import { expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config } from "./helpers.ts"

test("the resource signature is short and still tells a change", async () => {
  await using proxy = createProxy({ config: config({ servers: {} }), log: silentLogger, closeGraceMs: 200 })
  const signatureOf = (proxy as unknown as { signatureOf(kind: string, s: object): string }).signatureOf.bind(proxy)
  const resources = Array.from({ length: 2000 }, (_, i) => ({ uri: `file:///data/file-${i}.txt`, name: `file-${i}.txt`, mimeType: "text/plain" }))
  const a = signatureOf("resources", { resources, templates: [] })
  const same = signatureOf("resources", { resources: structuredClone(resources), templates: [] })
  const changed = signatureOf("resources", { resources: [...resources.slice(1), { uri: "file:///data/new.txt", name: "new.txt" }], templates: [] })
  const withTemplate = signatureOf("resources", { resources, templates: [{ uriTemplate: "file:///{path}", name: "file" }] })
  expect(a.length).toBeLessThan(64)
  expect(same).toBe(a)
  expect(changed).not.toBe(a)
  expect(withTemplate).not.toBe(a)
})
