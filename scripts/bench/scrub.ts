/**
 * How long the scan of a large successful result for configured secrets takes (not a test: run it
 * by hand, `bun scripts/bench/scrub.ts`), with 21 configured values of the usual shapes registered
 * (each with its URL, HTML, JSON, case, hex and base64 spellings). Prints ms per 1 MiB (median of
 * 30 runs) for `testJson` (a result's text), `testJsonChunks` (its bytes as read, 64 KiB chunks)
 * and `redactRegistered` (its parsed value), on prose, JSON records and random base64.
 */
import { randomBytes } from "node:crypto"
import { redactRegistered, registerSecret, secrets } from "../../src/core/index.ts"

const VALUES = [
  "ghp_R4nd0mT0k3nV4lu3F0rB3nchm4rk1ng12",
  "sk-proj-4bC9dE2fG7hJ1kL5mN8pQ3rS6tU0vW",
  "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp",
  "AKIAIOSFODNN7EXAMPLQ",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "hunter22!",
  "correct horse battery staple",
  "S3cr3t-P@ssw0rd#2024",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  "a3f9c2e17b4d8e6f0a1b2c3d4e5f6a7b",
  "glpat-xXyYzZ1234567890abcd",
  "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
  "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
  "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567",
  "postgres-pw-9f8e7d6c",
  "mongodb+srv-secret-77aa",
  "Zm9vYmFyYmF6cXV4cXV1eA==",
  "tvly-AbCdEfGh12345678IjKl",
  "lin_api_AbCdEfGhIjKlMnOpQrSt1234",
  "secret_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd",
  "my.db.password.value",
]
for (const v of VALUES) registerSecret(v, "bench")

const MIB = 1 << 20
const words = "the quick brown fox jumps over a lazy dog while servers answer requests with data and tools list their schemas".split(" ")
function prose(): string {
  const parts: string[] = []
  let n = 0
  for (let i = 0; n < MIB; i++) {
    const w = words[(i * 7919) % words.length]!
    parts.push(w)
    n += w.length + 1
  }
  return parts.join(" ")
}
function records(): unknown {
  const out: unknown[] = []
  for (let i = 0; JSON.stringify(out).length < MIB; i += 1) {
    for (let j = 0; j < 500; j++, i++) out.push({ id: i, name: `item-${i}`, price: i * 1.25, tags: ["a", "b"], at: new Date(1.7e12 + i * 1000).toISOString() })
  }
  return out
}
const inputs: Record<string, unknown> = {
  prose: { content: [{ type: "text", text: prose() }] },
  "json records": { content: [{ type: "text", text: "x" }], structuredContent: { items: records() } },
  "random base64": { content: [{ type: "image", mimeType: "image/png", data: randomBytes((MIB * 3) / 4).toString("base64") }] },
}

function median(f: () => unknown): number {
  const t: number[] = []
  for (let i = 0; i < 30; i++) {
    const s = Bun.nanoseconds()
    f()
    t.push((Bun.nanoseconds() - s) / 1e6)
  }
  t.sort((a, b) => a - b)
  return t[15]!
}

console.log(`${VALUES.length} values, ${secrets.size} spellings`)
for (const [name, value] of Object.entries(inputs)) {
  const text = JSON.stringify(value)
  const bytes = Buffer.from(text)
  const chunks: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536))
  if (secrets.testJson(text) || secrets.testJsonChunks(chunks) || redactRegistered(value) !== value) throw new Error(`${name}: a false match`)
  const r = [median(() => secrets.testJson(text)), median(() => secrets.testJsonChunks(chunks)), median(() => redactRegistered(value))]
  console.log(`${name.padEnd(14)} testJson ${r[0]!.toFixed(2)} ms  testJsonChunks ${r[1]!.toFixed(2)} ms  redactRegistered ${r[2]!.toFixed(2)} ms`)
}
