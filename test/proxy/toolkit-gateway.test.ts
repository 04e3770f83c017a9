/**
 * The Toolkit path on the pool side: the driver's gateway launch spec (fake `docker`, whose
 * `mcp gateway run` starts server-everything on stdio) added as a dynamic source: tools appear as
 * `docker__<tool>`, calls work, removal closes the session and the gateway's whole process group.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { createProxy, type ListKind } from "../../src/proxy/index.ts"
import { makeFakeDocker } from "../docker/fake.ts"
import { alive, config, ctx, groupMembers, until } from "./helpers.ts"

const fake = makeFakeDocker({ version: "v0.43.3" })
afterAll(() => fake.cleanup())

describe("Toolkit gateway as a pool source", () => {
  for (const version of ["v0.43.3", "v0.25.0"]) {
    test(`gateway run (${version}) → docker__ tools → call → remove: session and process group gone`, async () => {
      const f = version === "v0.43.3" ? fake : makeFakeDocker({ version })
      const driver = createToolkitDriver({ env: f.env, log: silentLogger })
      const spec = await driver.gatewayLaunchSpec()
      expect(spec.args.slice(0, 3)).toEqual(["mcp", "gateway", "run"])
      await using proxy = createProxy({ config: config({}), log: silentLogger, closeGraceMs: 500 })
      const events: ListKind[] = []
      proxy.onListChanged((k) => events.push(k))
      proxy.addServer({ name: "docker", source: "toolkit", spec: { ...spec, args: [...spec.args] } })
      expect(await until(() => events.includes("tools"), 15_000)).toBe(true)
      const names = (await proxy.listTools()).map((t) => t.name)
      expect(names).toContain("docker__echo")
      expect(await proxy.callTool("docker__echo", { message: "through the gateway" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: through the gateway" }] })
      const pid = proxy.pool.get("docker")!.pid!
      const group = groupMembers(pid)
      expect(group.length).toBeGreaterThanOrEqual(2) // fake docker + the server it started
      await proxy.removeServer("docker")
      expect(await until(() => group.every((p) => !alive(p)), 15_000)).toBe(true)
      expect((await proxy.listTools()).length).toBe(0)
      if (f !== fake) f.cleanup()
    }, 30_000)
  }
})
