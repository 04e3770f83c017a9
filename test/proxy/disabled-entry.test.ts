/**
 * A call of a tool of a server whose config entry is `disabled: true` is refused with
 * SERVER_DISABLED naming the entry's own key: `mcpServers.x` when that is where it is written
 * (Cursor's mcp.json shape), not a `servers.x` the user's file does not have.
 */
import { expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ctx, everythingStdio } from "./helpers.ts"

test.each([
  ["mcpServers", "mcpServers.mem"],
  ["servers", "servers.mem"],
])("an entry disabled under %s is named by its own key, in the message and the remedy", async (where, key) => {
  const cfg = config({ [where]: { mem: { ...everythingStdio, disabled: true } } })
  await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
  const err = (await proxy.callTool("mem__echo", { message: "x" }, ctx()).catch((e: unknown) => e)) as { code: string; message: string; remedy?: string }
  expect(err.code).toBe("SERVER_DISABLED")
  expect(err.message).toBe(`Server mem is disabled (${key}.disabled: true), so mem__echo cannot be called`)
  expect(err.remedy).toStartWith(`Set ${key}.disabled to false`)
})
