/**
 * Regression (QA qa25): secrets that text names — `GITHUB_TOKEN=value`, `password: value`,
 * `"api_key": "value"`, `Authorization: value`, `postgres://u:value@h`, `--token value`, a cookie —
 * were masked in no log and no error text unless they had a token's shape (Bearer, ghp_, sk-…) or
 * were configured. A downstream printing them on stderr had them in the "downstream stderr" log,
 * in the CONNECT_FAILED error of a failed start (its stderr reason, added with the reason lines),
 * describe_tools' cause of a down server, the error of a call it refused (with the argument hint),
 * its isError results, JSON-RPC errors, progress and log notifications, and the error of a call it
 * died in. Also a configured value base64-encoded (alone, or as Basic `user:value`) came out (one
 * cut by an ANSI escape, which the stderr reason removes, is checked too). All through the compiled binary, with
 * a hostile fixture (servers/canary-server.ts); a successful result keeps the unconfigured values
 * byte-exact (the server's own data), the configured one redacted. (QA qa43: provider tokens known by
 * their shape — Stripe, GitLab, Google, Hugging Face — printed under no name were masked nowhere.)
 * (QA qa219: the keys of a JSON-RPC error's `data` and of a log notification's `data` were scrubbed
 * of the configured values only: each line above quoted as a key reached the model as it was.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const FIXTURE = join(import.meta.dir, "servers", "canary-server.ts")
const rand = (tag: string): string => `${tag}${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`
/** Unconfigured: ordinary-looking values (no token shape), only their names say they are secrets. */
const SEEDS = Array.from({ length: 8 }, (_, i) => rand(`u${i + 1}q`))
/** Unconfigured provider tokens known by their shape (Stripe, GitLab, Google, Hugging Face), printed under no name. */
const SHAPED = [`sk_live_${rand("")}${rand("")}`, `glpat-${rand("")}${rand("")}`, `AIza${rand("")}${rand("")}${rand("")}`.slice(0, 39), `hf_${rand("")}${rand("")}`]
/** Configured (a secret-named env value of both servers). */
const CONFIGURED = rand("confQ")

let c: Connected
const notes: string[] = []
const transportErrors: string[] = []

/** The canaries `text` shows (none may show). */
function leaked(text: string): string[] {
  return [...SEEDS, ...SHAPED, CONFIGURED, btoa(CONFIGURED), btoa(`user:${CONFIGURED}`)].filter((v) => text.includes(v))
}

/** A call's answer as the client sees it: a result's text, or a JSON-RPC error's message and data. */
async function call(name: string, args: Record<string, unknown> = {}, onprogress?: (p: unknown) => void): Promise<string> {
  return c.client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : undefined).then(
    (r) => JSON.stringify(r),
    (e: unknown) => `${(e as Error).message} ${JSON.stringify((e as { data?: unknown }).data ?? null)}`,
  )
}

beforeAll(async () => {
  await ensureBuilt()
  const dir = tempDir("mcpo-canaries-")
  const cfg = join(dir, "config.json")
  const env = { CANARY_API_KEY: CONFIGURED, CANARY_SEEDS: SEEDS.join(","), CANARY_SHAPED: SHAPED.join(",") }
  writeFileSync(
    cfg,
    JSON.stringify({
      log: { level: "debug" },
      toolkit: { enabled: "off" },
      pool: { restartDelay: "10m" },
      warm: ["canary", "refusing", "mine"],
      servers: {
        canary: { command: process.execPath, args: [FIXTURE, "serve"], env },
        refusing: { command: process.execPath, args: [FIXTURE, "refuse-start"], env },
        mine: { command: process.execPath, args: [FIXTURE, "refuse-start-mine"], env },
      },
    }),
  )
  c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
  c.transport.onerror = (e) => void transportErrors.push(String(e))
  c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void notes.push(JSON.stringify(n.params)))
  await c.client.setLoggingLevel("debug")
}, 120_000)

afterAll(async () => {
  await c?.close()
})

