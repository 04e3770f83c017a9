/**
 * `bun run build [-- --target bun-darwin-arm64 …]`: compiles src/main.ts into the single binary
 * dist/mcp-orchestrator (or dist/mcp-orchestrator-<target> for other targets). Flags per
 * ../shared/docs/toolchain.md §4: minify + bytecode (needs ESM), and no .env / bunfig.toml autoload
 * from the cwd at run time (an MCP server is started in arbitrary directories). `--outfile PATH` builds
 * elsewhere (tests use it for `$MCPO_TEST_BIN`).
 */
import { mkdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { COMPILE_FLAGS, ENTRYPOINTS } from "./lib/build-config.ts"

const root = join(import.meta.dir, "..")

const args = process.argv.slice(2).filter((a) => a !== "--")
const ti = args.indexOf("--target")
const target = ti >= 0 ? args[ti + 1] : undefined
const oi = args.indexOf("--outfile")
const outfile = oi >= 0 && args[oi + 1] ? args[oi + 1]! : join("dist", target ? `mcp-orchestrator-${target.replace(/^bun-/, "")}` : "mcp-orchestrator")

mkdirSync(dirname(resolve(root, outfile)), { recursive: true })
const cmd = [
  process.execPath,
  "build",
  ...COMPILE_FLAGS,
  ...(target ? [`--target=${target}`] : []),
  "--outfile",
  outfile,
  ...ENTRYPOINTS,
]
const t0 = performance.now()
const p = Bun.spawn(cmd, { cwd: root, stdio: ["ignore", "inherit", "inherit"] })
const code = await p.exited
if (code !== 0) {
  console.error(`build failed (exit ${code})`)
  process.exit(code)
}
console.error(`built ${outfile} in ${Math.round(performance.now() - t0)} ms`)
