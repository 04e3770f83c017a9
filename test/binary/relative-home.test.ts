/**
 * Regression (QA qa360): a relative HOME (an editor's launcher, a script's `HOME=.`) with no XDG
 * directories named another directory from each working directory we were started in: the cache,
 * the stored first answer, the early index, the pins and the era verdicts were written under
 * `<the project Cursor opened>/relhome/`. The fallback meant to avoid it (config/file accountHome:
 * unset HOME, ask os.homedir()) does nothing under Bun, which answers with the HOME the process
 * started with; the early face did not even try. Now core/account-home reads the password database
 * and every home-relative path of ours (config, cache, state, the early face's, ${userHome}, Cursor's
 * mcp.json) starts there. The compiled binary, the SDK's real Client; run as nobody (root here),
 * whose home /nonexistent it cannot create, so the test writes nothing outside its sandbox.
 */
import { beforeAll, expect, test } from "bun:test"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { IS_ROOT, NOBODY, nobodyServer } from "../helpers/nobody-server.ts"
import { BIN, ensureBuilt, listUntil } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

test.skipIf(!IS_ROOT || process.platform !== "linux")("a relative HOME: nothing is written under the working directory, and the first answer is complete", async () => {
  const sandbox = mkdtempSync(join(tmpdir(), "mcpo-relhome-"))
  const project = join(sandbox, "project")
  mkdirSync(project)
  const cfg = join(sandbox, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, servers: { memory: nobodyServer(sandbox) } }))
  // the project belongs to the user the binary runs as: a write into it would succeed
  execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, sandbox])
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "relhome" }
  const transport = new StdioClientTransport({ command: "setpriv", args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", BIN, "serve", "--config", cfg], env, stderr: "pipe", cwd: project })
  let err = ""
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()))
  const client = new Client({ name: "test-client", version: "1.0.0" })
  await client.connect(transport)
  try {
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__create_entities")
  } finally {
    await client.close()
  }
  expect(existsSync(join(project, "relhome"))).toBe(false)
  // the account's home (nobody's: /nonexistent, which it cannot create) is where it tried, and said so
  expect(err).toContain("/nonexistent/")
  expect(err).not.toContain('"relhome/')
}, 90_000)
