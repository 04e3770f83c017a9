/** How the authorization URL is opened: $BROWSER (colon list, %s), else the platform opener; argv only. */
import { describe, expect, test } from "bun:test"
import { browserCommands, openUrl } from "../../src/auth/index.ts"

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
})
