/**
 * The Toolkit's server configuration holds credentials too (a connection URL with a password, an API
 * key a catalog entry asks for as config): the orchestrator reads it, so it registers its secret
 * values before the gateway runs those servers. A Toolkit server that prints its configuration
 * (servers/config-echo-gateway.ts, behind the fake docker) hands the model none of them, through
 * the compiled binary; the rest of its text stays readable.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, REPO, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { DOCKER_KEPT } from "./servers/config-echo-gateway.ts"

const tag = (t: string): string => `${t}${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`
const C = { apiKey: tag("tkKey"), dbPassword: tag("tkPw"), urlPassword: tag("tkUrlPw") }

let fake: FakeDocker
let c: Connected
beforeAll(async () => {
  await ensureBuilt()
  fake = makeFakeDocker({ version: "v0.43.3" })
  const wrapper = join(fake.dir, "bin", "docker")
  const gw = JSON.stringify([process.execPath, join(REPO, "test", "faults", "servers", "config-echo-gateway.ts")])
  writeFileSync(wrapper, (await Bun.file(wrapper).text()).replace("\nexec ", `\nexport FAKE_DOCKER_GATEWAY_CMD='${gw}'\nexec `))
  const setup = [
    ["catalog", "pull", "mcp/docker-mcp-catalog"],
    ["profile", "create", "--name", "default"],
    ["profile", "server", "add", "--server", "catalog://mcp/docker-mcp-catalog/duckduckgo", "default"],
    // set by the user outside the orchestrator (Docker Desktop, the CLI)
    ["profile", "config", "default", "--set", `duckduckgo.api_key=${C.apiKey}`],
    ["profile", "config", "default", "--set", `duckduckgo.db_password=${C.dbPassword}`],
    ["profile", "config", "default", "--set", `duckduckgo.database=postgres://app:${C.urlPassword}@db:5432/app`],
    // too short to mask: not registered, and said so (qa310)
    ["profile", "config", "default", "--set", "duckduckgo.api_token=ab1"],
  ]
  for (const argv of setup) {
    const p = Bun.spawnSync(["docker", "mcp", ...argv], { env: fake.env, stderr: "pipe" })
    expect({ argv, code: p.exitCode, err: p.stderr.toString() }).toEqual({ argv, code: 0, err: expect.any(String) })
  }
  const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, "log:\n  level: debug\n")
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)
afterAll(async () => {
  await c?.close()
  fake?.cleanup()
})

test("a Toolkit server printing its configuration shows none of its secret values", async () => {
  expect(await listUntil(c.client, "docker__connect")).toContain("docker__connect")
  const r = JSON.stringify(await c.client.callTool({ name: "docker__connect", arguments: {} }))
  expect(r).toContain("my configuration is")
  expect(r).toContain("postgres://app:[REDACTED]@db:5432/app")
  expect(Object.entries(C).filter(([, v]) => r.includes(v))).toEqual([])
  expect(Object.entries(C).filter(([, v]) => c.stderr().includes(v))).toEqual([])
}, 60_000)

test("a secret-named Toolkit setting too short to mask is said once in the log, by its length, never quoted (qa310)", async () => {
  expect(await listUntil(c.client, "docker__connect")).toContain("docker__connect")
  await c.client.callTool({ name: "config_get", arguments: {} })
  const said = c
    .stderr()
    .split("\n")
    .filter((l) => l.includes("too short to redact"))
  expect(said).toEqual([expect.stringContaining("Toolkit server duckduckgo's config holds a secret-named value (3 characters) too short to redact safely, so it is NOT masked")])
  expect(said[0]).not.toContain("ab1")
}, 60_000)

test("secrets Docker keeps (never seen by the orchestrator) are masked by their shape in a Toolkit server's results, prompts and reads", async () => {
  expect(await listUntil(c.client, "docker__whoami")).toContain("docker__whoami")
  const kept = Object.values(DOCKER_KEPT)
  const leaked = (v: unknown): string[] => kept.filter((k) => JSON.stringify(v).includes(k))
  const call = await c.client.callTool({ name: "docker__whoami", arguments: {} })
  expect(JSON.stringify(call)).toContain("user: octocat")
  expect(JSON.stringify(call)).toContain("GITHUB_PERSONAL_ACCESS_TOKEN=[REDACTED]")
  expect(leaked(call)).toEqual([])
  // the same through the orchestrator's own call_tool and run_code paths
  expect(leaked(await c.client.callTool({ name: "call_tool", arguments: { name: "docker__whoami", arguments: {} } }))).toEqual([])
  const prompts = (await c.client.listPrompts()).prompts.map((p) => p.name)
  const prompt = prompts.find((n) => n.endsWith("debug"))
  expect(prompt).toBeDefined()
  const got = await c.client.getPrompt({ name: prompt! })
  expect(JSON.stringify(got)).toContain("user: octocat")
  expect(leaked(got)).toEqual([])
  const resources = (await c.client.listResources()).resources
  const env = resources.find((r) => r.name === "env")
  expect(env).toBeDefined()
  const read = await c.client.readResource({ uri: env!.uri })
  expect(JSON.stringify(read)).toContain("user: octocat")
  expect(leaked(read)).toEqual([])
}, 60_000)
