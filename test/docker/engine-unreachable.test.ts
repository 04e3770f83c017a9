/**
 * @module test/docker/engine-unreachable.test
 * docker cannot reach its engine, said in words no phrase list holds: a Windows named pipe that is
 * missing (Docker Desktop stopped) in the system's own language, a docker context that was
 * deleted, an engine error coloured by a wrapper that forces colour. Expected: DAEMON_DOWN naming
 * the command and what to do (not "COMMAND_FAILED … run it by hand"), and no escape debris in it.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("the engine is not reachable, however docker words it", () => {
  test("a missing Windows engine pipe, in German with CRLF: DAEMON_DOWN, start Docker Desktop", async () => {
    const f = fake({ version: "v0.43.3", fail: "engine-pipe-missing" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
    expect(err.code).toBe("DAEMON_DOWN")
    expect(err.message).toContain("docker mcp profile server ls")
    expect(err.message).toContain("Toolkit v0.43.3")
    expect(err.remedy).toContain("Start Docker Desktop")
    expect(err.message).not.toContain("\r")
  })

  test("a deleted docker context (every command, `version` too): DAEMON_DOWN naming the context, `docker context use`", async () => {
    const f = fake({ version: "v0.43.3", fail: "context-missing" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).status())
    expect(err.code).toBe("DAEMON_DOWN")
    expect(err.message).toContain("desktop-linux")
    expect(err.message).toContain("docker mcp version")
    expect(err.remedy).toContain("docker context use")
  })

  test("an engine error with colour codes inside its phrase is still read, and quoted without them", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", {
      stdout: "",
      stderr: "\u001b[31mError:\u001b[0m Cannot connect to the \u001b[1mDocker daemon\u001b[0m at unix:///var/run/docker.sock. Is the docker daemon running?\n",
      exit: 1,
    })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serversList())
    expect(err.code).toBe("DAEMON_DOWN")
    expect(err.message).toContain("Error: Cannot connect to the Docker daemon")
    expect(err.message).not.toMatch(/\u001b|\[\d+m/)
    expect(JSON.stringify(err.details)).not.toMatch(/\\u001b|\[\d+m/)
  })

  test("the secrets engine's socket is not the Docker engine: its error stays the secret command's own", async () => {
    const f = fake({ version: "v0.43.3", fail: "secrets-engine-down" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).secretsList())
    expect(err.code).not.toBe("DAEMON_DOWN")
  })
})
