/**
 * @module core/logger
 * JSON-lines logger. Writes to stderr only (stdout is the MCP channel in stdio mode).
 * Every record is redacted. Extra sinks (e.g. MCP `notifications/message`) can subscribe.
 */
import { writeStderr } from "./stderr-out.ts"
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

/**
 * Extra fields of a record, or a function that returns them: it runs only if the record is
 * written, and for batched info/debug lines only when the batch is (keep it pure).
 */
export type LogFields = Record<string, unknown> | (() => Record<string, unknown>)

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger for a sub-component sharing level and sinks. */
  child(component: string): Logger
  isEnabled(level: LogLevel): boolean
}

/** One JSON line, or a function that builds it when the batch is written (off the hot path). */
export type LogLine = string | (() => string)

export interface LogHub {
  level: LogLevel
  sinks: Set<LogSink>
  /** `urgent`: warnings and errors, written without batching delay. */
  write: (line: LogLine, urgent?: boolean) => void
}

/**
 * Lines are batched: they go out in one write at most 20 ms later (or at once past 256 records),
 * and deferred lines are only formatted (redacted, stringified) then, so the tool-usage line costs
 * neither a syscall nor its formatting on the hot path. Pending lines are flushed synchronously on
 * exit, and warnings/errors are never held back.
 */
function stderrWriter(): (line: LogLine, urgent?: boolean) => void {
  let pending: LogLine[] = []
  let bytes = 0
  let scheduled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = (): void => {
    scheduled = false
    bytes = 0
    if (timer) clearTimeout(timer)
    timer = undefined
    if (pending.length === 0) return
    const lines = pending
    pending = []
    let text = ""
    for (const l of lines) {
      try {
        text += typeof l === "string" ? l : l()
      } catch {
        // a record that cannot be formatted is dropped, never the batch
      }
    }
    // never blocks: a client that does not read our stderr cannot stop the process (core/stderr-out)
    writeStderr(text)
  }
  process.on("exit", flush)
  return (line, urgent) => {
    pending.push(line)
    bytes += typeof line === "string" ? line.length : 256
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

/** `write` receives finished lines; without it, lines are batched to stderr. */
export function createLogHub(level: LogLevel = "info", write?: (line: string, urgent?: boolean) => void): LogHub {
  return { level, sinks: new Set(), write: write ? (l, urgent) => write(typeof l === "string" ? l : l(), urgent) : stderrWriter() }
}

let isoSecond = -1
let isoPrefix = ""

/** `Date#toISOString` for epoch ms, with the date and time up to the second reused within a second. */
export function isoTime(ts: number): string {
  const sec = Math.floor(ts / 1000)
  if (sec !== isoSecond) {
    isoSecond = sec
    isoPrefix = new Date(sec * 1000).toISOString().slice(0, -4) // "…T12:34:56."
  }
  const ms = ts - sec * 1000
  return `${isoPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`
}

function format(ts: number, level: LogLevel, component: string, msg: string, fields: LogFields | undefined): LogRecord {
  const record: LogRecord = { ts: isoTime(ts), level, component, msg: redactString(msg) }
  if (fields) {
    const clean = redact(typeof fields === "function" ? fields() : fields) as Record<string, unknown>
    for (const k of Object.keys(clean)) record[k] = clean[k]
  }
  return record
}

/** The record; fields that throw while being built are replaced by the error. */
function safeFormat(ts: number, level: LogLevel, component: string, msg: string, fields: LogFields | undefined): LogRecord {
  try {
    return format(ts, level, component, msg, fields)
  } catch (e) {
    return format(ts, level, component, msg, { fieldsError: String(e) })
  }
}

/** One JSON line; a record that cannot be serialised (a BigInt, a cycle) keeps its message and says why. */
function toLine(r: LogRecord): string {
  try {
    return JSON.stringify(r) + "\n"
  } catch (e) {
    return JSON.stringify({ ts: r.ts, level: r.level, component: r.component, msg: r.msg, fieldsError: String(e) }) + "\n"
  }
}

function formatLine(ts: number, level: LogLevel, component: string, msg: string, fields: LogFields | undefined): string {
  return toLine(safeFormat(ts, level, component, msg, fields))
}

export function createLogger(hub: LogHub, component = "orchestrator"): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    const toStderr = RANK[level] >= RANK[hub.level]
    if (!toStderr && hub.sinks.size === 0) return
    const ts = Date.now()
    if (hub.sinks.size === 0) {
      // Only stderr wants it: warnings and errors are formatted now; info and debug lines when the
      // batch is written (the fields are the caller's fresh object, not mutated afterwards).
      if (RANK[level] >= RANK.warn) hub.write(formatLine(ts, level, component, msg, fields), true)
      else hub.write(() => formatLine(ts, level, component, msg, fields), false)
      return
    }
    const record = safeFormat(ts, level, component, msg, fields)
    if (toStderr) hub.write(toLine(record), RANK[level] >= RANK.warn)
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
