/**
 * Toolkit driver bench: parse throughput of a large synthetic catalog in each documented shape,
 * and the driver's per-call overhead over a bare spawn of the same fake-docker command.
 */
import { createToolkitDriver, ParserRegistry } from "../../src/docker/index.ts"
import { makeFakeDocker } from "../../test/docker/fake.ts"
import { summarize, table, writeResult } from "./_util.ts"

const SERVERS = 400
const TOOLS = 12

function tile(i: number): Record<string, unknown> {
  return {
    description: `Server number ${i} & friends <demo>`,
    title: `Server ${i}`,
    type: "server",
    dateAdded: "2025-04-12T00:00:00Z",
    image: `mcp/server-${i}@sha256:${"a".repeat(64)}`,
    ref: "",
    readme: `https://desktop.docker.com/mcp/catalog/v3/readme/server-${i}.md`,
    toolsUrl: `https://desktop.docker.com/mcp/catalog/v3/tools/server-${i}.json`,
    metadata: { category: "demo", tags: ["demo", `t${i % 7}`] },
    tools: Array.from({ length: TOOLS }, (_, t) => ({ name: `tool_${t}`, description: `Tool ${t} of server ${i}`, arguments: [{ name: "q", type: "string", desc: "query" }] })),
  }
}

const registry: Record<string, unknown> = {}
for (let i = 0; i < SERVERS; i++) registry[`server-${i}`] = tile(i)
const raw = JSON.stringify({ version: 3, name: "docker-mcp", displayName: "Docker MCP Catalog", registry }) + "\n\n"
const typed = JSON.stringify({ name: "docker-mcp", displayName: "Docker MCP Catalog", registry: Object.fromEntries(Object.entries(registry).map(([n, t]) => [n, { ...(t as object), remote: {}, tools: (t as { tools: object[] }).tools.map((x) => ({ ...x, container: { image: "" }, parameters: { type: "", properties: null } })) }])) }, null, 2) + "\n"
const oci = JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", digest: "sha256:x", servers: Object.entries(registry).map(([name, t]) => ({ type: "image", snapshot: { server: { name, ...(t as object) } } })) }, null, 2) + "\n"
const yaml = (await import("yaml")).stringify(JSON.parse(raw))

const reg = new ParserRegistry()
const rows: Array<Record<string, string | number>> = []
const results: Record<string, unknown> = {}
for (const [label, text] of [["raw JSON (≤ v0.37)", raw], ["typed JSON (≥ v0.38)", typed], ["OCI JSON (profiles)", oci], ["YAML", yaml]] as const) {
  const samples: number[] = []
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now()
    const cat = reg.parse("catalog", text)
    samples.push(performance.now() - t0)
    if (cat.servers.length !== SERVERS) throw new Error("bad parse")
  }
  const s = summarize(samples.slice(2))
  const mb = Buffer.byteLength(text) / 1024 / 1024
  rows.push({ shape: label, MiB: mb, "p50 ms": s.p50, "MiB/s": mb / (s.p50 / 1000) })
  results[label] = { mib: mb, p50ms: s.p50 }
}
console.log(`catalog parse, ${SERVERS} servers × ${TOOLS} tools\n${table(rows)}`)

// Driver overhead: servers_list through the driver vs a bare spawn of the same fake command.
const fake = makeFakeDocker({ version: "v0.43.3" })
try {
  const driver = createToolkitDriver({ env: fake.env })
  await driver.status()
  const bare: number[] = []
  const viaDriver: number[] = []
  const args = ["mcp", "profile", "server", "ls", "--format", "json", "--filter=profile=default"]
  for (let i = 0; i < 10; i++) {
    let t0 = performance.now()
    const p = Bun.spawn([`${fake.dir}/bin/docker`, ...args], { env: fake.env, stdout: "pipe", stderr: "pipe" })
    await new Response(p.stdout).text()
    await p.exited
    bare.push(performance.now() - t0)
    t0 = performance.now()
    await driver.serversList()
    viaDriver.push(performance.now() - t0)
  }
  const b = summarize(bare.slice(2))
  const d = summarize(viaDriver.slice(2))
  console.log(`\nserversList: bare spawn p50 ${b.p50.toFixed(1)} ms, via driver p50 ${d.p50.toFixed(1)} ms, ratio ${(d.p50 / b.p50).toFixed(2)}`)
  results.serversList = { bareP50: b.p50, driverP50: d.p50, ratio: d.p50 / b.p50 }
} finally {
  fake.cleanup()
}
console.log(`written ${writeResult("toolkit", results)}`)
