/**
 * @module sandbox/capped
 * The one way this folder builds QuickJS: a WASM module with its own capped linear memory, and
 * runtimes on it with a heap limit, a stack limit and an interrupt handler that stops the guest at
 * its deadline or when the WASM memory nears its cap (`setMemoryLimit` alone does not bound every
 * allocation, e.g. strings built by the engine). Used by the plugin engine and the code-run worker.
 */
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten-core"
import base from "@jitl/quickjs-wasmfile-release-sync"
import { MAX_STACK_BYTES } from "./types.ts"

const PAGE = 64 * 1024
/** The emscripten build starts with 16 MiB (static data, its 5 MB C stack, the first heap). */
export const BASE_BYTES = 16 * 1024 * 1024
/** Room above the QuickJS heap limit for allocator slack before the WASM memory stops growing. */
const SLACK_BYTES = 16 * 1024 * 1024
/** The guest is interrupted this close to the WASM memory cap. */
const TRIP_MARGIN = 2 * PAGE * 16

export interface CappedLimits {
  memoryBytes: number
  stackBytes: number
}

/** WASM memory cap for a given heap limit: base + limit + slack, in whole pages. */
export function wasmCapBytes(limits: Pick<CappedLimits, "memoryBytes">): number {
  return Math.ceil((BASE_BYTES + limits.memoryBytes + SLACK_BYTES) / PAGE) * PAGE
}

export interface CappedModule {
  qjs: QuickJSWASMModule
  memory: WebAssembly.Memory
  limits: CappedLimits
}

/** The emscripten module options (its type lists neither `print` nor `printErr`, which it reads). */
type EmscriptenOptions = NonNullable<Parameters<typeof newVariant>[1]["emscriptenModule"]>

/** Longest line of the engine's own output (see `newCappedModule`) passed on. */
const MAX_OUTPUT_LINE = 2000

/**
 * `output` receives what the emscripten runtime itself prints (an `Aborted(…)` on an engine
 * assertion, anything the C code writes to its stdout or stderr): by default emscripten writes it
 * with console.log/console.error, i.e. raw lines on the process's stdout (the MCP channel in stdio
 * mode) and stderr (the JSON-lines log). The caller logs it instead.
 */
export async function newCappedModule(wasm: WebAssembly.Module, limits: CappedLimits, output: (text: string) => void): Promise<CappedModule> {
  const memory = new WebAssembly.Memory({ initial: BASE_BYTES / PAGE, maximum: wasmCapBytes(limits) / PAGE })
  const print = (text: unknown): void => {
    const s = String(text)
    output(s.length > MAX_OUTPUT_LINE ? `${s.slice(0, MAX_OUTPUT_LINE)}…` : s)
  }
  const qjs = await newQuickJSWASMModuleFromVariant(newVariant(base, { wasmModule: wasm, wasmMemory: memory, emscriptenModule: { print, printErr: print } as EmscriptenOptions }))
  return { qjs, memory, limits }
}

/**
 * A runtime on `m` with its limits and no module loader. `guard` is read at each interrupt check:
 * the run stops past `guard.deadline` (performance.now() ms), or when the memory nears its cap,
 * which sets `guard.memoryTripped` so the fault can say "memory" rather than "timeout".
 */
export function newCappedRuntime(m: CappedModule, guard: { deadline: number; memoryTripped: boolean }): QuickJSRuntime {
  const rt = m.qjs.newRuntime()
  rt.setMemoryLimit(m.limits.memoryBytes)
  rt.setMaxStackSize(Math.min(m.limits.stackBytes, MAX_STACK_BYTES))
  const threshold = wasmCapBytes(m.limits) - TRIP_MARGIN
  rt.setInterruptHandler(() => {
    if (m.memory.buffer.byteLength >= threshold) {
      guard.memoryTripped = true
      return true
    }
    return performance.now() > guard.deadline
  })
  rt.removeModuleLoader()
  return rt
}
