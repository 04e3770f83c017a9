/**
 * The real gateway exposes its own dynamic tools beside its servers' (docs/toolkit.md §5.6).
 * `mcp-exec` runs any gateway tool by name: a tool hidden by toolkit.tools was called through
 * `docker__mcp-exec`; `mcp-config-set` / `mcp-add` changed the Toolkit without the confirmation
 * config_set / server_enable ask. Those are hidden now; the servers' tools and `mcp-find` stay.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker, REPO, type FakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

let fake: FakeDocker
let c: Connected
beforeAll(async () => {
  await ensureBuilt()
  fake = makeFakeDocker({ version: "v0.43.3" })
  const wrapper = join(fake.dir, "bin", "docker")
  const gw = JSON.stringify([process.execPath, join(REPO, "test", "fixtures", "fake-docker-lib", "gateway-server.ts")])
  writeFileSync(wrapper, (await Bun.file(wrapper).text()).replace("\nexec ", `\nexport FAKE_DOCKER_GATEWAY_CMD='${gw}'\nexec `))
  for (const argv of [["catalog", "pull", "mcp/docker-mcp-catalog"], ["profile", "create", "--name", "default"], ["profile", "server", "add", "--server", "catalog://mcp/docker-mcp-catalog/duckduckgo", "default"]]) {
    expect(Bun.spawnSync(["docker", "mcp", ...argv], { env: fake.env }).exitCode).toBe(0)
  }
  const env = sandboxEnv({ PATH: fake.env.PATH!, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, "toolkit:\n  tools:\n    deny: [delete_everything]\n")
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)
afterAll(async () => {
  await c?.close()
  fake?.cleanup()
})

test("the gateway's tools that run tools by name or change the Toolkit are hidden; a denied tool cannot be reached through mcp-exec", async () => {
  const names = (await c.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("docker__")).sort()
  expect(names).toEqual(["docker__mcp-find", "docker__search"])
  for (const [name, args] of [["docker__mcp-exec", { name: "delete_everything" }], ["docker__mcp-config-set", { server: "x", config: {} }], ["docker__mcp-add", { name: "x" }], ["docker__code-mode", { servers: [], name: "x" }]] as const) {
    const r = await c.client.callTool({ name, arguments: args }).then(
      (x) => JSON.stringify(x.content),
      (e: Error) => e.message,
    )
    expect({ name, ran: /delete_everything ran|config of x set|added x|code-mode tool x created/.test(r), hidden: r.includes("hidden by") }).toEqual({ name, ran: false, hidden: true })
  }
  const ok = await c.client.callTool({ name: "docker__search", arguments: {} })
  expect(JSON.stringify(ok.content)).toContain("results")
}, 30_000)
