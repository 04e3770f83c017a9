/**
 * Regression (QA): a client's resource subscription was silently lost when a config reload
 * restarted its server (its env or args edited) or renamed it: the proxy forgot the subscription
 * with the old session, so the new process was never asked for it and the client, still
 * subscribed as far as it knew, got no update again. A crash's restart already subscribed again.
 * Now a reload's restart, and a rename, carry the subscriptions over: the new process is sent
 * `resources/subscribe` once it is up, and its updates reach the client. The compiled binary, the
 * SDK Client, server-everything (its toggle-subscriber-updates tool sends an update for each
 * subscribed URI at once).
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const config = (name: string, mode: string) =>
  ["toolkit: { enabled: \"off\" }", "reload: { settle: 0 }", "servers:", `  ${name}: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(EVERYTHING)}, stdio], env: { MODE: ${mode} } }`, ""].join("\n")

test("a subscription survives its server's restart by a reload (env edited) and its rename: the new process's updates reach the client", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, config("every", "a"))
  const c = await connectBinary(["serve", "--config", cfg], env)
  const updates: string[] = []
  c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri))
  try {
    const uri = (await c.client.listResources()).resources[0]!.uri
    await c.client.subscribeResource({ uri })
    // each round: the server named `name` sends its updates; one must reach the client
    const updatesFrom = async (name: string, when: string) => {
      updates.length = 0
      await c.client.callTool({ name: `${name}__toggle-subscriber-updates`, arguments: {} })
      await waitFor(`an update of ${uri} from ${name} ${when}`, () => updates.includes(uri) || undefined, 20_000)
    }
    await updatesFrom("every", "before the reloads")
    writeFileSync(cfg, config("every", "b"))
    await waitFor("the restart under the new env", () => c.stderr().includes('"changed":["every (env)"]') || undefined, 30_000)
    await updatesFrom("every", "restarted")
    writeFileSync(cfg, config("ev2", "b"))
    await waitFor("the rename", () => c.stderr().includes('"renamed":{"every":"ev2"}') || undefined, 30_000)
    await updatesFrom("ev2", "renamed")
  } finally {
    await c.close()
  }
}, 150_000)
