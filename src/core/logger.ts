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
  /** `urgent`: warnings and errors, written without batching delay. */
  write: (line: string, urgent?: boolean) => void
}

/**
 * Lines are batched: they go out in one write at most 20 ms later (or at once past 64 KiB), so the
 * tool-usage line costs no syscall of its own on the hot path. Pending lines are flushed
 * synchronously on exit, and warnings/errors are never held back.
 */
function stderrWriter(): (line: string, urgent?: boolean) => void {
  let pending: string[] = []
  let bytes = 0
  let scheduled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = (): void => {
    scheduled = false
    bytes = 0
    if (timer) clearTimeout(timer)
    timer = undefined
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
  return (line, urgent) => {
    pending.push(line)
    bytes += line.length
    if (urgent || bytes > 65_536) {
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    } else if (!timer && !scheduled) {
      timer = setTimeout(flush, 20)
      timer.unref?.()
    }
  }
}

export function createLogHub(level: LogLevel = "info", write: (line: string, urgent?: boolean) => void = stderrWriter()): LogHub {
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
    if (RANK[level] >= RANK[hub.level]) hub.write(JSON.stringify(record) + "\n", RANK[level] >= RANK.warn)
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
