/**
 * A config (or an envFile) that is no regular file. Before, `serve --config F` with F a FIFO no
 * program wrote to blocked in open(2) in the synchronous config load: nothing answered, and the
 * process ignored SIGTERM, SIGINT, SIGHUP and stdin EOF (their handlers run on the event loop it
 * held): a client that stopped it left it running for good. Now a named FIFO gets a bounded wait
 * for a writer, meanwhile a signal ends the process at once; a device or socket is refused naming
 * the flag and what was expected; process substitution (`--config <(cat c.json)`), a pipe into
 * /dev/stdin and a FIFO whose writer comes a little later keep working. The compiled binary, the
 * SDK's real Client, server-memory.
 */
import { beforeAll, expect, test } from "bun:test"
import { readdirSync, readlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { BIN, ensureBuilt, listUntil, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"
import { collect, exitCode, waitFor } from "../helpers/wait.ts"

const MEMORY = join(ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

function fifoAt(env: Record<string, string>, name = "config.fifo"): string {
  const path = join(env.HOME!, name)
  expect(Bun.spawnSync(["mkfifo", path]).exitCode).toBe(0)
  return path
}

function memoryConfig(env: Record<string, string>): Record<string, unknown> {
  return { toolkit: { enabled: "off" }, servers: { memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "mem.jsonl") } } } }
}

/** `serve --config path` with stdin a pipe we hold open (as a client does). */
function serveOn(path: string, env: Record<string, string>) {
  const p = Bun.spawn([BIN, "serve", "--config", path], { env, cwd: env.HOME!, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
  return { p, err: collect(p.stderr) }
}

/** Does process `pid` hold `path` open (the FIFO opened, the wait for a writer under way)? */
function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path
      } catch {
        return false
      }
    })
  } catch {
    return false
  }
}

test("--config FIFO with no writer: the start fails (exit 2) naming the flag, the path and what to do, not blocked for good", async () => {
  const env = sandboxEnv()
  const fifo = fifoAt(env)
  const { p, err } = serveOn(fifo, env)
  expect(await exitCode(p, "serve to give up on the FIFO", 30_000)).toBe(2)
  const text = await err.all
  expect(text).toContain(`${fifo} (--config): cannot read the config file (ENOWRITER: a FIFO no program wrote to within 5 s)`)
  expect(text).toContain("Start the program that writes the config into the FIFO")
}, 60_000)

for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  test(`${sig} while the start waits for a FIFO's writer ends the process at once`, async () => {
    const env = sandboxEnv()
    const fifo = fifoAt(env)
    const { p } = serveOn(fifo, env)
    try {
      await waitFor("the FIFO opened", () => holdsOpen(p.pid, fifo), 20_000)
      p.kill(sig)
      await exitCode(p, `serve to end on ${sig}`, 30_000)
      // ended by the signal itself (the wait for a writer would have ended it with exit 2)
      expect(p.signalCode).toBe(sig)
    } finally {
      p.kill("SIGKILL")
    }
  }, 60_000)
}

test("a FIFO whose writer comes a little after the start is read: the tools are listed; SIGHUP does not read it again", async () => {
  const env = sandboxEnv()
  const fifo = fifoAt(env)
  const text = JSON.stringify(memoryConfig(env))
  const writer = Bun.spawn(["sh", "-c", `sleep 1; printf '%s' "$0" > '${fifo}'`, text], { stdio: ["ignore", "ignore", "ignore"] })
  const client = new Client({ name: "t", version: "1" })
  const transport = new StdioClientTransport({ command: BIN, args: ["serve", "--config", fifo], env, cwd: env.HOME!, stderr: "pipe" })
  let stderr = ""
  transport.stderr?.on("data", (d: Buffer) => (stderr += d.toString()))
  await client.connect(transport)
  try {
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__read_graph")
    // a reload cannot read the FIFO again: refused at once, the running config (and the serve) stay
    process.kill(transport.pid!, "SIGHUP")
    await waitFor("the reload refused", () => stderr.includes("is a FIFO, read once at the start: a reload cannot read it again"), 20_000)
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("memory__read_graph")
  } finally {
    await client.close()
    await writer.exited
  }
}, 60_000)

test("process substitution (--config <(cat config.json)) is read as before: the tools are listed", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, memoryConfig(env))
  const client = new Client({ name: "t", version: "1" })
  await client.connect(new StdioClientTransport({ command: "bash", args: ["-c", `exec '${BIN}' serve --config <(cat '${cfg}')`], env, cwd: env.HOME!, stderr: "ignore" }))
  try {
    expect(await listUntil(client, "memory__read_graph")).toContain("memory__read_graph")
  } finally {
    await client.close()
  }
}, 60_000)

