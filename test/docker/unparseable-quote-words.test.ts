/**
 * qa277: output no parser reads is quoted in OUTPUT_UNPARSEABLE (its first 200 bytes) with the
 * values of secret-named keys masked; a value that holds no secret — `"secrets": "none"`,
 * `token: true`, an empty `api_key`, a number of up to 5 digits — stays, as `redactString` keeps it
 * everywhere else (before, each was `[REDACTED]`, blanking the words that tell what the output is).
 * A real value under such a key is still masked. Fake `docker` (the Toolkit's CLI).
 */
import { expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

test("OUTPUT_UNPARSEABLE quotes keep `none`, `true`, empty and short-number values of secret-named keys; a real value is masked", async () => {
  const f = fake({ version: "v0.43.3" })
  const secret = "s3cr3t-Value-9x"
  f.setOutput("tools ls", { stdout: `tools (v3): {"secrets":"none","token":"true","api_key":"","pin":"1234","password":"${secret}"} oauth=false\n` })
  const err = await toolkitFailure(createToolkitDriver({ env: f.env }).toolsList())
  expect(err.code).toBe("OUTPUT_UNPARSEABLE")
  const quoted = JSON.stringify({ message: err.message, details: err.details })
  for (const kept of ['\\"secrets\\":\\"none\\"', '\\"token\\":\\"true\\"', '\\"api_key\\":\\"\\"', '\\"pin\\":\\"1234\\"']) expect(quoted).toContain(kept)
  expect(quoted).toContain('\\"password\\":\\"[REDACTED]\\"')
  expect(quoted).not.toContain(secret)
})
