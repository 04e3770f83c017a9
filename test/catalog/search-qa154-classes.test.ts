/**
 * Search: the misses QA 154's held-out set named, fixed as classes, each on a made-up fleet. The
 * held-out sets' figures before and after each change are in search-qa154.test.ts's header.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { describedByPast } from "../../src/catalog/search/intent.ts"
import { withoutContext } from "../../src/catalog/search/sentences.ts"
import { readCommandLine } from "../../src/catalog/search/shell.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

describe("a product CLI's subcommand is what the command asks, in words ('kubectl rollout restart', 'helm upgrade')", () => {
  test("its verb, and the thing after a verb that reads, or a verb after a noun, are request words; a name after another verb is an operand", () => {
    const words = (q: string) => readCommandLine(q).rest.split(/\s+/).filter(Boolean)
    expect(words("kubectl rollout restart deployment/web -n staging")).toEqual(["rollout"])
    expect(words("kubectl get pods -n prod")).toEqual(["get", "pods"])
    expect(words("kubectl logs deploy/api --tail 100")).toEqual(["logs"])
    expect(words("helm install redis bitnami/redis")).toEqual(["install"])
    expect(words("npm install lodash")).toEqual(["install"])
    expect(words("docker run nginx -d")).toEqual(["run"])
    // (a subcommand a CLI's table reads stays its meaning: "npm test" runs a script)
    expect(readCommandLine("npm test").units[0]!.text).toBe("npm test")
  })

  test("with no tool doing the subcommand every hit is weak (not the CLI's other tools), and the one doing it is strong", () => {
    const one = fleetIndex([])
    one.setServer("k8s", [
      tool("k8s", "kubectl_logs", "Get logs from Kubernetes pods or deployments.", { name: str("Pod name"), namespace: str("Namespace") }),
      tool("k8s", "exec_in_pod", "Execute a command in a Kubernetes pod.", { name: str("Pod name"), command: str("Command") }),
      tool("k8s", "node_management", "Manage Kubernetes nodes: cordon, drain or uncordon a node.", { operation: str("cordon, drain or uncordon"), nodeName: str("Node name") }),
      tool("k8s", "install_helm_chart", "Install a Helm chart as a release.", { name: str("Release name"), chart: str("Chart") }),
      tool("k8s", "upgrade_helm_chart", "Upgrade a Helm release to a new chart version.", { name: str("Release name"), chart: str("Chart") }),
    ])
    // (a subcommand the fleet knows, another server doing it: "rollback")
    one.setServer("ci", [tool("ci", "run_rollback_pipeline", "Run a rollback pipeline for a project.", { project: str("Project") })])
    expect(one.search("helm rollback payments 3", { limit: 3 }).every((h) => h.weak)).toBe(true)
    expect(one.search("helm install redis bitnami/redis", { limit: 3 })[0]).toMatchObject({ tool: { name: "k8s__install_helm_chart" } })
    expect(one.search("helm install redis bitnami/redis", { limit: 3 })[0]?.weak).toBeFalsy()
  })
})

describe("a generic reader whose arguments choose the thing typed reads it as a tool named after it would ('get pods', 'pods in kube-system')", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("infra", [
      tool("infra", "ctl_get", "Get or list cluster resources by type, name and namespace", { kind: str("Type of resource to get (e.g., pods, services, volumes, jobs)"), namespace: str("Namespace") }),
      tool("infra", "ctl_logs", "Get logs from cluster resources like pods or jobs", { kind: { type: "string", enum: ["pod", "job"] }, name: str("Name") }),
      tool("infra", "ctl_describe", "Describe a cluster resource in detail", { kind: str("Resource type"), name: str("Name") }),
      tool("infra", "run_in_pod", "Run a command in a pod and return its output", { name: str("Pod name"), command: str("Command") }),
      tool("infra", "restart_volume", "Restart a volume attachment", { name: str("Volume name") }),
    ])
    return one
  }
  test("its thing typed, with a verb that reads or none, it leads the tools whose own name has the thing", () => {
    const one = fleet()
    for (const q of ["get pods", "pods in the staging namespace", "show me the volumes"]) expect(one.search(q, { limit: 3 })[0]?.tool.name).toBe("infra__ctl_get")
    // (a verb of another tool's name still asks for that tool)
    expect(one.search("run a command in the api pod", { limit: 3 })[0]?.tool.name).toBe("infra__run_in_pod")
    expect(one.search("restart the data volume", { limit: 3 })[0]?.tool.name).toBe("infra__restart_volume")
  })
})

describe("a past participle after a noun of the things asked for selects them ('issues labelled bug assigned to me')", () => {
  test("it describes them, past another detail; a verb typed as the action still asks", () => {
    const past = (q: string) => describedByPast(splitWords(q))
    expect(past("issues labelled bug assigned to me")).toEqual(["assign"])
    expect(past("tickets from the mobile team merged last week")).toEqual(["merg"])
    expect(past("assign the issue labelled bug to me")).toEqual([])
    expect(past("stage the modified files")).toEqual([])
    expect(past("ticket 42 assigned to me")).toEqual([])
  })

  test("a tool doing that action is not asked: the one listing the things is", () => {
    const one = fleetIndex([])
    one.setServer("tracker", [
      tool("tracker", "assign_ticket", "Assign a ticket to a user", { ticket: str("Ticket id"), user: str("User") }),
      tool("tracker", "list_tickets", "List tickets, filtered by label, assignee or state", { label: str("Label"), assignee: str("Assignee") }),
      tool("tracker", "create_ticket", "Create a ticket", { title: str("Title") }),
    ])
    expect(one.search("tickets tagged urgent assigned to me", { limit: 3 })[0]?.tool.name).toBe("tracker__list_tickets")
    expect(one.search("assign the ticket tagged urgent to me", { limit: 3 })[0]?.tool.name).toBe("tracker__assign_ticket")
  })
})

describe("a request listing steps asks for its first ('first check the pipeline, then rerun the workflow')", () => {
  test("the later steps after a step marker are context; a bare 'then' of a condition is not one", () => {
    expect(withoutContext("first check the build status, then restart the job if it failed")).toBe("first check the build status")
    expect(withoutContext("find the slow pages and then open a ticket about them")).toBe("find the slow pages")
    expect(withoutContext("export the report; after that email it to the team")).toBe("export the report;")
    expect(withoutContext("if the build failed then restart the job")).toBe("if the build failed then restart the job")
  })

  test("the first step's tool leads, not a later step's", () => {
    const one = fleetIndex([])
    one.setServer("ci", [
      tool("ci", "get_build_status", "Get the status of the latest build of a branch", { branch: str("Branch") }),
      tool("ci", "restart_job", "Restart a job of a build", { job: str("Job id") }),
      tool("ci", "list_jobs", "List the jobs of a build", { build: str("Build id") }),
    ])
    expect(one.search("first check the build status on main, then restart the failed job", { limit: 3 })[0]?.tool.name).toBe("ci__get_build_status")
    expect(one.search("restart the failed job, then check the build status", { limit: 3 })[0]?.tool.name).toBe("ci__restart_job")
  })
})
