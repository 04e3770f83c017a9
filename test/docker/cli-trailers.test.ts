/**
 * @module test/docker/cli-trailers.test
 * The Docker CLI's `What's next:` hint block after a command's output (coloured, or with CRLF line
 * ends), and notice lines (`Tip: …`, update notices) around it, are not data: every command's
 * output is read without them (one function, `cliText`). A legacy `config read` followed by the
 * block showed a server named "What's next" in config_get, and config_set wrote the block back
 * into config.yaml.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { cliText } from "../../src/docker/parsers/common.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

const USER_CONFIG = "# mine\nfilesystem:\n  paths:\n    - /home/me/src\ninfo:\n  level: debug\n"

describe("What's next: hint block after the output", () => {
  for (const mode of ["whats-next", "whats-next-crlf"]) {
    test(`legacy era (${mode}): config_get shows no "What's next" server, config_set does not write the block back`, async () => {
      const f = fake({ version: "v0.20.0", fail: mode })
      f.writeState({ configYaml: USER_CONFIG, secrets: [{ name: "github.personal_access_token", provider: "docker-pass" }] })
      const d = createToolkitDriver({ env: f.env })
      expect(await d.configGet()).toEqual({ filesystem: { paths: ["/home/me/src"] }, info: { level: "debug" } })
      await d.configSet("filesystem", "depth", 3)
      const written = f.state().configYaml
      expect(written).not.toContain("next")
      expect(written).not.toContain("docker debug")
      expect(written).toContain("# mine")
      expect(await d.configGet()).toEqual({ filesystem: { paths: ["/home/me/src"], depth: 3 }, info: { level: "debug" } })
      // the other commands' output (JSON) is read too, the version included
      await d.serverEnable("duckduckgo")
      expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
      expect((await d.secretsList()).map((s) => s.name)).toEqual(["github.personal_access_token"])
      expect((await d.status()).version).toBe("v0.20.0")
      expect((await d.catalogShow()).servers.length).toBeGreaterThan(1)
    }, 60_000)
  }

  // the shapes YAML does not read as one text pair (isNoticePair): the header alone (a null value:
  // a server), a list of hints (a list value), a hint holding `: ` (a YAML error: nothing read)
  for (const [what, block] of [
    ["the header alone", "\nWhat's next:\n"],
    ["a list of hints", "\nWhat's next:\n  - View a summary of image vulnerabilities \u2192 docker scout quickview\n  - Learn more \u2192 https://docs.docker.com/go/debug-cli/\n"],
    ["a hint holding a colon", "\nWhat's next:\n    Learn more: https://docs.docker.com/go/debug-cli/\n"],
  ] as const) {
    test(`legacy config read followed by ${what}: only the user's servers`, async () => {
      const f = fake({ version: "v0.20.0" })
      f.setOutput("config read", { stdout: `${USER_CONFIG}${block}` })
      const d = createToolkitDriver({ env: f.env })
      expect(await d.configGet()).toEqual({ filesystem: { paths: ["/home/me/src"] }, info: { level: "debug" } })
    }, 30_000)
  }

  test("profiles era: the probe, lists, profile and config read through the block", async () => {
    const f = fake({ version: "v0.35.0", profiles: true, fail: "whats-next" })
    const d = createToolkitDriver({ env: f.env })
    expect((await d.status()).era).toBe("profiles")
    await d.serverEnable("filesystem")
    await d.configSet("filesystem", "paths", ["/srv"])
    expect(await d.configGet("filesystem")).toEqual({ filesystem: { paths: ["/srv"] } })
    expect((await d.profileShow()).servers.map((s) => s.name)).toEqual(["filesystem"])
    expect((await d.profilesList()).map((p) => p.id)).toEqual(["default"])
  }, 60_000)
})

describe("cliText", () => {
  test("keeps data that only looks like a notice; drops notice sentences and the trailing block only", () => {
    const yaml = "info:\n  level: debug\ntip: one\nnotes:\n  a: b\n"
    expect(cliText(yaml)).toBe(yaml)
    expect(cliText("Tip: run docker mcp catalog update to refresh\na:\n  b: 1\n")).toBe("a:\n  b: 1\n")
    expect(cliText("\uFEFF[1]\r\nA new version of docker-mcp is available: v0.44.0\r\n")).toBe("[1]\r\n")
    // a block in the middle (more data after it at column 0) is not a trailer
    expect(cliText("What's next:\n    x\nserver:\n  k: v\n")).toBe("What's next:\n    x\nserver:\n  k: v\n")
    expect(cliText("a: {}\n\nWhat\u2019s next?\n  - docker scout quickview\n")).toBe("a: {}\n")
    // nothing but notices: kept, for the parser to refuse and quote (never read as an empty list)
    expect(cliText("Tip: something new <html>\n")).toBe("Tip: something new <html>\n")
  })
})
