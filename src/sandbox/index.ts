/**
 * @module sandbox
 * QuickJS sandbox: run a guest ES module in its own worker with capped memory, stack and time;
 * JSON in, JSON out; no host globals. Knows nothing about what the guest module means.
 */
export { GuestLogGate, GuestLogGates, GUEST_LOG_BURST, GUEST_LOG_PER_SECOND } from "./log-gate.ts"
export { Sandbox, type CallTurn, type SandboxOptions, type SandboxStats } from "./host.ts"
export { SandboxThread } from "./thread.ts"
export { transpileModule, transpiledFrom, isTypeScript, type Transpiled } from "./transpile.ts"
export { MAX_COMPILE_WORK } from "./compile-budget.ts"
export { positionFromStack } from "./faults.ts"
export { visiblePath, visibleText } from "./visible.ts"
export { runCode, codeRunStats, CodeRunStop, CODE_FILENAME, MAX_CONCURRENT_RUNS, type CodeRunHost, type CodeRunOptions, type CodeRunOutcome, type CodeFault, type CodeFaultKind, type CodeRunLimits } from "./code-run.ts"
export {
  DEFAULT_LIMITS,
  FN_MARK,
  MAX_STACK_BYTES,
  SandboxFault,
  SandboxStopped,
  SandboxUnavailable,
  WATCHDOG_GRACE_MS,
  type ExportPath,
  type ExportShape,
  type FaultInfo,
  type FaultKind,
  type SandboxLimits,
} from "./types.ts"
