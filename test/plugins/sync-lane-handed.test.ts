/**
 * @module test/plugins/sync-lane-handed
 * The sync lane (a parser plugin's calls, sandbox/sync-lane) scrubs a guest's console lines as the
 * async lane does: what the call was handed passes on as it is, only what the code makes of a
 * configured value (reversed, upper-cased) is masked. Before, a sync call's line was scrubbed with
 * nothing counted as handed (its line reaches the host after the call returned), and a parser
 * logging the text it was given had the model's order number `87654321` (with `12345678`
 * configured) or `Password1` (with `password1`) masked in the log.
 */
import { afterAll, expect, test } from "bun:test"
import { createLogHub, createLogger, secrets, type LogRecord } from "../../src/core/index.ts"
import { Sandbox } from "../../src/sandbox/index.ts"

const GROUP = "test:sync-lane-handed"
secrets.set(GROUP, ["12345678", "password1"])
afterAll(() => secrets.set(GROUP, []))

const TEXT = "order 87654321 shipped; Password1 is weak"
const SOURCE = `export default { parse(text, made) { console.log("got " + text + " made " + [...made].reverse().join("")); return text.length } }`

test("a sync call's console line keeps what the call was handed and masks what the code made", async () => {
  const lines: string[] = []
  let wake: () => void = () => {}
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r: LogRecord) => {
    if (r.guest) lines.push(String(r.msg))
    wake()
  })
  await using sb = new Sandbox({ label: "parser", log: createLogger(hub, "t") })
  await sb.load(SOURCE, "parser.js", 1000)
  // three calls in one turn: each line is judged by its own call's arguments only
  expect(sb.callSync(["parse"], [TEXT, "password1"], 1000)).toBe(TEXT.length)
  expect(sb.callSync(["parse"], ["plain", "12345678"], 1000)).toBe(5)
  expect(sb.callSync(["parse"], ["x", "x"], 1000)).toBe(1)
  while (lines.length < 3) await new Promise<void>((r) => (wake = r))
  expect(lines).toEqual([`got ${TEXT} made [REDACTED]`, "got plain made [REDACTED]", "got x made x"])
})
