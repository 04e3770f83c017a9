/**
 * @module test/docker/binary-consent.test
 * The confirmation a Toolkit change asks for (elicitation, app/confirm) through the compiled binary,
 * with a real SDK client declaring `elicitation` and the fake docker on PATH. What the user (or the
 * client) answered reaches the model worded apart: declined, dismissed without deciding (cancel),
 * or not asked at all (the client's handler threw, or it has none: "Method not found"). None of
 * them changes anything; an accepted one does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { ElicitRequestSchema, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }> }
const text = (r: Result): string => r.content.map((c) => c.text ?? "").join("\n")

type Answer = "accept" | "decline" | "cancel" | "throw" | "no-handler"

describe("confirmation of a Toolkit change through the binary", () => {
  let fake: FakeDocker
  let c: Connected
  let answer: Answer = "decline"
  let asked = 0
  let message = ""
  beforeAll(async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }), { elicitation: {} })
    c.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked++
      message = req.params.message
      if (answer === "throw") throw new Error("UI crashed")
      // a client that declares elicitation but does not implement it
      if (answer === "no-handler") throw new McpError(ErrorCode.MethodNotFound, "Method not found")
      return { action: answer, ...(answer === "accept" ? { content: {} } : {}) }
    })
  }, 120_000)
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  const enable = async (a: Answer): Promise<Result> => {
    answer = a
    const before = asked
    const r = (await c.client.callTool({ name: "server_enable", arguments: { name: "duckduckgo" } })) as Result
    expect(asked).toBe(before + 1)
    expect(message).toBe("Allow this change? Enable server duckduckgo")
    return r
  }
  const enabled = (): boolean => fake.argvLog().some((a) => a.includes("add") || a.includes("enable"))

  test("declined: the user refused", async () => {
    const r = await enable("decline")
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("Enable server duckduckgo: declined by the user. Nothing was changed.")
    expect(enabled()).toBe(false)
  })

  test("cancelled: the user dismissed the question without deciding; the model may ask again", async () => {
    const r = await enable("cancel")
    expect(r.isError).toBe(true)
    expect(text(r)).toBe("Enable server duckduckgo: the user dismissed the confirmation without deciding. Nothing was changed; ask again if the change is still wanted.")
    expect(enabled()).toBe(false)
  })

  test("the client's handler threw: the question was never answered, and the model is told why", async () => {
    const r = await enable("throw")
    expect(r.isError).toBe(true)
    expect(text(r)).toMatch(/^Enable server duckduckgo: could not ask the user to confirm: .*UI crashed.*; nothing was changed\.$/)
    expect(text(r)).not.toContain("declined")
    expect(enabled()).toBe(false)
  })

  test("the client declared elicitation without implementing it (Method not found): not a refusal either", async () => {
    const r = await enable("no-handler")
    expect(r.isError).toBe(true)
    expect(text(r)).toMatch(/^Enable server duckduckgo: could not ask the user to confirm: .*Method not found.*; nothing was changed\.$/)
    expect(enabled()).toBe(false)
    expect(c.stderr()).toContain("could not ask the user to confirm; change not made")
  })

  test("accepted: the change is made", async () => {
    const r = await enable("accept")
    expect(r.isError).toBeFalsy()
    expect(enabled()).toBe(true)
  })

  // the model chooses the value: the user must see it (and what it replaces) to approve it
  test("config_set: the question names the value and the current one", async () => {
    answer = "accept"
    const set = async (value: unknown): Promise<string> => {
      const r = (await c.client.callTool({ name: "config_set", arguments: { server: "duckduckgo", key: "paths", value } })) as Result
      expect(r.isError).toBeFalsy()
      return message
    }
    expect(await set(["/home/me/src"])).toBe('Allow this change? Set duckduckgo.paths to ["/home/me/src"] (currently not set)')
    expect(await set(["/"])).toBe('Allow this change? Set duckduckgo.paths to ["/"] (currently ["/home/me/src"])')
    answer = "decline"
    const r = (await c.client.callTool({ name: "config_set", arguments: { server: "duckduckgo", key: "api_key", value: "mykey-0001" } })) as Result
    expect(message).toBe("Allow this change? Set duckduckgo.api_key to [REDACTED] (secret-looking key: not shown) (currently not set)")
    expect(text(r)).not.toContain("mykey-0001")
    expect(c.stderr()).not.toContain("mykey-0001")
  })
})
