/**
 * @module test/docker/version-line-bytes.test
 * `docker mcp` output with bytes a terminal does not show: a text-mode pipe doubling a CRLF's CR
 * (`v0.43.3\r\r\n`), a BOM, colour codes, a zero-width mark. A terminal shows `v0.43.3`; the driver
 * read `unknown` (and a JSON answer or an error line so ended as empty). Expected: read as shown.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { terminalText } from "../../src/core/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("one-line reads through terminal-invisible bytes", () => {
  test.each([
    ["a doubled CR", "v0.20.0\r\r\n"],
    ["a lone trailing CR, no line end", "v0.20.0\r"],
    ["a BOM, colour codes and a doubled CR", "\uFEFF\u001b[32mv0.20.0\u001b[0m\r\r\n"],
    ["a zero-width mark inside the line", "\u200Bv0.20.0\u200B\r\r\n"],
    ["a notice line first, both with doubled CRs", "WARNING: Docker Desktop 4.62.0 is available\r\r\nv0.20.0\r\r\n"],
  ])("`docker mcp version` printing %s reads as the version a terminal shows", async (_, stdout) => {
    const f = fake({ version: "v0.20.0" })
    f.setOutput("version", { stdout })
    expect(await createToolkitDriver({ env: f.env }).status()).toMatchObject({ era: "legacy", version: "v0.20.0" })
  })

  test("a JSON answer whose line ends are `\\r\\r\\n` is read, not taken as empty output", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("version", { stdout: "v0.43.3\r\r\n" })
    f.setOutput("secret ls", { stdout: '[{"name":"a.b","provider":"docker-pass"}]\r\r\n' })
    const d = createToolkitDriver({ env: f.env })
    expect(await d.secretsList()).toEqual([{ name: "a.b", provider: "docker-pass" }])
    expect(await d.status()).toMatchObject({ era: "profiles", version: "v0.43.3" })
  })

  test("an error line on stderr ending `\\r\\r\\n` is still the error (a plugin without `version`: the era is probed)", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("version", { stdout: "", stderr: 'unknown command "version" for "docker mcp"\r\r\n', exit: 1 })
    expect(await createToolkitDriver({ env: f.env }).status()).toMatchObject({ era: "profiles", version: "unknown" })
  })
})

describe("terminalText: each line's last state, as a terminal shows it", () => {
  test.each([
    ["v0.43.3\r\r\n", "v0.43.3\r\n"],
    ["x\r\r", "x\r"],
    ["a\r\nb\r\n", "a\r\nb\r\n"],
    ["⠋ Pulling\r⠙ Pulling\r[1]\n", "[1]\n"],
    ["⠋ Pulling\r\u001b[K[]", "[]"],
    ["⠋ Pulling\u001b[2K\r\n{}", "\r\n{}"],
    ["abc\u001b[Kdef", "abcdef"],
    ["\u001b[31mError:\u001b[0m boom\r\r\n", "Error: boom\r\n"],
  ])("%j → %j", (input, shown) => {
    expect(terminalText(input)).toBe(shown)
  })
})