test("a failed start's error (its stderr reason and the missing variable) and describe_tools' cause show no secret", async () => {
  const started = await call("call_tool", { name: "refusing__anything", arguments: {} })
  expect(started).toContain("failed to start")
  expect(started).toContain("CANARY_MISSING_TOKEN") // the variable named…
  expect(started).toContain("GITHUB_TOKEN=[REDACTED]") // …and the stderr quoted, masked
  expect(started).toContain("password: [REDACTED]")
  expect(started).toContain("Cookie: [REDACTED]")
  expect(leaked(started)).toEqual([])
  // the configured value base64-encoded, as Basic's user:value, cut by an escape the reason removes
  const mine = await call("call_tool", { name: "mine__anything", arguments: {} })
  expect(mine).toContain("split [REDACTED]")
  expect(leaked(mine)).toEqual([])
  for (const server of ["refusing", "mine"]) {
    const described = await call("describe_tools", { names: [`${server}__anything`] })
    expect(described).toContain("failed to start")
    expect(leaked(described)).toEqual([])
  }
}, 60_000)

test("a downstream's refusal, errors, progress and log notifications show no secret (direct, call_tool, run_code); its successful result stays its own", async () => {
  const answers: string[] = []
  // the refusal of the arguments, with the tool's signature after it (direct, and through call_tool)
  answers.push(await call("canary__refuse", { q: "x" }), await call("call_tool", { name: "canary__refuse", arguments: { q: "x" } }))
  expect(answers.join("\n")).toContain("Invalid arguments for tool refuse")
  answers.push(await call("canary__fail"), await call("canary__rpc"))
  // the same failures through call_tool and run_code (own tools: their results carry the text)
  answers.push(await call("call_tool", { name: "canary__fail", arguments: {} }), await call("call_tool", { name: "canary__rpc", arguments: {} }))
  answers.push(await call("run_code", { code: 'return await tools["canary__fail"]({})' }), await call("run_code", { code: 'return await tools["canary__rpc"]({})' }))
  const progress: string[] = []
  answers.push(await call("canary__progress", {}, (p) => void progress.push(JSON.stringify(p))))
  expect(progress.join("\n")).toContain("working:")
  answers.push(...progress)
  answers.push(await call("canary__log"))
  // each carried the values (masked): refusals, isError result, JSON-RPC error, progress message
  for (const a of [...answers.slice(0, 8), ...progress]) expect(a).toContain("password: [REDACTED]")
  for (const a of answers) expect(leaked(a)).toEqual([])
  // a successful result is the server's data: only the configured value goes
  const direct = await call("canary__ok")
  for (const ok of [direct, await call("call_tool", { name: "canary__ok", arguments: {} }), await call("run_code", { code: 'return await tools["canary__ok"]({})' })]) {
    for (const s of SEEDS) expect(ok).toContain(s)
    expect(ok).toContain(`password: ${SEEDS[1]}`)
    expect(ok).not.toContain(CONFIGURED)
  }
  // token shapes: the direct result is the server's own; an own tool's result (call_tool, run_code) masks them
  for (const s of SHAPED) expect(direct).toContain(s)
  // last: a server that dies mid-call (its stderr logged, the call failed)
  const crashed = await call("canary__crash")
  expect(crashed).toContain("exited")
  expect(leaked(crashed)).toEqual([])
  for (let i = 0; i < 100 && !(notes.some((n) => n.includes("log:")) && notes.some((n) => n.includes("keyed"))); i++) await Bun.sleep(50)
  expect(notes.join("\n")).toContain("log:")
  // keyed by the lines (qa219: a key was scrubbed of the configured value only)
  expect(notes.join("\n")).toContain("GITHUB_TOKEN=[REDACTED]")
  expect(notes.find((n) => n.includes("keyed"))).toContain("GITHUB_TOKEN=[REDACTED]")
  expect(leaked(notes.join("\n"))).toEqual([])
}, 60_000)

test("the log (downstream stderr at debug, the crash, the failed start) shows no secret; stdout stays JSON-RPC", async () => {
  await c.close()
  for (let i = 0; i < 100 && !c.stderr().includes("crashing:"); i++) await Bun.sleep(50)
  const log = c.stderr()
  expect(log).toContain("canary-server starting")
  expect(log).toContain("crashing:")
  expect(log).toContain("GITHUB_TOKEN=[REDACTED]")
  expect(log).toContain("app:[REDACTED]@db.example")
  expect(leaked(log)).toEqual([])
  expect(transportErrors).toEqual([])
}, 60_000)
