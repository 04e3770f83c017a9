/**
 * Search: command lines QA 154's held-out set still missed after QA 161, fixed as classes, each on a
 * made-up fleet (never the sets' words added to lists). Figures: bun /tmp/qa163/allsets.ts (the
 * held-out sets' floors are in their own test files).
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

/** A gateway server called like a CLI (the Docker MCP Toolkit's `docker`), a pod tool that runs commands in containers, and optionally a terminal. */
function fleet(opts: { terminal?: boolean; pods?: boolean; extra?: IndexedTool[] } = {}) {
  const one = fleetIndex([])
  one.setServer("docker", [
    tool("docker", "list_issues", "List issues in a repository.", { owner: str("Owner"), repo: str("Repository") }),
    tool("docker", "issue_read", "Get an issue of a repository.", { owner: str("Owner"), repo: str("Repository"), issue_number: str("Issue number") }),
    tool("docker", "create_pull_request", "Create a pull request.", { owner: str("Owner"), repo: str("Repository"), title: str("Title") }),
  ])
  if (opts.pods !== false) one.setServer("pods", [
    tool("pods", "exec_in_pod", "Execute a command in a container of a Kubernetes pod.", { pod: str("Pod name"), command: str("Command") }),
    tool("pods", "list_pods", "List the pods of a namespace.", { namespace: str("Namespace") }),
  ])
  if (opts.terminal) {
    one.setServer("desk", [
      tool("desk", "start_process", "Start a new terminal process with the given shell command.", { command: str("Command line to run") }),
      tool("desk", "read_process_output", "Read the output of a running process.", { pid: str("Process id") }),
      tool("desk", "read_file", "Read a file from disk.", { path: str("File path") }),
    ])
  }
  for (const t of opts.extra ?? []) one.setServer(t.server, [t])
  return one
}

describe("a product CLI's command line no tool performs goes to a terminal tool, else every hit is weak; its name is no server's every tool", () => {
  for (const q of ["docker ps", "docker compose up -d", "pulumi preview --stack dev", "flyctl deploy --remote-only"]) {
    test(`'${q}' with a terminal tool: start_process, strong, first`, () => {
      const hits = fleet({ terminal: true }).search(q, { limit: 5 })
      expect(hits[0]?.tool.name).toBe("desk__start_process")
      expect(hits[0]?.weak).toBeFalsy()
      for (const h of hits) if (h.tool.server === "docker") expect(h.weak).toBe(true)
    })
    // (a tool running a command elsewhere, a pod's exec, still answers it: not judged here)
    test(`'${q}' with no tool running commands: every hit weak (the gateway server named 'docker' does not run it)`, () => {
      const hits = fleet({ pods: false }).search(q, { limit: 10 })
      for (const h of hits) expect(h.weak).toBe(true)
    })
  }
  test("a tool named after the CLI does it: 'docker ps' → docker_list_containers, 'pulumi preview --stack dev' → pulumi_preview", () => {
    const extra = [
      tool("containers", "docker_list_containers", "List Docker containers.", { all: { type: "boolean" } }),
      tool("iac", "pulumi_preview", "Preview the changes of a stack update.", { stack: str("Stack name") }),
    ]
    const one = fleet({ terminal: true, extra })
    const ps = one.search("docker ps", { limit: 3 })
    expect(ps[0]?.tool.name).toBe("containers__docker_list_containers")
    expect(ps[0]?.weak).toBeFalsy()
    const pv = one.search("pulumi preview --stack dev", { limit: 3 })
    expect(pv[0]?.tool.name).toBe("iac__pulumi_preview")
    expect(pv[0]?.weak).toBeFalsy()
  })
  test("the server's name in plain language still names it: 'docker list the open issues' → docker__list_issues, strong", () => {
    const hits = fleet({ terminal: true }).search("docker list the open issues", { limit: 3 })
    expect(hits[0]?.tool.name).toBe("docker__list_issues")
    expect(hits[0]?.weak).toBeFalsy()
  })
  test("a CLI named mid-sentence is no command line to run: 'push the docker image to the registry' is answered by no terminal tool", () => {
    for (const h of fleet({ terminal: true }).search("push the docker image to the registry", { limit: 5 })) if (h.tool.server === "desk") expect(h.weak).toBe(true)
  })
})
