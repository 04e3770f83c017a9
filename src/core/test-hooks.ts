/**
 * @module core/test-hooks
 * Every `MCPO_TEST_*` variable the product reads, read here and nowhere else (test/architecture
 * test-hooks holds every other file to it), so that what a test can make the binary do is listed in
 * one place. Unset, each does nothing. Variables of the test suite itself (MCPO_TEST_BIN,
 * MCPO_TEST_VERBOSE…) reach the binary in its tests too: they are read by tests only, and config/env
 * never reports the prefix as an unknown setting.
 */
import { existsSync } from "node:fs"

/** The prefix of the test suite's variables (config/env: never reported as unknown). */
export const TEST_ENV_PREFIX = "MCPO_TEST_"

/** Each variable the product reads, and what it does. */
export const TEST_HOOKS = {
  /** Holds the main thread this many ms at the start of serve's graceful shutdown steps, as a huge downstream list being processed does (test/faults/held-shutdown: the exit guard must end the process anyway). */
  MCPO_TEST_HOLD_SHUTDOWN_MS: "hold the main thread N ms at the start of the shutdown",
  /** Sends this signal (SIGTERM, SIGINT) to the process itself once, right before the start's first FIFO wait would begin: the signal then comes after the event loop's last turn, as a client's SIGTERM can (test/binary/fifo-signal-window). */
  MCPO_TEST_SIGNAL_BEFORE_FIFO_WAIT: "send this signal to itself once, right before the start's FIFO wait",
  /** Holds the main thread this many ms once the file MCPO_TEST_HOLD_LOOP_WHEN exists (looked for every 100 ms; the test writes it when it is ready), as a long synchronous step does (test/faults/held-parent-exit: the watchdog must end the process once its parent is gone). */
  MCPO_TEST_HOLD_LOOP_MS: "hold the main thread N ms once the file MCPO_TEST_HOLD_LOOP_WHEN exists",
  /** The file whose existence starts MCPO_TEST_HOLD_LOOP_MS's hold. */
  MCPO_TEST_HOLD_LOOP_WHEN: "the file that starts MCPO_TEST_HOLD_LOOP_MS's hold",
} as const

/** A hook's value as a positive number of ms; 0 when unset or not one. */
function hookMs(name: keyof typeof TEST_HOOKS): number {
  const ms = Number(process.env[name] ?? 0)
  return ms > 0 ? ms : 0
}

/** MCPO_TEST_HOLD_SHUTDOWN_MS: holds the main thread (a busy loop, as a synchronous step over a huge list is). Unset: nothing. */
export function holdForTest(): void {
  const ms = hookMs("MCPO_TEST_HOLD_SHUTDOWN_MS")
  if (ms === 0) return
  const until = performance.now() + ms
  while (performance.now() < until) {
    // held, as a synchronous step over a huge list is
  }
}

/** MCPO_TEST_HOLD_LOOP_MS (+ _WHEN): holds the main thread once the file exists. Unset: nothing. */
export function holdLoopForTest(): void {
  const ms = hookMs("MCPO_TEST_HOLD_LOOP_MS")
  const when = process.env.MCPO_TEST_HOLD_LOOP_WHEN
  if (ms === 0 || !when) return
  const t = setInterval(() => {
    if (!existsSync(when)) return
    clearInterval(t)
    const until = performance.now() + ms
    while (performance.now() < until) {
      // held
    }
  }, 100)
  t.unref?.()
}

let signalled = false

/** MCPO_TEST_SIGNAL_BEFORE_FIFO_WAIT: the signal it names, sent to this process once. Unset (or not SIGTERM/SIGINT): nothing. */
export function signalBeforeFifoWait(): void {
  const sig = process.env.MCPO_TEST_SIGNAL_BEFORE_FIFO_WAIT
  if (signalled || (sig !== "SIGTERM" && sig !== "SIGINT")) return
  signalled = true
  process.kill(process.pid, sig)
}
