/**
 * toolkit.profile naming a profile that does not exist (a typo, a profile not created yet): the
 * servers list says so (UNKNOWN_PROFILE naming the profiles there are and how to create it), as
 * config_get and server_enable do. Before, `profile server ls --filter profile=ID` listing nothing
 * read "No server is enabled." The implicit `default` profile not created yet stays an empty list
 * (nothing enabled), and an existing empty profile too. toolkit_tools_list likewise (qa332: it listed
 * only the gateway's own `mcp-find`). Real driver and tools, the fake docker.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
const text = (r: { content?: Array<{ text?: string }>; text?: string }) => String((r as { text?: string }).text ?? r.content?.[0]?.text ?? "")

describe("servers_list of a configured profile that does not exist", () => {
  for (const o of [{ version: "v0.43.3" }, { version: "v0.35.0", profiles: true }]) {
    test(`${o.version}: UNKNOWN_PROFILE naming the profiles there are; default and an existing empty profile list nothing`, async () => {
      const f = fake(o)
      await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
      const r = await call(toolkitTools(createToolkitDriver({ env: f.env, profile: "dev" })), "servers_list", {})
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("[UNKNOWN_PROFILE] Profile dev (toolkit.profile) does not exist")
      expect(text(r)).toContain("lists default")
      expect(text(r)).toContain("docker mcp profile create --name dev --id dev")
      // created (empty): an empty list, no error
      f.writeState({ profiles: { ...(f.state().profiles as object), dev: { id: "dev", name: "dev", servers: [] } } })
      const empty = await call(toolkitTools(createToolkitDriver({ env: f.env, profile: "dev" })), "servers_list", {})
      expect([empty.isError ?? false, text(empty)]).toEqual([false, "No server is enabled."])
      // the implicit default profile not created yet: nothing enabled
      const g = fake(o)
      const none = await call(toolkitTools(createToolkitDriver({ env: g.env })), "servers_list", {})
      expect([none.isError ?? false, text(none)]).toEqual([false, "No server is enabled."])
    }, 60_000)

    test(`${o.version}: toolkit_tools_list says the profile does not exist (it listed only the gateway's mcp-find); an existing empty profile lists no error`, async () => {
      const f = fake(o)
      await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
      const r = await call(toolkitTools(createToolkitDriver({ env: f.env, profile: "dev" })), "toolkit_tools_list", {})
      expect(r.isError, text(r)).toBe(true)
      expect(text(r)).toContain("[UNKNOWN_PROFILE] Profile dev (toolkit.profile) does not exist")
      expect(text(r)).toContain("lists default")
      f.writeState({ profiles: { ...(f.state().profiles as object), dev: { id: "dev", name: "dev", servers: [] } } })
      const empty = await call(toolkitTools(createToolkitDriver({ env: f.env, profile: "dev" })), "toolkit_tools_list", {})
      expect(empty.isError ?? false, text(empty)).toBe(false)
    }, 60_000)
  }
})
