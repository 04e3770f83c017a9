/**
 * @module sandbox/wasm
 * The QuickJS WASM binary, embedded in the compiled executable as a file asset and compiled once,
 * lazily, on first use (never at startup). Workers receive the compiled `WebAssembly.Module`.
 */
import { readFileSync } from "node:fs"
// @ts-ignore Bun file import: embedded in the binary; the path is /$bunfs/... when compiled
import wasmPath from "@jitl/quickjs-wasmfile-release-sync/wasm" with { type: "file" }

let compiled: WebAssembly.Module | undefined
let compiling: Promise<WebAssembly.Module> | undefined

export function quickjsWasm(): Promise<WebAssembly.Module> {
  if (compiled) return Promise.resolve(compiled)
  compiling ??= (async () => {
    try {
      compiled = await WebAssembly.compile(await Bun.file(wasmPath as string).arrayBuffer())
      return compiled
    } finally {
      compiling = undefined
    }
  })()
  return compiling
}

/** Same module, compiled synchronously when needed right now (the synchronous call lane). */
export function quickjsWasmSync(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath as string))
  return compiled
}
