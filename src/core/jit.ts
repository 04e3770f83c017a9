/**
 * JavaScriptCore's JIT tier-up policy. The release binary starts with the thresholds scaled up
 * (`--compile-jit-policy`, scripts/lib/build-config.ts): the run-once code of a start (module
 * evaluation, schema building, config, the first lists) stays in the interpreter instead of being
 * compiled, which keeps several MiB of JIT code and metadata out of an idle session. The normal
 * policy comes back at the first call a client makes (the hot path then tiers up as usual), or
 * `STARTUP_JIT_MS` after the orchestrator is ready (its own start is over by then; the servers it
 * starts are other processes), whichever comes first. Outside a compiled binary
 * the policy is already 1 and this is a no-op.
 */

/** After this long past "ready", the start is over even if no client has called anything yet. */
export const STARTUP_JIT_MS = 3_000

let normal = false

/** Back to the normal JIT policy (once; cheap to call on every request). */
export function jitInteractive(): void {
  if (normal) return
  normal = true
  Bun.unsafe.setJITPolicy?.(1)
}

/** Schedules `jitInteractive` for when the start is surely over (the timer never holds the process). */
export function jitInteractiveSoon(ms: number = STARTUP_JIT_MS): void {
  if (!normal) setTimeout(jitInteractive, ms).unref()
}
