/**
 * @module test/docker/profile-servers-field.test
 * Profiles era: `profile server ls` / `profile show` print workingset.WorkingSet, whose `servers`
 * is always there (`[]` when empty, never omitted: docs/toolkit.md corrections). A CLI that renames
 * or moves it printed profiles the driver read as having no servers, and servers_list answered that
 * no server was enabled (found by qa355's probes beside sample-mutations.property.test). Now a
 * profile without the field is an OUTPUT_UNPARSEABLE error naming the command and version (one
 * among others is left out and noted), never an empty list.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
const SERVER = { type: "image", image: "mcp/time@sha256:" + "c".repeat(64), tools: null, snapshot: { server: { name: "time", type: "server" } } }

describe("a profile printed without its servers field is not a profile without servers", () => {
  test("v0.43.3 `profile server ls`: an error naming the command and version; servers_list says it cannot read, not \"none\"", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: `${JSON.stringify([{ id: "default", name: "Default", serverList: [SERVER] }], null, 2)}\n` })
    const d = createToolkitDriver({ env: f.env })
    const err = await toolkitFailure(d.serversList())
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("docker mcp profile server ls")
    expect(err.message).toContain("v0.43.3")
    expect(err.message).toContain("no `servers` field")
    const r = await call(toolkitTools(d), "servers_list", {})
    expect(r.isError).toBe(true)
    expect(r.text).not.toMatch(/no server is enabled/i)
  }, 60_000)

  test("v0.43.3: of two profiles, the one without the field is left out; the other's servers are read", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: `${JSON.stringify([{ id: "default", servers: [SERVER] }, { id: "other", serverList: [] }])}\n` })
    const names = (await createToolkitDriver({ env: f.env }).serversList()).map((s) => s.name)
    expect(names).toEqual(["time"])
  }, 60_000)

  test("v0.43.3 `profile show`: an error, not an empty profile", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile show", { stdout: `${JSON.stringify({ version: 1, id: "default", name: "Default", entries: [SERVER] }, null, 2)}\n` })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).profileShow("default"))
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("docker mcp profile show")
    expect(err.message).toContain("no `servers` field")
  }, 60_000)

  test("an empty profile (servers: []) is still empty", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: `${JSON.stringify([{ id: "default", servers: [] }])}\n` })
    expect(await createToolkitDriver({ env: f.env }).serversList()).toEqual([])
  }, 60_000)
})
