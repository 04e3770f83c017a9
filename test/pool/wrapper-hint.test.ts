/**
 * pool/wrapper-hint on npm's own stderr (npm 10/11, `npx @scope/pkg …` without -y, the package not
 * installed, stdin no terminal: the MCP pipe): the failed start names the config change to make.
 */
import { expect, test } from "bun:test"
import { stderrReason } from "../../src/pool/stderr-reason.ts"
import { wrapperHint } from "../../src/pool/wrapper-hint.ts"

const NPX_STDERR = [
  'npm error npx canceled due to missing packages and no YES option: ["@modelcontextprotocol/server-filesystem@2026.8.31"]',
  "npm error A complete log of this run can be found in: /root/.npm/_logs/2026-12-06T14_50_02_679Z-debug-0.log",
  "",
].join("\n")

test("npx without -y: the hint says to add -y to that server's args", () => {
  const hint = wrapperHint(stderrReason(NPX_STDERR), "files")
  expect(hint?.text).toContain("npx would ask before installing")
  expect(hint?.remedy).toStartWith('Add "-y" before the package name in servers.files.args')
})

test("other start failures get no npx hint", () => {
  expect(wrapperHint("npm error code E404\nnpm error 404 Not Found - GET https://packages.example/@x%2fy", "x")).toBeUndefined()
  expect(wrapperHint("Error: GITHUB_TOKEN is required", "g")).toBeUndefined()
})
