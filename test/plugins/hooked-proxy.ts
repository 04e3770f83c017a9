/**
 * A real plugin host with one plugin file, and a proxy in front of server-everything (`ev`) with its
 * hooks: the setup of the tools-hook tests. Dispose with `await using` or `[Symbol.asyncDispose]()`.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { PluginHost, type PluginLimits } from "../../src/plugin/index.ts"
import { createProxy, type Proxy } from "../../src/proxy/index.ts"
import { captureLog, everythingStdio } from "../proxy/helpers.ts"

export interface HookedProxy extends AsyncDisposable {
  proxy: Proxy
  host: PluginHost
  /** The log records of both (captureLog). */
  records: ReturnType<typeof captureLog>["records"]
}

/** `source` written as `<name>.js` in a fresh plugin directory; `config` merged over `{ servers: { ev } }`; `limits` of the plugin host. */
export async function hookedProxy(name: string, source: string, config: Record<string, unknown> = {}, limits?: Partial<PluginLimits>): Promise<HookedProxy> {
  const { log, records } = captureLog()
  const dir = mkdtempSync(join(tmpdir(), "mcpo-hooked-"))
  writeFileSync(join(dir, `${name}.js`), source)
  const parsed = ConfigSchema.parse({ servers: { ev: everythingStdio }, ...config })
  const host = await PluginHost.create({ dirs: [dir], log, separator: parsed.proxy.separator, ...(limits ? { limits } : {}) })
  const proxy = createProxy({ config: parsed, log, hooks: host.proxyHooks(), closeGraceMs: 300 })
  return {
    proxy,
    host,
    records,
    async [Symbol.asyncDispose]() {
      await proxy[Symbol.asyncDispose]()
      await host[Symbol.asyncDispose]()
    },
  }
}
