/**
 * Preloaded by every `bun test` run (bunfig.toml): after each test, wait for the plugin worker
 * threads the sandbox watchdog stopped to end. Tests of the watchdog leave one spinning in a native
 * operation on purpose (seconds, up to ~20 s on a busy machine); at most MAX_LINGERING_WORKERS may
 * live at once (sandbox/spawn.ts), so without this wait the tests that come after them in the same
 * process would find the plugin sandboxes unavailable.
 */
import { afterEach } from "bun:test"
import { lingeringWorkers } from "../../src/sandbox/spawn.ts"

afterEach(async () => {
  for (let i = 0; i < 2400 && lingeringWorkers() > 0; i++) await Bun.sleep(50)
}, 180_000)
