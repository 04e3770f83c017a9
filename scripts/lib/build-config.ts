/** What `bun build --compile` gets, shared by scripts/build.ts and scripts/release.ts. */

/** Entry points compiled into the binary (main first; the plugin sandbox's Worker script and run_code's next). */
export const ENTRYPOINTS: readonly string[] = ["src/main.ts", "src/sandbox/worker.ts", "src/sandbox/code-worker.ts"]

/**
 * toolchain.md §4: minify + bytecode (needs ESM); no .env / bunfig.toml autoload from the cwd. The
 * JIT starts 1000× more reluctant so run-once startup code stays interpreted (src/core/jit.ts sets
 * the normal policy back at the first call, or 3 s after ready). `--splitting`: what is behind an
 * `import()` becomes a chunk of its own, loaded when first imported, not at every start (idle RSS:
 * docs/proxy.md; sandbox/spawn finds the worker entries at the chunks' root).
 */
export const COMPILE_FLAGS: readonly string[] = ["--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "--compile-jit-policy=1000", "--splitting"]
