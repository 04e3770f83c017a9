import { describe, expect, test } from "bun:test"
import { parseServeArgs } from "../../src/cli/serve-args.ts"

describe("cli/serve-args: a plain serve command line without commander", () => {
  test("reads what Cursor and the docs pass", () => {
    expect(parseServeArgs([])).toEqual({ stdio: true })
    expect(parseServeArgs(["serve"])).toEqual({ stdio: true })
    expect(parseServeArgs(["serve", "--config", "/c.yaml"])).toEqual({ stdio: true, config: "/c.yaml" })
    expect(parseServeArgs(["-c", "/c.yaml", "--toolset=ro"])).toEqual({ stdio: true, config: "/c.yaml", toolset: "ro" })
    expect(parseServeArgs(["serve", "--http", "8080", "--no-stdio", "--log-level", "debug", "--cache-dir", "/k", "--profile", "p"])).toEqual({
      stdio: false,
      http: "8080",
      logLevel: "debug",
      cacheDir: "/k",
      profile: "p",
    })
    expect(parseServeArgs(["--plugins", "/a", "--plugins=/b"])).toEqual({ stdio: true, plugins: ["/a", "/b"] })
  })

  test("leaves everything else to commander (help, other commands, unknown or repeated flags, odd values)", () => {
    for (const args of [
      ["--help"],
      ["serve", "-h"],
      ["-V"],
      ["doctor"],
      ["version"],
      ["--config", "x", "serve"],
      ["serve", "--bogus"],
      ["serve", "--config"],
      ["serve", "--config", "-x"],
      ["serve", "--config", ""],
      ["serve", "--config", "a", "--config", "b"],
      ["serve", "--no-stdio", "--no-stdio"],
      ["serve", "-cfile"],
      ["serve", "extra"],
    ]) {
      expect({ args, parsed: parseServeArgs(args) }).toEqual({ args, parsed: undefined })
    }
  })
})
