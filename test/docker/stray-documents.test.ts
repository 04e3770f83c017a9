/**
 * @module test/docker/stray-documents.test
 * Output around the JSON a command prints that is not log lines: a second JSON document (two lists,
 * one per line, or two pretty-printed documents), megabytes of text after it, or nothing but colour
 * codes. Expected: lists one per line are read together; two documents where one is printed are an
 * OUTPUT_UNPARSEABLE naming the command and version (never the first taken silently); a large tail
 * is said left out (the partial note); colour codes alone are no output (OUTPUT_EMPTY, not an empty
 * list).
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver, partialOf } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const secret = (name: string) => ({ name, provider: "docker-pass" })

describe("what surrounds the document", () => {
  test("a list per line (two JSON arrays): every entry, not the first line's", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: `${JSON.stringify([secret("github.token")])}\n${JSON.stringify([secret("slack.token")])}\n` })
    expect((await createToolkitDriver({ env: f.env }).secretsList()).map((s) => s.name)).toEqual(["github.token", "slack.token"])
  })

  test("two pretty-printed documents where one is printed: OUTPUT_UNPARSEABLE naming the command and the CLI", async () => {
    const f = fake({ version: "v0.24.0" })
    const doc = (n: string) => JSON.stringify({ type: "server", name: n, description: n }, null, 2)
    f.setOutput("server inspect", { stdout: `${JSON.stringify({ tools: [], readme: "# a" }, null, 2)}\n${doc("b")}\n` })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serverInspect("duckduckgo"))
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("docker mcp server inspect")
    expect(err.message).toContain("v0.24.0")
    expect(err.message).toContain("another JSON document")
  })

  test("megabytes of text after the tools: the tools read, the tail said left out", async () => {
    const f = fake({ version: "v0.43.3" })
    const tools = [{ name: "search", description: "Search", inputSchema: { type: "object" } }]
    f.setOutput("tools ls", { stdout: `${JSON.stringify(tools, null, 2)}\n${"progress ".repeat(300_000)}\n` })
    const listed = await createToolkitDriver({ env: f.env }).toolsList()
    expect(listed.map((t) => t.name)).toEqual(["search"])
    expect(JSON.stringify(partialOf(listed)?.entries)).toContain("around the JSON document")
  })

  for (const version of ["v0.24.0", "v0.43.3"]) {
    test(`${version}: colour codes alone are no output (OUTPUT_EMPTY), not an empty list`, async () => {
      const f = fake({ version })
      f.setOutput(version === "v0.24.0" ? "server ls" : "profile server ls", { stdout: "\u001b[0m\u001b[32m\u001b[0m\r\n" })
      const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
      expect(err.code).toBe("OUTPUT_EMPTY")
      expect(err.message).toContain("printed no output")
      expect(err.message).toContain(version)
    })
  }
})
