/**
 * Regression (QA qa228): secrets whose names hold none of the usual words — a PIN (`DB_PIN`,
 * `ADMIN_PIN`, `simPin`, `PIN_CODE`), a wallet's recovery words (`SEED_PHRASE`, `WALLET_MNEMONIC`)
 * and a one-time-password seed (`TOTP_SEED`) — were not registered: a downstream printing its
 * environment (servers/leaky-server.ts, as server-everything's get-env does) handed them to the
 * model in its results, errors and log notifications, and to the log. Settings named alike
 * (`GPIO_PIN`, `VERSION_PIN`, `RANDOM_SEED`) keep their values. Compiled binary, real SDK Client.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const LEAKY = join(import.meta.dir, "servers", "leaky-server.ts")
const digits = (n: number): string => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String(b % 10)).join("").replace(/^0/, "7")
const C = {
  LEAK_DB_PIN: digits(6),
  LEAK_ADMIN_PIN: digits(8),
  LEAK_simPin: digits(7),
  LEAK_PIN_CODE: digits(6),
  LEAK_SEED_PHRASE: `abandon ability able ${crypto.randomUUID().slice(0, 8)} about above`,
  LEAK_WALLET_MNEMONIC: `zoo zone ${crypto.randomUUID().slice(0, 8)} zero`,
  LEAK_TOTP_SEED: `JBSWY3DP${crypto.randomUUID().replace(/-/g, "").slice(0, 8).toUpperCase()}`,
}
/** Settings that merely sound alike: shown as they are. */
const KEPT = { LEAK_VERSION_PIN: "1.24.7-stable", LEAK_RANDOM_SEED: "424242" }

let c: Connected
const notes: string[] = []

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = writeConfig(env, { log: { level: "debug" }, toolkit: { enabled: "off" }, warm: ["leaky"], servers: { leaky: { command: process.execPath, args: [LEAKY], env: { ...C, ...KEPT } } } })
  c = await connectBinary(["serve", "--config", cfg], env)
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void notes.push(JSON.stringify(n.params)))
  await c.client.setLoggingLevel("debug")
  await listUntil(c.client, "leaky__env")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

const leaked = (text: string): string[] => Object.entries(C).filter(([, v]) => text.includes(v)).map(([k]) => k)

test("a PIN, recovery words and an OTP seed in a downstream's env reach neither the answers nor the log; look-alike settings stay", async () => {
  const answer = (p: Promise<unknown>): Promise<string> => p.then((r) => JSON.stringify(r), (e: unknown) => `${(e as Error).message} ${JSON.stringify((e as { data?: unknown }).data ?? null)}`)
  const answers = [
    await answer(c.client.callTool({ name: "leaky__env", arguments: {} })),
    await answer(c.client.callTool({ name: "leaky__fail_result", arguments: {} })),
    await answer(c.client.callTool({ name: "leaky__fail_rpc", arguments: {} })),
    await answer(c.client.callTool({ name: "leaky__log", arguments: {} })),
    await answer(c.client.callTool({ name: "call_tool", arguments: { name: "leaky__env", arguments: {} } })),
  ]
  for (const a of answers) expect(leaked(a)).toEqual([])
  // the successful result is the server's own data: the look-alike settings read as they were
  expect(answers[0]).toContain(KEPT.LEAK_VERSION_PIN)
  expect(answers[0]).toContain(KEPT.LEAK_RANDOM_SEED)
  expect(answers[0]).toContain("[REDACTED]")
  expect(notes.length).toBeGreaterThan(0)
  expect(leaked(notes.join("\n"))).toEqual([])
  await c.close()
  expect(c.stderr()).toContain("leaky-server starting")
  expect(leaked(c.stderr())).toEqual([])
}, 60_000)
