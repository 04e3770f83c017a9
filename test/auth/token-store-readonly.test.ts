/**
 * A serving session whose token directory cannot be written (read-only, full, another owner) meets
 * an expired access token. The refresh's new tokens — a rotated refresh token with them — could not
 * be stored, and the write's error failed the request: every call of the server failed as a
 * connection failure ("EPERM … check that the remote server is running"), the server restarted in
 * a loop, the tokens the authorization server had just issued were dropped. Now they are kept in
 * memory for the run (said once, naming the file, never a token): the calls go on, and the next
 * refresh presents the refresh token the last one was given (a replay of the spent one would make
 * oidc-provider revoke the whole grant). Through the compiled binary against oidc-provider, whose
 * refresh tokens rotate; the directory is made read-only for real (`chattr +i` as root, who ignores
 * modes; mode 0500 otherwise).
 */
import { expect, test } from "bun:test"
import { chmodSync, readFileSync } from "node:fs"
import { dirname } from "node:path"
import { logIn, sandbox, started, storedTokens, whoami } from "./helpers.ts"

const { world, serve } = started()

/** Makes `dir` refuse new files for real; returns the undo. */
function readOnly(dir: string): () => void {
  if (process.getuid?.() === 0) {
    if (Bun.spawnSync(["chattr", "+i", dir]).exitCode !== 0) throw new Error("chattr +i failed: cannot make the directory read-only as root")
    return () => void Bun.spawnSync(["chattr", "-i", dir])
  }
  chmodSync(dir, 0o500)
  return () => chmodSync(dir, 0o700)
}

test("refreshes whose tokens cannot be written: the calls go on with them, the next refresh uses the rotated token, one warning", async () => {
  const w = await world()
  const sb = sandbox({ remote: { url: w.mcpUrl } })
  await logIn(sb)
  const first = storedTokens(sb)
  const onFile = readFileSync(sb.tokenFile, "utf8")
  const c = await serve(sb)
  expect((await whoami(c)).text).toContain("hello from the protected server")
  const undo = readOnly(dirname(sb.tokenFile))
  try {
    for (let round = 0; round < 2; round++) {
      // a refresh token issued within 5 s is answered with its issuing answer (auth/serve JUST_ISSUED_MS):
      // the second round's must be presented to the authorization server
      if (round > 0) await Bun.sleep(5_500)
      // the access token dies server-side: the call refreshes
      expect(await w.revokeAccessTokens()).toBeGreaterThan(0)
      const r = await whoami(c)
      expect(r.text).toContain("hello from the protected server")
      expect((await whoami(c)).text).toContain("hello from the protected server")
    }
  } finally {
    undo()
  }
  // two refreshes, each with the refresh token the one before was given: none refused, the grant lives
  expect(w.tokenRequests.map((r) => r.grant)).toEqual(["authorization_code", "refresh_token", "refresh_token"])
  expect(await w.liveRefreshTokens()).toBeGreaterThan(0)
  // the file is as it was; said once, naming the file, never a token
  expect(readFileSync(sb.tokenFile, "utf8")).toBe(onFile)
  const warnings = c.stderr().split("\n").filter((l) => l.includes("the token file could not be written"))
  expect(warnings).toHaveLength(1)
  expect(warnings[0]).toContain(sb.tokenFile)
  expect(c.stderr()).not.toContain(first.access_token)
  expect(c.stderr()).not.toContain(first.refresh_token!)
}, 120_000)
