/** The rule for remote-supplied URLs we fetch, follow, show or open: https, or http to a loopback host. */
import { describe, expect, test } from "bun:test"
import { isLoopbackHostname, isSecureWebUrl, secrets, shownUrl } from "../../src/core/index.ts"

describe("secure web URLs", () => {
  test("https anywhere; http only to 127.0.0.0/8, ::1, localhost", () => {
    for (const ok of ["https://auth.example.com/authorize", "https://127.0.0.1/x", "http://127.0.0.1:8080/cb", "http://127.9.8.7/", "http://[::1]:3000/", "http://localhost/", "http://LOCALHOST:1/a", "http://127.1/", new URL("https://x.example/")]) {
      expect([String(ok), isSecureWebUrl(ok)]).toEqual([String(ok), true])
    }
    for (const bad of [
      "http://example.com/authorize",
      "http://10.0.0.1/",
      "http://192.168.1.2/",
      "http://127.0.0.1.evil.example/",
      "http://localhost.evil.example/",
      "http://[::ffff:10.0.0.1]/",
      "file:///etc/passwd",
      "smb://evil.example/share",
      "vscode://evil.ext/run?x=1",
      "javascript:alert(1)",
      "data:text/html,hi",
      "ftp://example.com/",
      "not a url",
      "",
      42,
      undefined,
    ]) {
      expect([bad, isSecureWebUrl(bad)]).toEqual([bad, false])
    }
  })

  test("loopback host names (WHATWG hostnames)", () => {
    expect(isLoopbackHostname("127.0.0.1")).toBe(true)
    expect(isLoopbackHostname("[::1]")).toBe(true)
    expect(isLoopbackHostname("localhost")).toBe(true)
    expect(isLoopbackHostname("128.0.0.1")).toBe(false)
    expect(isLoopbackHostname("localhost.example")).toBe(false)
  })

  test("a remote value in a message is quoted, escaped and bounded", () => {
    expect(shownUrl("file:///x\u001b[31m")).toBe('"file:///x\\u001b[31m"')
    expect(shownUrl("x".repeat(500)).length).toBeLessThan(210)
  })
})

test("a remote's URL quoted in a message is not cut inside a configured secret (qa186: a plain slice kept its first characters)", () => {
  secrets.set("web-url-test", ["Wq7Lp2Zm9Xk4Rv8TcB"])
  try {
    // the secret across the 200th character: left out whole, so no first part of it remains
    const url = `https://auth.example/${"a".repeat(170)}?t=Wq7Lp2Zm9Xk4Rv8TcB&x=1`
    const shown = shownUrl(url)
    expect(shown).not.toContain("Wq7Lp2")
    expect(shown).toContain("?t=")
  } finally {
    secrets.delete("web-url-test")
  }
})
