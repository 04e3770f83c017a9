/**
 * Bench reference, not a product path: a pure byte relay between our stdio and one child's stdio
 * (no framing, no parsing). It is the floor of any proxy written on Bun's own I/O: one extra
 * process hop and nothing else. Usage: bun scripts/bench/_relay.ts <command> [args…]
 */
const [command, ...args] = process.argv.slice(2)
if (!command) throw new Error("usage: _relay.ts <command> [args…]")
const child = Bun.spawn([command, ...args], { stdin: "pipe", stdout: "pipe", stderr: "inherit" })
const out = Bun.stdout.writer()
void (async () => {
  for await (const chunk of child.stdout) {
    out.write(chunk)
    out.flush()
  }
})()
for await (const chunk of Bun.stdin.stream()) {
  child.stdin.write(chunk)
  child.stdin.flush()
}
child.kill()
process.exit(0)
export {}
