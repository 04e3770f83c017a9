/**
 * Regression (QA 1a): `cursor connect --import` moved an entry with
 * `"envFile": "${workspaceFolder}/.env"`; started by Cursor from `/`, the file was `//.env`, the
 * config did not load and `serve` exited 2: every server the user had was gone. One server's
 * envFile that cannot be read now fails that server only. The compiled binary, the SDK v1 Client:
 * a server whose envFile is missing next to server-everything; everything's tools are listed and
 * callable, the broken server's error (file and key) is in its orchestrator_status row and the log,
 * doctor reports it (exit 0: a warning), and once the file exists the server starts without a
 * restart of the orchestrator (the file is read again at each start attempt).
 * A running server whose envFile a config reload cannot read (deleted, its folder removed, a
 * checkout under way) keeps running as it was, said in the log and orchestrator_status; it was
 * restarted into a start that failed, its tools (in Cursor's first list) unavailable until the
 * file came back.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const BUN = process.execPath

beforeAll(ensureBuilt, 120_000)

function statusText(r: unknown): string {
  return ((r as { content: Array<{ type: string; text?: string }> }).content ?? []).map((c) => c.text ?? "").join("\n")
}

describe("a server whose envFile cannot be read", () => {
  test("fails alone: the other server's tools are listed and callable; its error names the file and the key", async () => {
    // Cursor starts the orchestrator from a directory of its own: ${workspaceFolder} is not the project
    const workspace = join(sandboxEnv().HOME!, "not-the-project")
    const env = sandboxEnv({ MCPO_WORKSPACE: workspace })
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(
      cfg,
      [
        "toolkit:",
        '  enabled: "off"',
        "pool: { restartDelay: 200, restartDelayMax: 400, breakerFailures: 1000 }",
        "servers:",
        "  broken:",
        `    command: ${BUN}`,
        `    args: ["${EVERYTHING}", "stdio"]`,
        '    envFile: "${workspaceFolder}/.env"',
        "  everything:",
        `    command: ${BUN}`,
        `    args: ["${EVERYTHING}", "stdio"]`,
        "warm: [broken, everything]",
        "",
      ].join("\n"),
    )
    const envPath = join(workspace, ".env")

    // doctor reports it (a warning: the config is valid)
    const doc = Bun.spawnSync([BIN, "doctor", "--config", cfg], { env, cwd: env.HOME })
    expect(doc.exitCode).toBe(0)
    expect(doc.stdout.toString()).toContain(`servers.broken.envFile (${cfg}:8): cannot read ${envPath} (ENOENT: no such file)`)

    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = await listUntil(c.client, "everything__echo")
      expect(names).toContain("everything__echo")
      expect(names.some((n) => n.startsWith("broken__"))).toBe(false)
      const echo = (await c.client.callTool({ name: "everything__echo", arguments: { message: "still here" } })) as { content: Array<{ text: string }>; isError?: boolean }
      expect(echo.isError).toBeFalsy()
      expect(echo.content[0]!.text).toContain("still here")

      // its orchestrator_status row: the file and the key that names it
      let row = ""
      for (let i = 0; i < 100 && !row.includes("envFile"); i++) {
        row = statusText(await c.client.callTool({ name: "orchestrator_status", arguments: {} })).split("\n").find((l) => l.includes("broken")) ?? ""
        if (!row.includes("envFile")) await Bun.sleep(50)
      }
      expect(row).toContain(`server broken failed to start: its envFile cannot read ${envPath} (ENOENT: no such file); set at servers.broken.envFile (${cfg}:8)`)
      // the log: the config warning at start, and the failed start
      expect(c.stderr()).toContain(`"problem":"servers.broken.envFile (${cfg}:8): cannot read ${envPath} (ENOENT: no such file); server broken will fail to start until it can be read`)
      expect(c.stderr()).toMatch(/"msg":"downstream failed; restart scheduled".*"error":"server broken failed to start: its envFile cannot read/)

      // the file appears: the next attempt reads it and the server comes up, no restart of the orchestrator
      mkdirSync(workspace, { recursive: true })
      writeFileSync(envPath, "GREETING=hello\n")
      expect(await listUntil(c.client, "broken__echo")).toContain("broken__echo")
      const again = (await c.client.callTool({ name: "broken__echo", arguments: { message: "back" } })) as { content: Array<{ text: string }> }
      expect(again.content[0]!.text).toContain("back")
    } finally {
      await c.close()
    }
  }, 30_000)

  test("a reload that cannot read a running server's envFile keeps it running as it was; the file back with new values restarts it", async () => {
    const env = sandboxEnv()
    const dir = join(env.HOME!, "envs")
    const envPath = join(dir, "every.env")
    mkdirSync(dir)
    writeFileSync(envPath, "GREETING=first\n")
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, ["toolkit:", '  enabled: "off"', "servers:", "  every:", `    command: ${BUN}`, `    args: ["${EVERYTHING}", "stdio"]`, `    envFile: ${envPath}`, "  other:", `    command: ${BUN}`, `    args: ["${EVERYTHING}", "stdio"]`, ""].join("\n"))
    const c = await connectBinary(["serve", "--config", cfg], env)
    const call = async (name: string, args: Record<string, unknown> = {}) => (await c.client.callTool({ name, arguments: args })) as { content: Array<{ text: string }>; isError?: boolean }
    const greeting = async () => /"GREETING": "(\w+)"/.exec((await call("every__get-env")).content[0]!.text)?.[1]
    const logged = async (text: string) => {
      for (let i = 0; i < 1500 && !c.stderr().includes(text); i++) await Bun.sleep(20)
      return c.stderr().includes(text)
    }
    try {
      await c.client.listTools()
      expect(await greeting()).toBe("first")
      // the folder removed (a dotfiles checkout under way): the reload cannot read the file
      rmSync(dir, { recursive: true })
      expect(await logged('"msg":"config: server entry is invalid; its last valid definition keeps running","server":"every"')).toBe(true)
      const echo = await call("every__echo", { message: "still here" })
      expect(echo.isError).toBeFalsy()
      expect(echo.content[0]!.text).toContain("still here")
      expect(await greeting()).toBe("first")
      expect(c.stderr()).not.toContain("downstream failed")
      const status = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { config: { invalidServers?: { name: string; running?: boolean; problems: string[] }[] } }
      expect(status.config.invalidServers).toEqual([
        expect.objectContaining({ name: "every", running: true, problems: [`servers.every.envFile (${cfg}:7): cannot read ${envPath} (ENOENT: no such file); its last valid definition keeps running until the file can be read again`] }),
      ])
      // back with other values: applied like any change of the file (a restart under them)
      mkdirSync(dir)
      writeFileSync(envPath, "GREETING=second\n")
      expect(await logged('"changed":["every (env)"]')).toBe(true)
      let now: string | undefined
      for (let i = 0; i < 200 && (now = await greeting()) !== "second"; i++) await Bun.sleep(50)
      expect(now).toBe("second")
      const after = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { config: { invalidServers?: unknown[] } }
      expect(after.config.invalidServers).toBeUndefined()
    } finally {
      await c.close()
    }
  }, 60_000)
})
