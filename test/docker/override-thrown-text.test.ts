/**
 * @module test/docker/override-thrown-text.test
 * A parser override that throws an error quoting the output it could not read (configuration with
 * a password, a megabyte of catalog): the PARSER_OVERRIDE_INVALID error names the kind, the owner
 * and the command's CLI, and quotes what was thrown as Toolkit text is quoted: masked, one line,
 * bounded. The next operation without the override reads the output as ever.
 */
import { describe, expect, test } from "bun:test"
import { ParserRegistry, createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("what a parser override threw", () => {
  test("is masked, on one line and bounded; the built-in parser works again once it is removed", async () => {
    const f = fake({ version: "v0.43.3" })
    const parsers = new ParserRegistry()
    parsers.setOverride("servers", (text) => {
      throw new Error(`cannot read:\n  db.password: hunter2-plain\n${text}${"x".repeat(1_000_000)}`)
    }, 'plugin "my-parser" (my-parser.js)')
    const d = createToolkitDriver({ env: f.env, parsers })
    const err = await toolkitFailure(d.serversList())
    expect(err.code).toBe("PARSER_OVERRIDE_INVALID")
    expect(err.message).toContain('plugin "my-parser"')
    expect(err.message).toContain("cannot read:")
    expect(err.message).toContain("Toolkit v0.43.3")
    expect(err.message).not.toContain("hunter2-plain")
    expect(err.message).not.toContain("\n")
    expect(err.message.length).toBeLessThan(1000)
    parsers.clearOverride("servers")
    expect(await d.serversList()).toEqual([])
  })
})
