/**
 * @module test/docker/secret-output-unquoted.test
 * `docker mcp secret ls` printing what no parser reads, or failing with its output on stdout, where
 * that output holds secret values under names no mask knows (`api=hunter2…`, a `value` field).
 * Expected: the error names the command, the CLI version and what to do, and quotes none of it: not
 * in the message, the remedy or the details (the model reads them through secrets_list).
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const VALUES = ["hunter2xyz", "pa55word99"]

function expectNoValue(err: { message: string; remedy?: string; details?: unknown }): void {
  const all = `${err.message}\n${err.remedy ?? ""}\n${JSON.stringify(err.details)}`
  for (const v of VALUES) expect(all).not.toContain(v)
}

describe("secret ls output is never quoted", () => {
  for (const version of ["v0.24.0", "v0.43.3"]) {
    for (const stdout of ["api=hunter2xyz\nother=pa55word99\n", '[{"name": 5, "value": "hunter2xyz"}, {"name": 6, "value": "pa55word99"}]\n']) {
      test(`${version}: unreadable (${stdout.slice(0, 12)}…): OUTPUT_UNPARSEABLE naming the command, no value`, async () => {
        const f = fake({ version })
        f.setOutput("secret ls", { stdout })
        const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
        expect(err.code).toBe("OUTPUT_UNPARSEABLE")
        expect(err.message).toContain("docker mcp secret ls")
        expect(err.message).toContain(version)
        expect(err.message).toContain("not quoted")
        expectNoValue(err)
      })
    }
  }

  test("a failure with nothing on stderr and the values on stdout: COMMAND_FAILED without them", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: "api=hunter2xyz\n", exit: 1 })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain("docker mcp secret ls")
    expectNoValue(err)
  })
})
