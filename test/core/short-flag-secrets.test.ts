/**
 * @module test/core/short-flag-secrets
 * `collectArgSecrets` reads a password after a short flag (`-p pass`, `-ppass`, `-u user:pass`,
 * `--user=user:pass`), and leaves what such a flag takes otherwise: a port or a port mapping, a
 * uid:gid, a path, a name, a single-dash word, and a package runner's `-p <package>` (qa359); a
 * command line inside an argument (`sh -c "…"`) and a flag's attached value are read as argv.
 */
import { expect, test } from "bun:test"
import { collectArgSecrets } from "../../src/core/index.ts"

function read(args: string[], command?: string): string[] {
  const out: string[] = []
  collectArgSecrets(args, out, command)
  return out
}

test("a password after -p, attached to -p, or in a -u/--user pair is read", () => {
  expect(read(["-u", "app", "-p", "Hunter2!pass"], "mysql")).toEqual(["Hunter2!pass"])
  expect(read(["-uapp", "-pW0rd!secretz"], "mysql")).toEqual(["W0rd!secretz"])
  expect(read(["-p", "hunter22", "ssh", "host"], "sshpass")).toEqual(["hunter22"])
  expect(read(["-u", "admin:S3cret!x", "https://h"], "curl")).toEqual(["S3cret!x"])
  expect(read(["--user=admin:S3cret!x"], "curl")).toEqual(["S3cret!x"])
  // a whole command line as one string: its first word is the command
  const out: string[] = []
  collectArgSecrets("mysql -u app -p Hunter2!pass", out)
  expect(out).toEqual(["Hunter2!pass"])
})

test("ports, uid:gid, paths, names, single-dash words and a package runner's -p are not", () => {
  expect(read(["run", "-i", "-p", "8080:80", "-p", "127.0.0.1:3000:3000/tcp", "-p", "9000-9010:9000-9010", "-u", "1000:1000", "img"], "docker")).toEqual([])
  expect(read(["-p", "default", "-p", "/tmp/x", "-p", "./y", "-print0", "-pretty", "-p", "--verbose", "-u", "app:wheel"], "tool")).toEqual([])
  expect(read(["-y", "-p", "mcp-server-v2", "-p", "@scope/pkg@1.2.3", "bin"], "npx")).toEqual([])
  expect(read(["-p", "3.12", "mcp-server-x9"], "/usr/local/bin/uvx")).toEqual([])
  const out: string[] = []
  collectArgSecrets("npx -y -p mcp-server-v2 bin", out)
  expect(out).toEqual([])
})

test("a command line inside an argument is read as argv, each command with its own name; an attached flag value as a separate one", () => {
  expect(read(["-c", "mkdir -p data1 && cd data1 && exec node s.js --token 'Qq 1234zz' -p \"Hunter2!x\""], "sh")).toEqual(["Qq 1234zz", "Hunter2!x"])
  expect(read(["-lc", "echo hello world 2024 version v1.2.3; npx -y -p mcp-server-v2 bin"], "bash")).toEqual([])
  expect(read(["s.js", "--header=X-Api-Key: abcdef1234"], "node")).toEqual(["abcdef1234"])
})

test("JSON settings in an argument and a secret-named flag's value after a colon are read", () => {
  expect(read(["run", "@x/y", "--config", '{"apiKey":"abc123xyzq","region":"eu"}'], "npx")).toEqual(["abc123xyzq"])
  expect(read(['--config={"auth":{"token":"abc123xyzw"}}'], "node")).toEqual(["abc123xyzw"])
  expect(read(["--apikey:abc123xyze", "--header:Accept", "--port:8080"], "dotnet")).toEqual(["abc123xyze"])
})

test("a package runner's -p is its own only before the package: the server's -p after it is read; cp/ssh/node -p are no password", () => {
  expect(read(["-y", "@benborla29/mcp-server-mysql", "-u", "root", "-p", "Hunter2!x"], "npx")).toEqual(["Hunter2!x"])
  expect(read(["-y", "-p", "pkg2", "--registry", "https://r", "bin", "-p", "S3cr3t!pw"], "npx")).toEqual(["S3cr3t!pw"])
  expect(read(["--from", "pkg3", "-p", "3.12", "tool"], "uvx")).toEqual([])
  expect(read(["-c", "cp -p file1 /tmp/x && ssh -p 2222 host && node -p process.version2"], "sh")).toEqual([])
})
