/**
 * Regression (qa300): a pins file found damaged at start, with the Docker Toolkit on. The restore
 * pins what each configured server serves from its stored list (test/binary/pins-damaged-stored),
 * but the Toolkit gateway is no configured server: it is added once Docker answers, its stored list
 * under a key known only then, and it was left out: its tools stayed unpinned until a live listing,
 * so a definition that changed meanwhile would be pinned as new. Now its stored list is pinned as
 * it is loaded (`stored`: by the copy served), as the configured servers' are. Compiled binary, SDK
 * Client, the fake docker (its gateway runs server-everything).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { makeFakeDocker } from "../docker/fake.ts"
import { connectBinary, ensureBuilt, isAlive, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)
/** The gateway's `gateway run` starts this late (a first start pulling images): its stored list is served meanwhile. */
const GATEWAY_DELAY_MS = 8_000
const fake = makeFakeDocker({ version: "v0.27.0", delay: `gateway run=${GATEWAY_DELAY_MS}` })
afterAll(() => fake.cleanup())

type Pin = { hash: string; stored?: true }

function dockerPins(file: string): Record<string, Pin> | undefined {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { servers: Record<string, Record<string, Pin>> }).servers.docker
  } catch {
    return undefined
  }
}

test("the Toolkit gateway's stored tools are pinned again at the start that finds the pins file damaged", async () => {
  fake.writeState({ enabled: ["duckduckgo"] })
  const env = sandboxEnv({ PATH: `${fake.env.PATH!}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: fake.env.DOCKER_CONFIG! })
  const pinsFile = join(env.HOME!, "pins.json")
  const cfg = join(env.HOME!, "config.yaml")
  // the gateway only: nothing configured, so no restore of a configured server hides the gap
  writeFileSync(cfg, `toolkit: { enabled: "on" }\nplugins: { enabled: false }\nproxy:\n  pinTools: block\n  pinsFile: ${JSON.stringify(pinsFile)}\n`)

  // 1. the gateway listed live: its tools pinned, its list stored
  let run = await connectBinary(["serve", "--config", cfg], env)
  let live: Record<string, Pin>
  try {
    await waitFor("the gateway's tools listed", async () => (await run.client.listTools()).tools.some((t) => t.name === "docker__echo"), 90_000, 200)
    live = await waitFor("the gateway's pins written", () => {
      const p = dockerPins(pinsFile)
      return p !== undefined && Object.keys(p).length > 0 ? p : undefined
    }, 30_000, 50)
  } finally {
    await run.close()
    await waitFor("the orchestrator to exit", () => run.pid === undefined || !isAlive(run.pid), 15_000, 50)
  }

  // 2. the pins file left empty (a power loss): the next start pins the gateway's stored list again
  writeFileSync(pinsFile, "")
  run = await connectBinary(["serve", "--config", cfg], env)
  try {
    // the first answer has the gateway's tools from its stored list, the gateway not listed yet
    expect((await run.client.listTools()).tools.map((t) => t.name)).toContain("docker__echo")
    // pinned by the stored copy (`stored`), before the gateway answers: a live listing pins without the mark
    await waitFor("the gateway's tools pinned from its stored list", () => {
      const p = dockerPins(pinsFile)
      return p !== undefined && Object.values(p).some((x) => x.stored === true) ? true : undefined
    }, 30_000, 50)
    const restored = dockerPins(pinsFile)!
    // every tool the gateway listed, by the same definitions
    expect(Object.keys(restored).sort()).toEqual(Object.keys(live).sort())
    expect(run.stderr()).toMatch(/pins file was damaged[^\n]*pinned again/)
  } finally {
    await run.close()
  }
}, 240_000)
