/**
 * Regression (QA 1a): `cursor connect --import` moved an entry with
 * `"envFile": "${workspaceFolder}/.env"`; started by Cursor from `/`, the file was `//.env`, the
 * config did not load and `serve` exited 2: every server the user had was gone. One server's
 * envFile that cannot be read now fails that server only. The compiled binary, the SDK v1 Client:
 * a server whose envFile is missing next to server-everything; everything's tools are listed and
 * callable, the broken server's error (file and key) is in its orchestrator_status row and the log,
 * doctor reports it (exit 0: a warning), and once the file exists the server starts without a
 * restart of the orchestrator (the file is read again at each start attempt).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
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
})
