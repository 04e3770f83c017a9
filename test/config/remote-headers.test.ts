/**
 * A remote server's `headers` that fetch cannot send (QA 8b): a value with a line break (a token
 * pasted with its newline, or a header-injection attempt), a name with a space or a colon, an
 * emoji. They passed validation, so a load or a reload applied them, and then every connect failed
 * with fetch's "Header 'X-Key' has invalid value" (no key, no file), tried the SSE fallback too and
 * went round the restart loop. Now the load refuses them naming the key and file:line (a reload
 * keeps the running config), and a value is never quoted (it may be a secret).
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { loadConfig } from "../../src/config/index.ts"
import { configDir, problems } from "./helpers.ts"

const { dir, file } = configDir("mcpo-headers-")
const noEnv = { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }
const entry = (headers: string) => `servers:\n  web:\n    url: "https://example.com/mcp"\n    headers: ${headers}\n`

describe("servers.<name>.headers", () => {
  test("a value with a line break (CR LF, or LF alone) or NUL: refused naming the header, the value not quoted", () => {
    for (const v of ["tok-8b-1234567890\\r\\nX-Injected: 1", "tok-8b-1234567890\\n", "a\\u0000b"]) {
      const p = file(entry(`{ "X-Api-Key": "${v}" }`))
      const got = problems(() => loadConfig({ configPath: p, env: noEnv }))
      expect(got).toHaveLength(1)
      expect(got[0]).toStartWith(`servers.web.headers.X-Api-Key (${p}:4): expected an HTTP header value on one line`)
      expect(got[0]).not.toContain("tok-8b")
      expect(got[0]).not.toContain("Injected")
    }
  })

  test("a character beyond Latin-1 in a value is refused; Latin-1 passes", () => {
    const p = file(entry(`{ "X-Name": "caf\\u00e9 \\ud83d\\ude00" }`))
    expect(problems(() => loadConfig({ configPath: p, env: noEnv }))[0]).toStartWith(`servers.web.headers.X-Name (${p}:4): expected an HTTP header value on one line`)
    const ok = loadConfig({ configPath: file(entry(`{ "X-Name": "caf\\u00e9", Authorization: "Bearer abc.def-ghi_jkl~=" }`)), env: noEnv })
    expect((ok.config.servers.web as { headers?: Record<string, string> }).headers).toEqual({ "X-Name": "café", Authorization: "Bearer abc.def-ghi_jkl~=" })
  })

  test("a name that is no HTTP token (a space, a colon, empty): refused naming it", () => {
    for (const name of ["Bad Header", "X-Key:", ""]) {
      const p = file(entry(`{ "${name}": "v" }`))
      const got = problems(() => loadConfig({ configPath: p, env: noEnv }))
      expect(got[0]).toContain("expected an HTTP header name")
      expect(got[0]).toContain(`${p}:4`)
    }
  })
})
