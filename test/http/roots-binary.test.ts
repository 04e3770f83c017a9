/**
 * Roots reach a downstream through the Streamable HTTP face, for every client that has them
 * (the compiled binary, a warm real server-everything, the SDK's own HTTP client, as used by
 * LangChain's MultiServerMCPClient and mcp-remote):
 * - the first client: the downstream, told the roots changed when the client sent
 *   `notifications/initialized`, asks for them before the client opened its GET stream (the SDK
 *   opens it right after that notification's 202). Before, that `roots/list` had nowhere to go and
 *   failed at once (-32603): the server kept no roots. Now it waits for the GET stream;
 * - a later client (the first one gone, the orchestrator still running): the downstream is told the
 *   roots changed again, so it asks the newest client. Before, only the first client ever did: the
 *   server kept the roots of a client long gone.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { ensureBuilt, httpRunsStoppedAfterEach, sandboxEnv, startHttpBinary } from "../helpers/binary.ts"
import { everythingStdio } from "../proxy/helpers.ts"

const TOKEN = "roots-http-" + crypto.randomUUID()
type Result = { content: { type: string; text: string }[] }

beforeAll(ensureBuilt, 120_000)
const runs = httpRunsStoppedAfterEach()

/** A client with `root`: resolves `asked` the first time the orchestrator asks it for its roots. */
async function clientWithRoot(url: string, root: string): Promise<{ c: Client; asked: Promise<void> }> {
  const c = new Client({ name: "roots-http", version: "1.0.0" }, { capabilities: { roots: { listChanged: true } } })
  let onAsked!: () => void
  const asked = new Promise<void>((r) => (onAsked = r))
  c.setRequestHandler(ListRootsRequestSchema, () => {
    onAsked()
    return { roots: [{ uri: root, name: "project" }] }
  })
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
  return { c, asked }
}

/** get-roots-list until it names `root` (the server stores the answer after it arrives); the last text. */
async function rootsSeen(c: Client, root: string): Promise<string> {
  let text = ""
  for (let i = 0; i < 100 && !text.includes(root); i++) {
    text = ((await c.callTool({ name: "everything__get-roots-list", arguments: {} })) as Result).content[0]!.text
    if (!text.includes(root)) await Bun.sleep(50)
  }
  return text
}

test("each HTTP client that has roots is asked for them, the first before its GET stream is open", async () => {
  const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, warm: ["everything"], servers: { everything: everythingStdio } }))
  const run = await startHttpBinary(cfg, env)
  runs.push(run)
  // the warm server asked for roots before any client was there: "told again once one has"
  for (let i = 0; i < 400 && !run.stderr().includes("roots/list answered with no roots"); i++) await Bun.sleep(50)

  const first = await clientWithRoot(run.url, "file:///first-project")
  const never = Bun.sleep(20_000).then(() => "never asked")
  expect(await Promise.race([first.asked.then(() => "asked"), never])).toBe("asked")
  expect(await rootsSeen(first.c, "file:///first-project")).toContain("file:///first-project")
  await first.c.close()

  const second = await clientWithRoot(run.url, "file:///second-project")
  expect(await Promise.race([second.asked.then(() => "asked"), never])).toBe("asked")
  expect(await rootsSeen(second.c, "file:///second-project")).toContain("file:///second-project")
  await second.c.close()
}, 90_000)
