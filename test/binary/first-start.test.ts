/**
 * A new user's very first serve (nothing stored, nothing noted) answers a complete first
 * tools/list: a server slow to start (`npx` fetching a package: a `/bin/sh` wrapper here that waits
 * for a gate file, then execs the npm reference server) is waited for past `proxy.listWait`, up to
 * `proxy.firstListWait` (proxy/first-start). Runs that end while such a start is still under way
 * (Cursor restarting) do not count it as failing: later starts still wait for it. `doctor` stores
 * the lists it got, so the next serve answers with them without the server starting at all.
 * The compiled binary with the SDK Client; nothing is timed: what the answers contain, what the
 * log says. listWait also bounds the listing that follows the start: where an answer is to hold the
 * slow server's tools, listWait is raised (a live reload, or the config of a later run) before the
 * gate opens, so a loaded machine's slow listing is still waited for.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { existsSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const FIRST_LINE = "waiting for the first start of a server that has never listed its tools"
const SKIP_LINE = "not waited for: it failed before listing its tools in the last runs"

beforeAll(ensureBuilt, 120_000)

/** A config with one server that starts only once `gate` exists; listWait short, so a wait past it is plain. */
function setup(extra: string[] = []): { env: Record<string, string>; cfg: string; gate: string; write: (listWait: number) => void } {
  const env = sandboxEnv()
  const gate = join(env.HOME!, "gate")
  const cfg = join(env.HOME!, "config.yaml")
  const write = (listWait: number): void => writeFileSync(
    cfg,
    [
      "toolkit:",
      '  enabled: "off"',
      "proxy:",
      `  listWait: ${listWait}`,
      ...extra,
      "servers:",
      "  slow:",
      "    command: /bin/sh",
      `    args: ["-c", ${JSON.stringify(`while [ ! -e '${gate}' ]; do sleep 0.05; done; exec '${process.execPath}' '${EVERYTHING}' stdio`)}]`,
      "",
    ].join("\n"),
  )
  write(300)
  return { env, cfg, gate, write }
}

/** listWait that a loaded machine's listing after the start never outlasts (its server is the same definition: no restart). */
const LONG_LIST_WAIT = 20_000

async function until(ok: () => boolean, tries = 500): Promise<boolean> {
  for (let i = 0; i < tries && !ok(); i++) await Bun.sleep(20)
  return ok()
}

const slowTools = (names: string[]) => names.filter((n) => n.startsWith("slow__")).length

describe("a first start ever is in the first tools/list", () => {
  test("waited for past listWait: the first answer has its tools; the log says why", async () => {
    const { env, cfg, gate, write } = setup()
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      let answered = false
      const first = c.client.listTools().finally(() => void (answered = true))
      expect(await until(() => c.stderr().includes(FIRST_LINE))).toBe(true)
      // well past listWait (300 ms): the answer still waits for the start
      await Bun.sleep(1500)
      expect(answered).toBe(false)
      // the listing that follows the start is given the time a loaded machine needs (listWait applies live)
      write(LONG_LIST_WAIT)
      expect(await until(() => c.stderr().includes('"settings":["proxy.listWait"]'), 15_000)).toBe(true)
      expect(answered).toBe(false)
      writeFileSync(gate, "")
      expect(slowTools((await first).tools.map((t) => t.name))).toBeGreaterThan(0)
    } finally {
      await c.close()
    }
  }, 60_000)

  test("runs that end while it is still starting (Cursor restarting it) do not count it as failing", async () => {
    const { env, cfg, gate, write } = setup()
    for (let run = 0; run < 2; run++) {
      const c = await connectBinary(["serve", "--config", cfg], env)
      try {
        void c.client.listTools().catch(() => {})
        expect(await until(() => c.stderr().includes(FIRST_LINE))).toBe(true)
        // under way past listWait when the run ends
        await Bun.sleep(800)
      } finally {
        await c.close()
      }
    }
    // the run that lists it: the listing after its start is given the time a loaded machine needs
    write(LONG_LIST_WAIT)
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const first = c.client.listTools()
      expect(await until(() => c.stderr().includes(FIRST_LINE))).toBe(true)
      writeFileSync(gate, "")
      expect(slowTools((await first).tools.map((t) => t.name))).toBeGreaterThan(0)
      expect(c.stderr()).not.toContain(SKIP_LINE)
    } finally {
      await c.close()
    }
  }, 90_000)

  test("a start that never finishes costs firstListWait once, then runs note it failing and stop waiting for it", async () => {
    const { env, cfg } = setup(["  firstListWait: 1500"])
    for (let run = 0; run < 2; run++) {
      const c = await connectBinary(["serve", "--config", cfg], env)
      try {
        expect(slowTools((await c.client.listTools()).tools.map((t) => t.name))).toBe(0)
      } finally {
        await c.close()
      }
    }
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      await c.client.listTools()
      expect(await until(() => c.stderr().includes(SKIP_LINE))).toBe(true)
      expect(c.stderr()).not.toContain(FIRST_LINE)
      expect(c.stderr()).toContain("run `mcp-orchestrator doctor` once")
    } finally {
      await c.close()
    }
  }, 90_000)
})

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const NAMED = join(ROOT, "test", "fixtures", "servers", "named-tools-server.ts")

