/**
 * Search: QA 159's round on QA 154's misses, fixed as classes, each on a made-up fleet. The
 * held-out sets' figures before and after each change are in search-qa154.test.ts's header.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

describe("a product no tool mentions is that product, not a typo of a word the tools use", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("chat", [
      tool("chat", "send_message", "Send a message to a channel of the chat workspace.", { channel: str("Channel id"), text: str("Message text") }),
      tool("chat", "list_channels", "List the channels of the chat workspace."),
    ])
    // ("stack" and "revision" are one letter off "slack" and "redis")
    one.setServer("errors", [tool("errors", "get_stack_trace", "Get the stack trace of an error event.", { id: str("Event id") })])
    one.setServer("cluster", [
      tool("cluster", "restart_pod", "Restart a pod of the cluster.", { name: str("Pod name") }),
      tool("cluster", "scale_service", "Scale a service of the cluster to a number of replicas.", { name: str("Service name"), replicas: { type: "number" } }),
      tool("cluster", "list_revisions", "List the revisions of a deployment.", { name: str("Deployment name") }),
    ])
    return one
  }

  test("a request acting in a product not connected is weak on every hit ('the slack channel', 'the ECS service')", () => {
    const one = fleet()
    for (const q of ["post a message in the slack #general channel", "scale the ECS service to 3 replicas", "list the lambda functions"]) {
      const hits = one.search(q, { limit: 3 })
      expect(hits.length).toBeGreaterThan(0)
      expect(hits.every((h) => h.weak)).toBe(true)
    }
  })

  test("a product typed as the software a workload runs ('the redis pod') names that workload, not a product asked for", () => {
    const one = fleet()
    const [first] = one.search("restart the redis pod", { limit: 3 })
    expect(first?.tool.name).toBe("cluster__restart_pod")
    expect(first?.weak).toBeFalsy()
  })

  test("the product connected: its tools answer", () => {
    const one = fleet()
    one.setServer("slack", [tool("slack", "post_message", "Post a message to a Slack channel.", { channel: str("Channel") })])
    const [first] = one.search("post a message in the slack #general channel", { limit: 3 })
    expect(first).toMatchObject({ tool: { name: "slack__post_message" } })
    expect(first?.weak).toBeFalsy()
  })
})

describe("a tool's name typed inside a longer request ranks that tool first ('call the get_logs tool with …')", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("obs", [
      tool("obs", "get_logs", "Search log lines.", { query: str("Filter") }),
      tool("obs", "get_all_services", "List every service with its checkout of calls and its tool version.", { service: str("Service name") }),
    ])
    one.setServer("vcs", [tool("vcs", "checkout", "Checkout a branch of the service repository.", { branch: str("Branch") })])
    one.setServer("code", [tool("code", "projects", "List the projects.")])
    one.setServer("web", [tool("web", "request", "Send an HTTP request.", { url: str("URL") })])
    one.setServer("fs", [tool("fs", "list_directory", "List the files of a directory.", { path: str("Path") })])
    one.setServer("git", [tool("git", "review_pull_request", "Review a pull request.", { number: str("Number") })])
    return one
  }

  test("by its own name, its exposed name or a client's prefixed name, in any quotes", () => {
    const one = fleet()
    for (const q of ["call the get_logs tool with service checkout", "use `obs__get_logs` for the checkout service", "run mcp__obs__get_logs, service checkout", "getLogs for the checkout service"]) {
      const [first] = one.search(q, { limit: 3 })
      expect(first?.tool.name).toBe("obs__get_logs")
      expect(first?.weak).toBeFalsy()
    }
  })

  test("not a path, nor a word of one piece, nor a name's tail", () => {
    const one = fleet()
    expect(one.search("ls -la ~/projects", { limit: 3 })[0]?.tool.name).toBe("fs__list_directory")
    expect(one.search("review the pull_request about the checkout service", { limit: 3 })[0]?.tool.name).toBe("git__review_pull_request")
  })
})