test("a config piped into /dev/stdin is read (auth status --config /dev/stdin)", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, { toolkit: { enabled: "off" }, servers: { site: { url: "https://example.com/mcp" } } })
  const p = Bun.spawn(["sh", "-c", `cat '${cfg}' | '${BIN}' auth status --config /dev/stdin`], { env, cwd: env.HOME!, stdio: ["ignore", "pipe", "pipe"] })
  const out = collect(p.stdout)
  const err = collect(p.stderr)
  expect(await exitCode(p, "auth status", 30_000)).toBe(0)
  expect((await out.all) + (await err.all)).toContain("site")
}, 60_000)

test("--config naming a device or a socket is refused: the flag, the path, what it is and what was expected", async () => {
  const env = sandboxEnv()
  const sock = join(env.HOME!, "s.sock")
  const server = Bun.listen({ unix: sock, socket: { data() {} } })
  try {
    for (const [path, kind] of [
      ["/dev/zero", "a character device"],
      [sock, "a socket"],
    ] as const) {
      const { p, err } = serveOn(path, env)
      expect(await exitCode(p, `serve --config ${path}`, 30_000)).toBe(2)
      const text = await err.all
      expect(text).toContain(`${path} (--config): cannot read the config file (ENOTREG: ${kind}`)
      expect(text).toContain("Name a regular file")
    }
  } finally {
    server.stop(true)
  }
}, 60_000)

test("an envFile that is a FIFO with no writer fails its server only; /dev/null as envFile is an empty one", async () => {
  const env = sandboxEnv()
  const fifo = fifoAt(env, "secrets.env")
  const cfg = memoryConfig(env)
  const servers = cfg.servers as Record<string, Record<string, unknown>>
  servers.other = { ...servers.memory, envFile: "/dev/null" }
  servers.memory!.envFile = fifo
  const path = join(env.HOME!, "c.json")
  writeFileSync(path, JSON.stringify(cfg))
  const client = new Client({ name: "t", version: "1" })
  let stderr = ""
  const transport = new StdioClientTransport({ command: BIN, args: ["serve", "--config", path], env, cwd: env.HOME!, stderr: "pipe" })
  transport.stderr?.on("data", (d: Buffer) => (stderr += d.toString()))
  await client.connect(transport)
  try {
    expect(await listUntil(client, "other__read_graph")).toContain("other__read_graph")
    expect(stderr).toContain(`cannot read ${fifo} (ENOWRITER: a FIFO no program wrote to and closed in time`)
  } finally {
    await client.close()
  }
}, 60_000)

// The client gone while the start waits for a FIFO's writer (core/start-end): before, stdin's end
// went unnoticed until the 5 s ran out (then exit 2), a SIGTERM held just before the wait likewise.
for (const which of ["--config", "envFile"] as const) {
  test(`stdin closed while the start waits for a ${which} FIFO's writer ends the process at once (exit 0, not the wait's exit 2)`, async () => {
    const env = sandboxEnv()
    const fifo = fifoAt(env, which === "--config" ? "config.fifo" : "secrets.env")
    let path = fifo
    if (which === "envFile") {
      const cfg = memoryConfig(env)
      ;(cfg.servers as Record<string, Record<string, unknown>>).memory!.envFile = fifo
      path = join(env.HOME!, "c.json")
      writeFileSync(path, JSON.stringify(cfg))
    }
    const { p, err } = serveOn(path, env)
    try {
      await waitFor("the FIFO opened", () => holdsOpen(p.pid, fifo), 20_000)
      p.stdin.end()
      expect(await exitCode(p, "serve to end on stdin's end", 30_000)).toBe(0)
      expect(await err.all).toContain("stdin ended while the start waited for a FIFO's writer; stopping")
    } finally {
      p.kill("SIGKILL")
    }
  }, 60_000)
}

test("stdin already at its end when the start reaches a FIFO config: it does not wait (exit 0)", async () => {
  const env = sandboxEnv()
  const fifo = fifoAt(env)
  const p = Bun.spawn([BIN, "serve", "--config", fifo], { env, cwd: env.HOME!, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const err = collect(p.stderr)
  expect(await exitCode(p, "serve to end", 30_000)).toBe(0)
  expect(await err.all).toContain("stdin ended while the start waited")
}, 60_000)

for (const sig of ["SIGTERM", "SIGINT"] as const) {
  test(`${sig} at any moment of a start that waits for a FIFO config ends it: never the wait's exit 2`, async () => {
    // early in the start the signal is held (early-signals) until serve listens; before, one held
    // when the wait began was acted on only after it (the start then failed, exit 2, after 5 s)
    for (const afterMs of [80, 200, 400]) {
      const env = sandboxEnv()
      const fifo = fifoAt(env)
      const { p } = serveOn(fifo, env)
      try {
        await Bun.sleep(afterMs)
        p.kill(sig)
        const code = await exitCode(p, `serve to end on ${sig}`, 30_000)
        // ended by the signal's default action (it came during the wait) or stopped (it was held)
        expect({ afterMs, code: p.signalCode === sig ? sig : code }).toEqual({ afterMs, code: p.signalCode === sig ? sig : 0 })
      } finally {
        p.kill("SIGKILL")
      }
    }
  }, 90_000)
}
