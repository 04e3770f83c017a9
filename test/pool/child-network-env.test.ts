/**
 * @module test/pool/child-network-env
 * A stdio server gets our proxy settings (both spellings), npm's and Node's proxy switches, the
 * corporate CA bundles and a remote docker engine's TLS settings: behind a corporate proxy `npx -y
 * some-server` downloads nothing without them. Before qa317 only PATH, HOME, DOCKER_HOST… were
 * passed. A proxy's `user:pass@` (with a scheme or without, as curl and npm accept it) and a
 * `DOCKER_HOST` with credentials are secrets: the server gets them, the model, the status and the
 * log never see them. Compiled binary, real SDK Client, the env-echo fixture (prints its env).
 */
import { expect, test } from "bun:test"
import { createHash } from "node:crypto"
import { join } from "node:path"
import { connectBinary, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const ECHO = join(import.meta.dir, "..", "fixtures", "servers", "env-echo-server.ts")
const sha = (v: string): string => createHash("sha256").update(v).digest("hex")
const rand = (): string => crypto.randomUUID().replace(/-/g, "").slice(0, 10)

test("proxies, CA bundles and docker TLS settings reach a stdio child; the credentials in them reach nobody else", async () => {
  const proxyPass = `Px${rand()}Qz7`
  const lowerPass = `lw${rand()}K9`
  const dockerPass = `Dk${rand()}V4`
  const given: Record<string, string> = {
    HTTPS_PROXY: `http://alice:${proxyPass}@proxy.corp.example:3128`,
    HTTP_PROXY: `http://alice:${proxyPass}@proxy.corp.example:3128`,
    // no scheme: curl and npm read it as http://
    https_proxy: `bob:${lowerPass}@proxy.corp.example:8080`,
    NO_PROXY: "localhost,127.0.0.1,.corp.example",
    no_proxy: "localhost,127.0.0.1",
    NODE_USE_ENV_PROXY: "1",
    SSL_CERT_FILE: "/etc/ssl/corp/ca-bundle.pem",
    NODE_EXTRA_CA_CERTS: "/etc/ssl/corp/corp-root.pem",
    REQUESTS_CA_BUNDLE: "/etc/ssl/corp/ca-bundle.pem",
    DOCKER_HOST: `tcp://ops:${dockerPass}@docker.corp.example:2376`,
    DOCKER_TLS_VERIFY: "1",
    DOCKER_CERT_PATH: "/etc/docker/certs",
  }
  const env = sandboxEnv({ ...given, UNRELATED_TOKEN: "stays-out-of-children" })
  const cfg = writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, servers: { echo: { command: process.execPath, args: [ECHO] } } })
  const c = await connectBinary(["serve", "--config", cfg], env)
  let text = ""
  try {
    const r = await c.client.callTool({ name: "echo__whoami", arguments: {} })
    text = JSON.stringify(r)
    const got = JSON.parse((r.content as { text: string }[])[0]!.text) as { env: Record<string, string>; envSha256: Record<string, string> }
    // each variable reached the child as it was (by hash: the credentials come back masked)
    for (const [k, v] of Object.entries(given)) expect({ k, sha: got.envSha256[k] }).toEqual({ k, sha: sha(v) })
    expect(got.env.UNRELATED_TOKEN).toBeUndefined()
    // what has no credential is shown as it is
    expect(got.env.NO_PROXY).toBe(given.NO_PROXY!)
    expect(got.env.SSL_CERT_FILE).toBe(given.SSL_CERT_FILE!)
    expect(got.env.HTTPS_PROXY).toContain("proxy.corp.example:3128")
    text += JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
  } finally {
    await c.close()
  }
  for (const secret of [proxyPass, lowerPass, dockerPass]) {
    expect(text).not.toContain(secret)
    expect(c.stderr()).not.toContain(secret)
  }
}, 60_000)
