/**
 * Runs the Upstream conformance suite against `createProxy` over real stdio servers.
 */
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, everythingStdio, fault } from "./helpers.ts"
import { upstreamConformance } from "./upstream-conformance.ts"

upstreamConformance("createProxy (stdio servers)", async () => {
  const proxy = createProxy({ config: config({ servers: { f: fault(), ev: everythingStdio } }), log: silentLogger, closeGraceMs: 200 })
  return {
    upstream: proxy,
    echoName: "f__echo",
    hangName: "f__hang",
    trigger: async () => proxy.addServer({ name: "extra", source: "config", spec: fault() }),
    dispose: () => proxy[Symbol.asyncDispose](),
  }
})
