import { describe, expect, test } from "bun:test"
import { parseConfigText } from "../../src/config/index.ts"
import { readJson } from "../../src/config/json-lines.ts"

const JSON_TEXT = `{
  "toolkit": { "enabled": "off" },
  "servers": {
    "a": { "command": "x", "args": ["1",
       "2", {"k": 3}] },
    "b\\"q": {
      "url": "http://x", "n": 5, "t": true
    }
  },
  "warm": []
}`

describe("config/json-lines: a JSON config without the YAML parser", () => {
  test("lines of key paths are those the YAML document gives", () => {
    const json = readJson(JSON_TEXT)!
    // a comment line makes it YAML (JSON.parse refuses it): the reference, one line further down
    const viaYaml = parseConfigText(`# yaml\n${JSON_TEXT}`, "c.yaml")
    const paths: (string | number)[][] = [["toolkit"], ["toolkit", "enabled"], ["servers", "a", "args", 0], ["servers", "a", "args", 1], ["servers", "a", "args", 2, "k"], ["servers", 'b"q', "n"], ["servers", 'b"q', "t"], ["warm"], ["nope"], ["servers", "zz"]]
    for (const p of paths) expect({ p, line: json.lineOf(p) }).toEqual({ p, line: viaYaml.lineOf(p)! - 1 })
    expect(json.values).toEqual(viaYaml.values)
  })

  test("a duplicate key is still an error with both lines", () => {
    expect(readJson('{"a": 1,\n"a": 2}')?.duplicate).toEqual({ path: ["a"], line: 2, firstLine: 1 })
    expect(() => parseConfigText('{"servers": {},\n "servers": {}}', "c.json")).toThrow(/servers \(c\.json:2\): duplicate key; it is already set on line 1/)
  })

  test("text that is not plain JSON goes to the YAML reader", () => {
    expect(readJson("servers: {}\n")).toBeUndefined()
    expect(parseConfigText("servers: {}\n", "c.yaml").values).toEqual({ servers: {} })
    expect(() => parseConfigText('{"a": [}', "c.yaml")).toThrow(/not valid YAML\/JSON/)
    // a .json file is JSON with comments, never YAML: its errors say where, by line and column
    expect(() => parseConfigText('{"a": [}', "c.json")).toThrow(/c\.json:1:8: not valid JSON: expected a value, found `}`/)
  })
})
