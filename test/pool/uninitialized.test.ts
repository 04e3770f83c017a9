/** pool/uninitialized: which error answers say the process behind a session was never initialized (it restarted on the same pipes). */
import { describe, expect, test } from "bun:test"
import { answersUninitialized } from "../../src/pool/uninitialized.ts"

const none = (): string => ""
const pythonWarning = (): string => "WARNING:root:Failed to validate request: Received request before initialization was complete\n"

describe("answersUninitialized", () => {
  test("SDK wordings of a session never initialized", () => {
    for (const m of ["Server not initialized", "Bad Request: Server not initialized", "Client not initialized yet [6f1c]", "session not initialized", "expected initialize request", "Received request before initialization was complete"]) {
      expect(answersUninitialized(-32600, m, none)).toBe(true)
    }
  })
  test("the Python SDK's bare -32602 only with its stderr warning", () => {
    expect(answersUninitialized(-32602, "Invalid request parameters", pythonWarning)).toBe(true)
    expect(answersUninitialized(-32602, "Invalid request parameters", none)).toBe(false)
  })
  test("a tool's own 'not initialized' is not read as a restart", () => {
    for (const m of ["Redis client not initialized", "git repository not initialized", "Database not initialized", "index not initialized; run setup first"]) {
      expect(answersUninitialized(-32603, m, none)).toBe(false)
    }
    expect(answersUninitialized(-32601, "Server not initialized", none)).toBe(false)
  })
})