/** A config with one server that answers initialize at once and holds tools/list as `args` say (list-gate-server), listWait short. */
function slowLister(args: (home: string) => string[]): { env: Record<string, string>; cfg: string; home: string } {
  const env = sandboxEnv()
  const home = env.HOME!
  const cfg = join(home, "config.yaml")
  const argv = [GATE_SERVER, ...args(home)].map((a) => JSON.stringify(a)).join(", ")
  writeFileSync(cfg, ["toolkit:", '  enabled: "off"', "proxy:", "  listWait: 300", "servers:", "  lister:", `    command: ${JSON.stringify(process.execPath)}`, `    args: [${argv}]`, ""].join("\n"))
  return { env, cfg, home }
}

const listerTools = (names: string[]) => names.filter((n) => n.startsWith("lister__"))

describe("a first start ever includes its first listing", () => {
  test("a server that answers initialize at once and is slow to list is waited for past listWait: the first answer has its tools", async () => {
    const { env, cfg, home } = slowLister((h) => ["--gate", join(h, "gate"), "--list-log", join(h, "lists")])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      let answered = false
      const first = c.client.listTools().finally(() => void (answered = true))
      // it is up and has been asked for its tools (its start ended)
      expect(await until(() => existsSync(join(home, "lists")))).toBe(true)
      // well past listWait (300 ms): the answer still waits for its first listing (before: given at listWait, without its tools)
      await Bun.sleep(1500)
      expect(answered).toBe(false)
      writeFileSync(join(home, "gate"), "")
      expect(listerTools((await first).tools.map((t) => t.name)).length).toBeGreaterThan(0)
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a run that ends while its first listing is still waited for (Cursor restarting) does not note it silent: the next start waits for it again", async () => {
    const { env, cfg, home } = slowLister((h) => ["--gate", join(h, "gate"), "--list-log", join(h, "lists")])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      void c.client.listTools().catch(() => {})
      expect(await until(() => existsSync(join(home, "lists")))).toBe(true)
      // asked past listWait (300 ms) when the run ends, well within firstListWait
      await Bun.sleep(1000)
    } finally {
      await c.close()
    }
    const next = await connectBinary(["serve", "--config", cfg], env)
    try {
      const first = next.client.listTools()
      expect(await until(() => next.stderr().includes(FIRST_LINE))).toBe(true)
      writeFileSync(join(home, "gate"), "")
      expect(listerTools((await first).tools.map((t) => t.name)).length).toBeGreaterThan(0)
      expect(next.stderr()).not.toContain("not waited for: it did not list its tools in the last run")
    } finally {
      await next.close()
    }
  }, 60_000)

  test("a first listing that keeps reading pages is waited for page by page past listWait: the first answer has every page (a server beside it too)", async () => {
    // six pages 700 ms apart: 4 s in all, each page well within listWait (2 s), the listing well past it.
    // A second server makes a second list wait while the first still waits (before: that one had listWait
    // from then, and on running out served the pages read so far, 2 or 3 of 6, to the client's answer)
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    const server = (args: string[]): string => `[${args.map((a) => JSON.stringify(a)).join(", ")}]`
    writeFileSync(
      cfg,
      ["toolkit:", '  enabled: "off"', "proxy:", "  listWait: 2000", "servers:",
        "  lister:", `    command: ${JSON.stringify(process.execPath)}`, `    args: ${server([GATE_SERVER, "--slow-pages", "6:700"])}`,
        "  quick:", `    command: ${JSON.stringify(process.execPath)}`, `    args: ${server([NAMED, "--tools", "q1"])}`, ""].join("\n"),
    )
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toContain("quick__q1")
      expect(listerTools(names).filter((n) => n.startsWith("lister__page_")).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `lister__page_${i}`))
      expect(names).toContain("lister__held_alpha")
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a first listing whose later page is never answered costs listWait, not firstListWait: the pages read are in the answer", async () => {
    const { env, cfg, home } = slowLister((h) => ["--paged", "--page2-gate", join(h, "never")])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      // firstListWait (30 s) is past this test's timeout: an answer shows that its first page ended the longer wait
      expect(listerTools((await c.client.listTools()).tools.map((t) => t.name)).sort()).toEqual(["lister__held_alpha", "lister__held_beta"])
    } finally {
      await c.close()
    }
  }, 20_000)
})

