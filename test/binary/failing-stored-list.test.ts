/**
 * Regression (QA qa305): a server that listed once and then failed every start (its script gone,
 * its definition unchanged) kept its stored list: its tools, which no call could reach, were in
 * every first tools/list answer (the one Cursor keeps) until it listed again. Now a server served
 * from its stored list whose start fails in two runs in a row has that list left out from the next
 * start on (a warning says so; the stored first answer is superseded), and once it lists again its
 * tools are announced and back in the next first answer. The compiled binary, the SDK's real
 * Client, fixture servers (test/fixtures/servers/rug-server.ts: it exits when its description file
 * is missing).
 */
import { beforeAll, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const RUG = join(import.meta.dir, "..", "fixtures", "servers", "rug-server.ts")

async function stop(run: Connected): Promise<void> {
  await run.close()
  await waitFor("the orchestrator to exit", () => run.pid === undefined || !isAlive(run.pid), 15_000, 50)
}

const firstNames = async (run: Connected): Promise<string[]> => (await run.client.listTools()).tools.map((t) => t.name)

test("a server failing every start drops out of the first answer after two runs, and comes back once it lists", async () => {
  const env = sandboxEnv()
  const brkDesc = join(env.HOME!, "brk.txt")
  const goodDesc = join(env.HOME!, "good.txt")
  writeFileSync(brkDesc, "Adds two numbers.")
  writeFileSync(goodDesc, "Adds two numbers.")
  const cfg = join(env.HOME!, "config.yaml")
  const server = (desc: string): string => `    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([RUG, desc])}\n`
  // warm: both are started at every start (the failure is seen in each run)
  writeFileSync(cfg, `toolkit:\n  enabled: "off"\nwarm: [brk, good]\nservers:\n  brk:\n${server(brkDesc)}  good:\n${server(goodDesc)}`)
  const serve = (): Promise<Connected> => connectBinary(["serve", "--config", cfg], env)

  let run = await serve()
  try {
    await listUntil(run.client, "brk__add")
    await listUntil(run.client, "good__add")
  } finally {
    await stop(run)
  }

  // its script's input gone: every start of it fails from now on (its definition unchanged)
  rmSync(brkDesc)
  for (const n of [1, 2]) {
    run = await serve()
    try {
      // one failed run may be a blip: still served from its stored list
      expect(await firstNames(run)).toContain("brk__add")
      await waitFor(`failed run ${n} noted`, () => /server noted as failing before it lists its tools[^\n]*"server":"brk"/.test(run.stderr()), 30_000, 100)
    } finally {
      await stop(run)
    }
  }

  run = await serve()
  try {
    const names = await firstNames(run)
    expect(names).toContain("good__add")
    expect(names).not.toContain("brk__add")
    await waitFor("the warning", () => /stored tools left out of the lists[^\n]*"server":"brk"/.test(run.stderr()), 20_000, 100)
  } finally {
    await stop(run)
  }

  // fixed: it lists in the background, its tools are announced, and the next first answer has them
  writeFileSync(brkDesc, "Adds two numbers.")
  run = await serve()
  try {
    await listUntil(run.client, "brk__add")
  } finally {
    await stop(run)
  }
  run = await serve()
  try {
    expect(await firstNames(run)).toContain("brk__add")
  } finally {
    await stop(run)
  }
}, 240_000)

test("a server removed, renamed or re-pointed: no first answer has its stored tools", async () => {
  const env = sandboxEnv()
  const one = join(env.HOME!, "one.txt")
  const two = join(env.HOME!, "two.txt")
  writeFileSync(one, "First description.")
  writeFileSync(two, "Second description.")
  const cfg = join(env.HOME!, "config.yaml")
  const write = (servers: Record<string, string>): void =>
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n${Object.entries(servers).map(([name, desc]) => `  ${name}:\n    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([RUG, desc])}\n`).join("")}`)
  const first = async (): Promise<Array<{ name: string; description?: string }>> => {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      const tools = (await run.client.listTools()).tools
      // let the run store what it listed before it ends
      await listUntil(run.client, tools.find((t) => t.name.endsWith("__add"))?.name ?? "keep__add")
      return tools
    } finally {
      await stop(run)
    }
  }
  write({ keep: one, b: one })
  await listUntilBoth()
  async function listUntilBoth(): Promise<void> {
    const run = await connectBinary(["serve", "--config", cfg], env)
    try {
      await listUntil(run.client, "keep__add")
      await listUntil(run.client, "b__add")
    } finally {
      await stop(run)
    }
  }
  write({ keep: one })
  expect((await first()).map((t) => t.name).filter((n) => n.startsWith("b__"))).toEqual([])
  write({ keep: one, c: one })
  const renamed = (await first()).map((t) => t.name)
  expect(renamed.filter((n) => n.startsWith("b__"))).toEqual([])
  write({ keep: one, b: two })
  const repointed = await first()
  expect(repointed.find((t) => t.name === "b__add")?.description).toBe("Second description.")
}, 240_000)
