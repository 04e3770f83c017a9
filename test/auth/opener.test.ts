/**
 * How the authorization URL is opened: $BROWSER (colon list, %s), else the platform opener; argv
 * only; only https (or loopback http) URLs, never through cmd.exe on Windows.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { browserCommands, openUrl } from "../../src/auth/index.ts"
import { OrchestratorError } from "../../src/core/index.ts"
import { tempDir } from "../helpers/binary.ts"

const STUB = join(import.meta.dir, "fixtures", "stub-opener.ts")

/** $BROWSER as the stub opener, which appends its argv to a fresh log file. */
function stubEnv(): { env: Record<string, string>; log: string } {
  const log = join(tempDir("mcpo-opener-"), "opener.log")
  return { env: { BROWSER: `${process.execPath} ${STUB}`, OPENER_LOG: log, PATH: process.env.PATH ?? "/usr/bin:/bin" }, log }
}

async function logged(log: string): Promise<string[][]> {
  // the opener is started, not waited for: wait until its whole line is there (the file exists
  // between its creation and the write: read then, it was empty)
  const text = (): string => (existsSync(log) ? readFileSync(log, "utf8") : "")
  for (let i = 0; i < 400 && !text().endsWith("\n"); i++) await Bun.sleep(25)
  return text().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[])
}

const URL_ = "http://127.0.0.1:1/auth?a=1&state=x;y"

describe("browser opener", () => {
  test("$BROWSER: a colon-separated list; %s replaced, else the URL appended; never a shell", () => {
    expect(browserCommands(URL_, { BROWSER: "firefox --new-window:lynx %s -dump" })).toEqual([
      ["firefox", "--new-window", URL_],
      ["lynx", URL_, "-dump"],
    ])
  })

  test("without $BROWSER: the platform opener", () => {
    expect(browserCommands(URL_, {}, "linux")).toEqual([["xdg-open", URL_]])
    expect(browserCommands(URL_, {}, "darwin")).toEqual([["open", URL_]])
    expect(browserCommands(URL_, { BROWSER: "  " }, "darwin")).toEqual([["open", URL_]])
  })

  test("an opener that cannot start is reported, so the caller prints the URL", async () => {
    expect(await openUrl(URL_, { BROWSER: "/nonexistent/browser-for-test", PATH: "/nonexistent" })).toEqual({ via: undefined })
    expect(await openUrl(URL_, { BROWSER: "/bin/true", PATH: "/usr/bin:/bin" })).toEqual({ via: "/bin/true" })
  })

  test("anything but https (or http to a loopback host) is refused, and the opener never runs", async () => {
    for (const bad of ["file:///etc/passwd", "smb://evil.example/share", "vscode://evil.ext/run?x=1", "http://example.com/authorize", "javascript:alert(1)", "not a url"]) {
      const { env, log } = stubEnv()
      let err: unknown
      await openUrl(bad, env).catch((e: unknown) => (err = e))
      expect(err).toBeInstanceOf(OrchestratorError)
      expect((err as OrchestratorError).code).toBe("OAUTH_INSECURE_URL")
      expect((err as Error).message).toContain(JSON.stringify(bad))
      expect(existsSync(log)).toBe(false)
    }
  })

  test("an https URL reaches the opener as one argv element, in its normalised form", async () => {
    const { env, log } = stubEnv()
    expect(await openUrl('https://auth.example.com/a b"c?x=1&y=2', env)).toEqual({ via: process.execPath })
    expect(await logged(log)).toEqual([["https://auth.example.com/a%20b%22c?x=1&y=2"]])
  })

  test("Windows: rundll32 gets the URL as its own argument; $BROWSER entries cmd.exe would run are skipped; ';' separates entries", () => {
    const u = "https://auth.example.com/authorize?a=1&b=2"
    expect(browserCommands(u, {}, "win32")).toEqual([["rundll32", "url.dll,FileProtocolHandler", u]])
    const browser = "C:\\tools\\open.cmd;cmd /c start %s;start %s;x.BAT;C:\\Browsers\\firefox.exe -new-tab %s"
    expect(browserCommands(u, { BROWSER: browser }, "win32")).toEqual([["C:\\Browsers\\firefox.exe", "-new-tab", u]])
    // nothing left to run: the caller prints the URL
    expect(browserCommands(u, { BROWSER: "cmd.exe /c start" }, "win32")).toEqual([])
  })
})
