/**
 * @module test/docker/fake
 * Puts test/fixtures/fake-docker on a private PATH as `docker` (a tiny wrapper that fixes the fake's
 * version, state dir and failure modes) and gives tests the env to hand to the driver.
 */
import { afterAll } from "bun:test"
import { mkdtempSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"

export const REPO = resolve(import.meta.dir, "..", "..")
export const FAKE = join(REPO, "test", "fixtures", "fake-docker")

export interface FakeOptions {
  version: string
  /** Comma-separated FAKE_DOCKER_FAIL modes. */
  fail?: string
  /** v0.28–v0.41: turn profiles on through the docker config feature flag. */
  profiles?: boolean
  slowMs?: number
  /** A catalog file (raw legacy format) the fake serves instead of fake-docker-data/catalog.yaml. */
  catalog?: string
  /** FAKE_DOCKER_DELAY: `"profile create=500,config read=400"`, commands that wait so long before they run. */
  delay?: string
  /** With `fail: "desktop-starting"`: how many commands fail so before the engine is up (default: all). */
  startingRuns?: number
  /** With `fail: "daemon-down"`: how many commands find no engine before its socket appears (default: all). */
  downRuns?: number
}

export interface FakeDocker {
  dir: string
  stateDir: string
  env: Record<string, string>
  argvLog(): string[][]
  envLog(): string[][]
  setProfilesFeature(on: boolean): void
  /** An in-place upgrade (or downgrade): from now on `docker mcp` is this version. */
  setVersion(version: string): void
  /**
   * From now on, a command whose argv (after `mcp`) starts with `cmd` prints `stdout` (and
   * `stderr`) and exits with `exit` (default 0): a Toolkit printing what nobody has seen yet.
   * Replaces the previous one; `undefined` removes it. `run: true`: printed, then the command runs
   * as usual (its own output and exit follow: a warning the real command prints beside its work).
   */
  setOutput(cmd: string | undefined, o?: { stdout: string | Uint8Array; stderr?: string; exit?: number; run?: boolean }): void
  /** From now on `docker mcp version` alone fails (exit 1, `stderr` or a crash's text); `false`: it answers again. */
  breakVersion(broken?: boolean | string): void
  /**
   * Another `docker mcp` holds the profiles database (`true`) or let it go: profile writes fail with
   * SQLite's "database is locked". A number: so many writes fail, then it is let go.
   */
  lockDatabase(locked: boolean | number): void
  /** Docker comes up now: daemon-down, desktop-starting and desktop-not-running stop failing. */
  engineUp(): void
  /** The fake's persistent state (state.json), e.g. its legacy config.yaml text. */
  state(): { configYaml: string } & Record<string, unknown>
  /** Writes (merges into) its state, e.g. a config.yaml the user wrote by hand. */
  writeState(patch: Record<string, unknown>): void
  cleanup(): void
}

export function makeFakeDocker(o: FakeOptions): FakeDocker {
  const dir = mkdtempSync(join(tmpdir(), "fake-docker-"))
  const bin = join(dir, "bin")
  const stateDir = join(dir, "state")
  const dockerConfig = join(dir, "dockercfg")
  mkdirSync(bin)
  mkdirSync(stateDir)
  mkdirSync(dockerConfig)
  const vars: Record<string, string> = { FAKE_DOCKER_MCP_VERSION: o.version, FAKE_DOCKER_STATE: stateDir }
  if (o.fail) vars.FAKE_DOCKER_FAIL = o.fail
  if (o.slowMs !== undefined) vars.FAKE_DOCKER_SLOW_MS = String(o.slowMs)
  if (o.catalog !== undefined) vars.FAKE_DOCKER_CATALOG = o.catalog
  if (o.delay !== undefined) vars.FAKE_DOCKER_DELAY = o.delay
  if (o.startingRuns !== undefined) vars.FAKE_DOCKER_STARTING_RUNS = String(o.startingRuns)
  if (o.downRuns !== undefined) vars.FAKE_DOCKER_DOWN_RUNS = String(o.downRuns)
  const exports = Object.entries(vars).map(([k, v]) => `export ${k}='${v}'`).join("\n")
  writeFileSync(join(bin, "docker"), `#!/bin/sh\n${exports}\nexec '${process.execPath}' '${FAKE}' "$@"\n`, { mode: 0o755 })
  const setProfilesFeature = (on: boolean): void => {
    writeFileSync(join(dockerConfig, "config.json"), JSON.stringify({ auths: {}, features: { profiles: on ? "enabled" : "disabled" } }))
  }
  if (o.profiles !== undefined) setProfilesFeature(o.profiles)
  const readLines = (f: string): string[][] =>
    existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]) : []
  return {
    dir,
    stateDir,
    env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, DOCKER_CONFIG: dockerConfig, SECRET_TOKEN: "must-not-leak" },
    argvLog: () => readLines(join(stateDir, "argv.log")),
    envLog: () => readLines(join(stateDir, "env.log")),
    setProfilesFeature,
    setVersion: (version: string) => {
      writeFileSync(join(stateDir, "version"), `${version}\n`)
      // as an upgrade does it: the plugin binary in the user's cli-plugins replaced (a new file, renamed over the old)
      const plugins = join(dockerConfig, "cli-plugins")
      mkdirSync(plugins, { recursive: true })
      writeFileSync(join(plugins, "docker-mcp.new"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 })
      renameSync(join(plugins, "docker-mcp.new"), join(plugins, "docker-mcp"))
    },
    // in the state dir, not the wrapper: a docker executable replaced is another CLI to the
    // Toolkit cache (its key stamps the executable), and these outputs are the same CLI's
    setOutput: (cmd, out) => {
      const file = join(stateDir, "output.json")
      if (cmd === undefined || out === undefined) return rmSync(file, { force: true })
      writeFileSync(join(dir, "out.stdout"), out.stdout)
      writeFileSync(join(dir, "out.stderr"), out.stderr ?? "")
      // written whole then renamed: a command running meanwhile reads the old or the new one
      writeFileSync(`${file}.new`, JSON.stringify({ forCmd: cmd, stdoutFile: join(dir, "out.stdout"), stderrFile: join(dir, "out.stderr"), exit: out.exit ?? 0, ...(out.run ? { run: true } : {}) }))
      renameSync(`${file}.new`, file)
    },
    engineUp: () => writeFileSync(join(stateDir, "engine-up"), ""),
    lockDatabase: (locked) => (locked === false ? rmSync(join(stateDir, "db-locked"), { force: true }) : writeFileSync(join(stateDir, "db-locked"), locked === true ? "" : String(locked))),
    breakVersion: (broken = true) => {
      if (broken === false) rmSync(join(stateDir, "version-fails"), { force: true })
      else writeFileSync(join(stateDir, "version-fails"), broken === true ? "" : broken)
    },
    state: () => {
      const f = join(stateDir, "state.json")
      return existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : { configYaml: "" }
    },
    writeState: (patch) => {
      const f = join(stateDir, "state.json")
      const cur = existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : { enabled: [], configYaml: "", profiles: {}, pulled: false, secrets: [] }
      writeFileSync(f, JSON.stringify({ ...cur, ...patch }, null, 2))
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/**
 * A `fake(options)` maker for one test file: every fake it makes is cleaned up after the file's
 * tests (call it at the file's top level).
 */
export function fakeDockers(): (o: FakeOptions) => FakeDocker {
  const made: FakeDocker[] = []
  afterAll(() => made.forEach((f) => f.cleanup()))
  return (o) => {
    const f = makeFakeDocker(o)
    made.push(f)
    return f
  }
}
