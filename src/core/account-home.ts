/**
 * @module core/account-home
 * The home directory our own files go under (cache, state, config): $HOME when it is an absolute
 * path, else the account's, from the password database.
 *
 * os.homedir() (and os.userInfo().homedir) return $HOME itself when it is set, even relative, and
 * under Bun unsetting process.env.HOME does not change that (it reads the environment the process
 * started with). A relative HOME (an editor's launcher, a script's `HOME=.`) so named another
 * directory from each working directory we were started in: the cache, pins and era verdicts were
 * written into the user's project, and each window had its own. The password database is read
 * instead (/etc/passwd); with no entry there (an account from LDAP, sssd), a directory of this user's
 * under the temp directory: nothing is kept in a project.
 */
import { homedir, tmpdir } from "node:os"
import { isAbsolute, join } from "node:path"
import { readPlainText } from "./plain-file.ts"

let account: string | undefined

/** The user's home directory for `env`: its HOME when absolute, else `accountHome()`. */
export function homeDir(env: Record<string, string | undefined> = process.env): string {
  return env.HOME && isAbsolute(env.HOME) ? env.HOME : accountHome()
}

/** This process's account's home directory, always absolute (see the module). */
export function accountHome(): string {
  if (account !== undefined) return account
  const os = homedir()
  if (os && isAbsolute(os)) return (account = os)
  const uid = process.getuid?.()
  account = (uid === undefined ? undefined : passwdHome(uid)) ?? join(tmpdir(), `mcp-orchestrator-home-${uid ?? "user"}`)
  return account
}

/** The home field of `uid`'s line of /etc/passwd (name:pw:uid:gid:gecos:home:shell), if absolute. */
function passwdHome(uid: number): string | undefined {
  let text: string
  try {
    text = readPlainText("/etc/passwd")
  } catch {
    return undefined
  }
  return homeOf(text, uid)
}

/** The absolute home field of `uid`'s line in passwd-format `text`. */
function homeOf(text: string, uid: number): string | undefined {
  for (const line of text.split("\n")) {
    const f = line.split(":")
    if (f.length >= 7 && f[2] === String(uid) && f[5] && isAbsolute(f[5])) return f[5]
  }
  return undefined
}
