/** The HTTP token rule (≥ 16 characters) is stated in the error, which never shows the token. */
import { expect, test } from "bun:test"
import { loadConfig } from "../../src/config/index.ts"
import { ConfigError } from "../../src/core/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

test("a short http.token is refused with the rule and its length, not its text", () => {
  let problems: readonly string[] = []
  try {
    loadConfig({ env: { HOME: "/nonexistent", XDG_CONFIG_HOME: "/nonexistent", MCPO_HTTP_TOKEN: "short-tok1" } })
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    problems = (e as ConfigError).problems
  }
  expect(problems).toEqual(["http.token (env MCPO_HTTP_TOKEN): the HTTP bearer token must be at least 16 characters (e.g. `openssl rand -hex 32`; leave it unset to have one generated); got 10 characters"])
  expect(loadConfig({ env: { HOME: "/nonexistent", XDG_CONFIG_HOME: "/nonexistent", MCPO_HTTP_TOKEN: "0123456789abcdef" } }).config.http.token).toBe("0123456789abcdef")
})
