/**
 * @module test/plugins/new-toolkit-format.test
 * The scenario parser plugins exist for: a new Toolkit release prints `server ls` in a shape no
 * built-in parser knows. Without a plugin the model-facing `servers_list` fails naming the command,
 * the Toolkit version and the remedy (a parser plugin); a parser plugin written as docs/plugins.md
 * says fixes it end to end, through the compiled binary and a real SDK Client.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "../docker/fake.ts"

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content: Array<{ type: string; text?: string }> }
const text = (r: Result): string => r.content.map((c) => c.text ?? "").join("\n")

/** A Kubernetes-style list: the entries' names moved under `metadata`, states under `status`. */
const NEW_SHAPE = JSON.stringify({
  apiVersion: "mcp.docker.com/v2",
  kind: "ServerList",
  items: [
    { metadata: { name: "duckduckgo" }, status: { secrets: "none" } },
    { metadata: { name: "github-official" }, status: { secrets: "required" } },
  ],
})

/** Written by following docs/plugins.md, *`parsers`*: return the normalized list, or undefined for text it does not know. */
const PLUGIN = `export default {
  name: "servers-v2",
  parsers: {
    servers(text, ctx) {
      let doc
      try { doc = JSON.parse(text) } catch { return undefined }
      if (!doc || doc.kind !== "ServerList") return undefined
      return doc.items.map((i) => ({ name: i.metadata.name, secrets: i.status.secrets }))
    },
  },
}
`

const fakes: FakeDocker[] = []
const conns: Connected[] = []
afterAll(async () => {
  for (const c of conns) await c.close()
  for (const f of fakes) f.cleanup()
})

async function serve(plugin: string | undefined): Promise<Connected> {
  await ensureBuilt()
  const fake = makeFakeDocker({ version: "v0.27.0" })
  fakes.push(fake)
  fake.setOutput("server ls", { stdout: NEW_SHAPE })
  const dir = join(fake.dir, "plugins")
  mkdirSync(dir)
  if (plugin !== undefined) writeFileSync(join(dir, "servers-v2.js"), plugin)
  const c = await connectBinary(["serve", "--plugins", dir], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
  conns.push(c)
  return c
}

describe("a Toolkit release with a server ls shape no parser knows", () => {
  test("without a plugin: servers_list says the command, the version and to write a parser plugin", async () => {
    const c = await serve(undefined)
    const r = (await c.client.callTool({ name: "servers_list", arguments: {} })) as Result
    expect(r.isError).toBe(true)
    const t = text(r)
    expect(t).toContain("docker mcp server ls")
    expect(t).toContain("v0.27.0")
    // the remedy is the steps, for this kind: the export to write and the command to try it with
    expect(t).toContain("parsers: { servers(text, ctx)")
    expect(t).toContain("`docker mcp server ls --json > out.txt`")
    expect(t).toContain("mcp-orchestrator plugins test FILE --hook parse --kind servers --input-file out.txt")
  }, 120_000)

  test("with a parser plugin written per the guide: servers_list answers", async () => {
    const c = await serve(PLUGIN)
    const r = (await c.client.callTool({ name: "servers_list", arguments: {} })) as Result
    expect(r.isError).toBeFalsy()
    expect(r.structuredContent?.servers).toEqual([
      { name: "duckduckgo", secrets: "none" },
      { name: "github-official", secrets: "required" },
    ])
  }, 120_000)

  test("a parser of the wrong shape: servers_list names the file and line of the parser and the keys the entry has", async () => {
    // the common slip: the new format's key kept as it is (`Name`), not the normalized `name`
    const c = await serve(PLUGIN.replace("({ name: i.metadata.name,", "({ Name: i.metadata.name,"))
    const r = (await c.client.callTool({ name: "servers_list", arguments: {} })) as Result
    expect(r.isError).toBe(true)
    const t = text(r)
    expect(t).toMatch(/Parser override for "servers" from plugin "servers-v2" \(\S*servers-v2\.js:4\) \(reading the output of `docker mcp server ls --json`\) returned an invalid servers value: 0\.name: .*received undefined \(the entry has: "Name", "secrets"\)/)
    expect(t).toContain("--hook parse --kind servers --input-file out.txt")
  }, 120_000)

  test("a parser that throws: servers_list names the file:line of the throw and the command to rerun it with", async () => {
    const c = await serve(PLUGIN.replace("return doc.items.map(", 'throw new Error("cannot read " + doc.kind); return doc.items.map('))
    const r = (await c.client.callTool({ name: "servers_list", arguments: {} })) as Result
    expect(r.isError).toBe(true)
    const t = text(r)
    // where it threw, what it was reading, and how to save that output and rerun the parser on it
    expect(t).toMatch(/from plugin "servers-v2" \(\S*servers-v2\.js:4\) \(reading the output of `docker mcp server ls --json`\) threw: .*servers-v2\.js:8:\d+\) failed in hook parse: Error: cannot read ServerList/)
    expect(t).toContain("save the output (`docker mcp server ls --json > out.txt`) and try it on the saved output with `mcp-orchestrator plugins test FILE --hook parse --kind servers --input-file out.txt`")
  }, 120_000)

  test("a parser that does not recognise the output (returns undefined): the error says so, not to write a parser plugin", async () => {
    // the common slip: the format check misses the real output (here it expects `kind: "Servers"`)
    const c = await serve(PLUGIN.replace('doc.kind !== "ServerList"', 'doc.kind !== "Servers"'))
    const r = (await c.client.callTool({ name: "servers_list", arguments: {} })) as Result
    expect(r.isError).toBe(true)
    const t = text(r)
    expect(t).toContain("Cannot parse the output of `docker mcp server ls --json`")
    expect(t).toMatch(/the parser override of plugin "servers-v2" \(\S*servers-v2\.js:4\) returned undefined for it: not its format/)
    expect(t).toContain('Remedy: Make the parser of plugin "servers-v2"')
    expect(t).toContain("--hook parse --kind servers --input-file out.txt")
    expect(t).not.toContain("Write a .js file in your plugins directory")
  }, 120_000)

  test("the remedy's steps, followed: the captured output through `plugins test` reads", async () => {
    await ensureBuilt()
    const fake = makeFakeDocker({ version: "v0.27.0" })
    fakes.push(fake)
    fake.setOutput("server ls", { stdout: NEW_SHAPE })
    const out = join(fake.dir, "out.txt")
    writeFileSync(out, Bun.spawnSync(["docker", "mcp", "server", "ls", "--json"], { env: fake.env }).stdout)
    const file = join(fake.dir, "servers-v2.js")
    writeFileSync(file, PLUGIN)
    const p = Bun.spawnSync([BIN, "plugins", "test", file, "--hook", "parse", "--kind", "servers", "--input-file", out], { env: sandboxEnv({}) })
    expect({ exit: p.exitCode, stderr: p.stderr.toString() }).toEqual({ exit: 0, stderr: "" })
    expect(JSON.parse(p.stdout.toString())).toEqual([
      { name: "duckduckgo", secrets: "none" },
      { name: "github-official", secrets: "required" },
    ])
  }, 120_000)
})
