/**
 * @module test/docker/parse-command.test
 * `mcp-orchestrator parse <kind> [FILE]` through the real entry point (`bun src/main.ts`): stdin
 * and file input, JSON and YAML, exit codes 0/1/2, --era/--version, and the output shapes.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { REPO } from "./fake.ts"

const FIX = join(REPO, "test", "fixtures", "toolkit")

async function cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, join(REPO, "src", "main.ts"), "parse", ...args], {
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    cwd: REPO,
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

describe("mcp-orchestrator parse", () => {
  test("servers from stdin (profiles-era form) lists every profile's servers", async () => {
    const r = await cli(["servers"], await Bun.file(join(FIX, "servers.profiles.v0.43.json")).text())
    expect(r.code).toBe(0)
    const v = JSON.parse(r.out) as Array<{ name: string; profile: string }>
    expect(v.map((s) => [s.name, s.profile])).toEqual([["duckduckgo", "dev"], ["gitmcp", "dev"], ["time", "ops"]])
  })

  test("catalog from a YAML file prints {servers: [{name…}]}", async () => {
    const r = await cli(["catalog", join(FIX, "catalog.legacy-handwritten.yaml")])
    expect(r.code).toBe(0)
    expect((JSON.parse(r.out) as { servers: Array<{ name: string }> }).servers.map((s) => s.name)).toEqual(["my-mcp", "gitmcpmoby"])
  })

  test("tools prints [{name, description, inputSchema}]", async () => {
    const r = await cli(["tools", join(FIX, "tools.mcp-go.v0.13.json")])
    expect(JSON.parse(r.out)).toEqual([
      expect.objectContaining({ name: "fetch", description: "Fetches a URL", inputSchema: expect.objectContaining({ type: "object", required: ["url"] }) }),
    ])
  })

  test("a tool of a shape it does not know is left out and said on stderr; exit 0 with the others", async () => {
    const r = await cli(["tools"], JSON.stringify([{ name: "fetch", inputSchema: { type: "object" } }, { description: "no name", inputSchema: {} }]))
    expect(r.code).toBe(0)
    expect((JSON.parse(r.out) as Array<{ name: string }>).map((t) => t.name)).toEqual(["fetch"])
    expect(r.err).toContain("1 entry of a shape the driver does not know left out: tool 1: name")
  })

  test("config gives {server: {key: value}} for both eras; --era picks the variant", async () => {
    const legacy = await cli(["config", join(FIX, "config.legacy.yaml")])
    expect(JSON.parse(legacy.out).filesystem).toEqual({ paths: ["/Users/me"] })
    const profiles = await cli(["config", "--era", "profiles", join(FIX, "config.profiles.v0.43.json")])
    expect(JSON.parse(profiles.out).filesystem).toEqual({ paths: ["/Users/me"] })
    // the same flat map forced into the legacy shape is an error, not a wrong answer
    const forced = await cli(["config", "--era", "legacy", "--version=v0.27.0", join(FIX, "config.profiles.v0.43.json")])
    expect(forced.code).toBe(1)
    expect(forced.err).toContain("v0.27.0")
  })

  test("empty input is no empty list: exit 1 saying so (as the driver's OUTPUT_EMPTY), except config", async () => {
    for (const kind of ["servers", "catalog", "tools", "secrets"]) {
      const r = await cli([kind], "  \n")
      expect(r.code).toBe(1)
      expect(r.out).toBe("")
      expect(r.err).toContain("is empty")
      expect(r.err).toContain("OUTPUT_EMPTY")
    }
    // the legacy `config read` prints nothing for an empty config
    expect((await cli(["config"], "")).code).toBe(0)
  })

  test("YAML input works for a JSON-born kind (profile)", async () => {
    const r = await cli(["profile", join(FIX, "profile.v0.43.yaml")])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ id: "dev", servers: [{ name: "gitmcp", catalogRef: "mcp/docker-mcp-catalog:latest" }] })
  })

  test("unparseable input: exit 1, error with the first bytes and the plugin hint on stderr, nothing on stdout", async () => {
    const r = await cli(["servers"], "Tip: something new <html>")
    expect(r.code).toBe(1)
    expect(r.out).toBe("")
    expect(r.err).toContain("Tip: something new <html>")
    expect(r.err).toContain("parser plugin")
  })

  test("usage errors exit 2; a missing file exits 1", async () => {
    expect((await cli(["nope"], "[]")).code).toBe(2)
    expect((await cli(["servers", "--era", "modern"], "[]")).code).toBe(2)
    const missing = await cli(["servers", join(FIX, "does-not-exist.json")])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain("cannot read")
    expect(missing.err).toContain("no such file; name a file holding captured `docker mcp` output, or pipe it in (parse servers - < out.json)")
  })
})
