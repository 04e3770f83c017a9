/**
 * @module core/logger
 * JSON-lines logger. Writes to stderr only (stdout is the MCP channel in stdio mode).
 * Every record is redacted. Extra sinks (e.g. MCP `notifications/message`) can subscribe.
 */
import { writeSync } from "node:fs"
import { redact, redactString } from "./redact.ts"

export type LogLevel = "debug" | "info" | "warn" | "error"
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"]
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface LogRecord {
  ts: string
  level: LogLevel
  component: string
  msg: string
  [field: string]: unknown
}

export type LogSink = (record: LogRecord) => void

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  /** A logger for a sub-component sharing level and sinks. */
  child(component: string): Logger
  isEnabled(level: LogLevel): boolean
}

export interface LogHub {
  level: LogLevel
  sinks: Set<LogSink>
  write: (line: string) => void
}

/**
 * Lines written in the same turn of the event loop go out in one write (one syscall per tick, not
 * per line: the tool-usage line is on the hot path). Pending lines are flushed synchronously on exit.
 */
function stderrWriter(): (line: string) => void {
  let pending: string[] = []
  let scheduled = false
  const flush = (): void => {
    scheduled = false
    if (pending.length === 0) return
    const text = pending.join("")
    pending = []
    try {
      writeSync(2, text)
    } catch {
      try {
        process.stderr.write(text)
      } catch {
        // stderr closed: nothing sensible left to do
      }
    }
  }
  process.on("exit", flush)
  return (line) => {
    pending.push(line)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
}

export function createLogHub(level: LogLevel = "info", write: (line: string) => void = stderrWriter()): LogHub {
  return { level, sinks: new Set(), write }
}

export function createLogger(hub: LogHub, component = "orchestrator"): Logger {
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] < RANK[hub.level] && hub.sinks.size === 0) return
    const record: LogRecord = {
      ts: new Date().toISOString(),
      level,
      component,
      msg: redactString(msg),
      ...(fields ? (redact(fields) as Record<string, unknown>) : {}),
    }
    if (RANK[level] >= RANK[hub.level]) hub.write(JSON.stringify(record) + "\n")
    for (const sink of hub.sinks) {
      try {
        sink(record)
      } catch {
        // a failing sink never breaks logging
      }
    }
  }
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (c) => createLogger(hub, c),
    isEnabled: (l) => RANK[l] >= RANK[hub.level],
  }
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
  isEnabled: () => false,
}
