/**
 * @module test/docker/gateway.test
 * The gateway launch spec is runnable: the fake docker answers `docker mcp gateway run …` by
 * running a real MCP server (server-everything) on stdio; an SDK client lists its tools. In the
 * legacy era the profiles-only `--profile` flag is refused with exit 125, as the real CLI does.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

describe("gateway through the fake docker", () => {
  for (const version of ["v0.43.3", "v0.27.0"]) {
    test(`${version}: launch spec starts an MCP server over stdio`, async () => {
      const fake = makeFakeDocker({ version })
      fakes.push(fake)
      const spec = await createToolkitDriver({ env: fake.env }).gatewayLaunchSpec()
      const transport = new StdioClientTransport({ command: spec.command, args: spec.args, env: spec.env, stderr: "ignore" })
      const client = new Client({ name: "gateway-test", version: "1.0.0" })
      await client.connect(transport)
      try {
        const { tools } = await client.listTools()
        expect(tools.map((t) => t.name)).toContain("echo")
        const r = await client.callTool({ name: "echo", arguments: { message: "hi" } })
        expect(JSON.stringify(r.content)).toContain("hi")
      } finally {
        await client.close()
      }
      expect(fake.argvLog().at(-1)).toEqual(spec.args)
    }, 30_000)
  }

  test("legacy era refuses --profile with exit 125 (usage error)", async () => {
    const fake = makeFakeDocker({ version: "v0.27.0" })
    fakes.push(fake)
    const p = Bun.spawn([`${fake.dir}/bin/docker`, "mcp", "gateway", "run", "--profile", "default"], { env: fake.env, stdout: "pipe", stderr: "pipe" })
    const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
    expect(code).toBe(125)
    expect(err).toStartWith("unknown flag: --profile\n\nUsage:  docker mcp gateway run [flags]")
  })
})
