/**
 * `bun run release [-- --targets linux-x64,linux-arm64,darwin-arm64,darwin-x64]`: compiled binaries
 * for each target in dist/release/, their SHA256SUMS, tarballs, and a Homebrew formula filled in
 * from packaging/homebrew/mcp-orchestrator.rb.in.
 *
 * Cross-compiling needs Bun's runtime for the target. Bun would download it from a fixed host; we
 * take it from the npm registry instead (`npm pack @oven/bun-<target>@<our bun version>`), so the
 * release works wherever npm works. A darwin-x64 binary must be re-signed on macOS
 * (`codesign --force --sign - <binary>`, a known Bun issue); the formula does that on install.
 */
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pkg from "../package.json" with { type: "json" }
import { COMPILE_FLAGS, ENTRYPOINTS } from "./lib/build-config.ts"

const ROOT = join(import.meta.dir, "..")
const OUT = join(ROOT, "dist", "release")
const ALL = ["linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64"] as const
type Target = (typeof ALL)[number]
/** npm package holding Bun's runtime for each target. */
const RUNTIME_PKG: Record<Target, string> = {
  "linux-x64": "@oven/bun-linux-x64",
  "linux-arm64": "@oven/bun-linux-aarch64",
  "darwin-arm64": "@oven/bun-darwin-aarch64",
  "darwin-x64": "@oven/bun-darwin-x64",
}

const args = process.argv.slice(2).filter((a) => a !== "--")
const ti = args.indexOf("--targets")
const targets = (ti >= 0 ? args[ti + 1]!.split(",") : [...ALL]) as Target[]
for (const t of targets) if (!ALL.includes(t)) throw new Error(`unknown target ${t}; one of ${ALL.join(", ")}`)

async function run(cmd: string[], cwd = ROOT): Promise<void> {
  const p = Bun.spawn(cmd, { cwd, stdio: ["ignore", "inherit", "inherit"] })
  if ((await p.exited) !== 0) throw new Error(`failed: ${cmd.join(" ")}`)
}

/** Bun's executable for `target`, unpacked from its npm package (cached under dist/.runtimes). */
async function runtime(target: Target): Promise<string> {
  const dir = join(ROOT, "dist", ".runtimes", `${target}-${Bun.version}`)
  const exe = join(dir, "package", "bin", "bun")
  if (existsSync(exe)) return exe
  mkdirSync(dir, { recursive: true })
  const scratch = join(tmpdir(), `mcpo-runtime-${target}-${process.pid}`)
  mkdirSync(scratch, { recursive: true })
  await run(["npm", "pack", `${RUNTIME_PKG[target]}@${Bun.version}`, "--silent", "--pack-destination", scratch], scratch)
  await run(["sh", "-c", `tar -xzf "${scratch}"/*.tgz -C "${dir}"`])
  rmSync(scratch, { recursive: true, force: true })
  return exe
}

const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex")

mkdirSync(OUT, { recursive: true })
const sums: Record<string, string> = {}
for (const t of targets) {
  const bin = join(OUT, `mcp-orchestrator-${t}`)
  const native = t === `${process.platform}-${process.arch}`
  const exe = native ? undefined : await runtime(t)
  await run([process.execPath, "build", ...COMPILE_FLAGS, `--target=bun-${t}`, ...(exe ? [`--compile-executable-path=${exe}`] : []), "--outfile", bin, ...ENTRYPOINTS])
  const tgz = `mcp-orchestrator-${pkg.version}-${t}.tar.gz`
  await run(["tar", "-czf", tgz, `mcp-orchestrator-${t}`], OUT)
  sums[tgz] = sha256(join(OUT, tgz))
  console.error(`built ${tgz}`)
}
writeFileSync(join(OUT, "SHA256SUMS"), Object.entries(sums).map(([f, h]) => `${h}  ${f}\n`).join(""))
const tpl = readFileSync(join(ROOT, "packaging", "homebrew", "mcp-orchestrator.rb.in"), "utf8")
const sum = (t: Target): string => sums[`mcp-orchestrator-${pkg.version}-${t}.tar.gz`] ?? "MISSING"
writeFileSync(
  join(OUT, "mcp-orchestrator.rb"),
  tpl.replaceAll("@VERSION@", pkg.version).replaceAll("@SHA_DARWIN_ARM64@", sum("darwin-arm64")).replaceAll("@SHA_DARWIN_X64@", sum("darwin-x64")).replaceAll("@SHA_LINUX_X64@", sum("linux-x64")).replaceAll("@SHA_LINUX_ARM64@", sum("linux-arm64")),
)
console.error(`wrote ${join(OUT, "SHA256SUMS")} and ${join(OUT, "mcp-orchestrator.rb")}`)
