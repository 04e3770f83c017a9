/** What `bun build --compile` gets, shared by scripts/build.ts and scripts/release.ts. */

/** Entry points compiled into the binary (main first; the plugin sandbox's Worker script and run_code's next). */
export const ENTRYPOINTS: readonly string[] = ["src/main.ts", "src/sandbox/worker.ts", "src/sandbox/code-worker.ts"]

/** toolchain.md §4: minify + bytecode (needs ESM); no .env / bunfig.toml autoload from the cwd. */
export const COMPILE_FLAGS: readonly string[] = ["--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig"]