describe("orchestrator_status says which servers the first answer had only some tools of", () => {
  test("a first listing still reading pages when the answer went out: notInFirstList says so, notInYourList names the rest once listed", async () => {
    const { env, cfg, home } = slowLister((h) => ["--paged", "--page2-gate", join(h, "page2")])
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(listerTools((await c.client.listTools()).tools.map((t) => t.name)).sort()).toEqual(["lister__held_alpha", "lister__held_beta"])
      const row = async (): Promise<{ notInFirstList?: string; notInYourList?: { names: string[] } }> => {
        const st = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: { name: string; notInFirstList?: string; notInYourList?: { names: string[] } }[] }
        return st.servers.find((s) => s.name === "lister")!
      }
      // before: nothing said, as if the answer had all its tools
      expect((await row()).notInFirstList).toContain("only some of its tools were in this connection's first tools/list answer (its first listing was still reading pages: 2 tools from 1 pages)")
      writeFileSync(join(home, "page2"), "")
      let names: string[] = []
      for (let i = 0; i < 300 && !names.includes("lister__echo"); i++) {
        names = (await row()).notInYourList?.names ?? []
        if (!names.includes("lister__echo")) await Bun.sleep(50)
      }
      expect(names).toContain("lister__echo")
      expect((await row()).notInFirstList).toContain("only some of its tools")
    } finally {
      await c.close()
    }
  }, 60_000)
})

describe("doctor stores the tool lists it got", () => {
  test("the next serve answers with them at once, the server not started", async () => {
    const { env, cfg, gate } = setup(["  firstListWait: 1000"])
    writeFileSync(gate, "")
    const doctor = Bun.spawnSync([BIN, "doctor", "--config", cfg, "--json"], { env, cwd: env.HOME })
    const rows = (JSON.parse(doctor.stdout.toString()) as { servers: { name: string; status: string; tools?: number }[] }).servers
    expect(rows.find((r) => r.name === "slow")).toMatchObject({ status: "ok" })
    // it could not start now: the answer comes from what doctor stored
    rmSync(gate)
    expect(existsSync(gate)).toBe(false)
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect(slowTools((await c.client.listTools()).tools.map((t) => t.name))).toBe(rows.find((r) => r.name === "slow")!.tools!)
      expect(c.stderr()).not.toContain(FIRST_LINE)
    } finally {
      await c.close()
    }
  }, 90_000)

  test("listed with the capabilities serve declares: a server that lists tools by them (server-everything's sampling, elicitation, roots tools) is stored whole", async () => {
    // doctor declared none, so the next serve's first answer (which Cursor keeps) lacked these three
    const { env, cfg, gate } = setup(["  firstListWait: 1000"])
    writeFileSync(gate, "")
    const doctor = Bun.spawnSync([BIN, "doctor", "--config", cfg], { env, cwd: env.HOME })
    expect(doctor.stdout.toString()).toMatch(/✓ servers: server slow started/)
    rmSync(gate)
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name)
      expect(names).toEqual(expect.arrayContaining(["slow__trigger-sampling-request", "slow__trigger-elicitation-request", "slow__get-roots-list"]))
    } finally {
      await c.close()
    }
  }, 90_000)
})
