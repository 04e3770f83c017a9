/**
 * @module cli/doctor-toolkit
 * `doctor`'s look past `docker mcp version` (which answers without the Docker daemon, the Toolkit
 * feature or Docker Desktop running): what serve does next. The Toolkit's era and its enabled
 * servers are read as serve reads them (docker driver: `server ls` or the profile's servers), so a
 * daemon that is down, a Toolkit turned off or a CLI that answers no list is a warning with the
 * driver's remedy, not a ✓. Then, when servers are enabled and `toolkit.gateway` is on, the gateway
 * (`docker mcp gateway run`, serve's server `docker`) is started as serve starts it (its launch
 * spec, its connect budget, the tools serve hides), its tools listed and stopped (cli/doctor-start);
 * `--no-start` leaves it. No server enabled: it says serve starts no gateway, and how to enable one.
 */
import type { LoadedConfig, StdioServerSpec } from "../config/index.ts"
import { errorMessage, isOrchestratorError } from "../core/index.ts"
import { createToolkitDriver, ignoredProfileNote, type ToolkitDriver } from "../docker/index.ts"
import type { Check } from "./doctor-run.ts"
import type { StartProgress } from "./doctor-progress.ts"
import type { ServerStart } from "./doctor-start.ts"

export async function checkToolkitGateway(
  docker: string,
  loaded: LoadedConfig,
  env: Record<string, string | undefined>,
  o: { start: boolean; progress?: StartProgress },
): Promise<{ checks: Check[]; server?: ServerStart }> {
  const tk = loaded.config.toolkit
  const driver = createToolkitDriver({ docker, timeoutMs: tk.timeout, env, ...(tk.profile ? { profile: tk.profile } : {}) })
  const r = await gatewayCheck(driver, loaded, env, o)
  // which era was detected and why (the version, or what the CLI did when the version could not tell)
  const why = driver.detectedBy?.()
  const [first, ...rest] = r.checks
  return why && first ? { ...r, checks: [{ ...first, detail: `${first.detail} [era detected by ${why}]` }, ...rest] } : r
}

async function gatewayCheck(driver: ToolkitDriver, loaded: LoadedConfig, env: Record<string, string | undefined>, o: { start: boolean; progress?: StartProgress }): Promise<{ checks: Check[]; server?: ServerStart }> {
  const name = "toolkit"
  const tk = loaded.config.toolkit
  let where: string
  let enabled: string[]
  let disable = "docker mcp server disable NAME"
  try {
    const st = await driver.status()
    if (st.era === "profiles") disable = `docker mcp profile server remove --name=NAME -- ${st.profile ?? "default"}`
    where = `docker mcp ${st.version}, ${st.era} era${st.profile ? `, profile ${st.profile}` : ""}${st.ignoredProfile ? `; ${ignoredProfileNote(st.ignoredProfile, st.version)}` : ""}`
    enabled = (await driver.serversList()).map((s) => s.name)
  } catch (e) {
    return {
      checks: [
        {
          name,
          status: "warn",
          detail: `\`docker mcp version\` answers, but listing the enabled servers (what serve does first) failed: ${isOrchestratorError(e) ? e.message : errorMessage(e)}`,
          remedy: (isOrchestratorError(e) && e.remedy) || "run `docker mcp server ls` (profiles era: `docker mcp profile server ls`) yourself to see the full error; start Docker Desktop and enable its MCP Toolkit",
        },
      ],
    }
  }
  const list = `${enabled.slice(0, 10).join(", ")}${enabled.length > 10 ? ", …" : ""}`
  if (enabled.length === 0) {
    return { checks: [{ name, status: "ok", detail: `${where}: no server enabled, so serve starts no gateway until one is (the server_enable tool, or Docker Desktop's MCP Toolkit)` }] }
  }
  const servers = `${enabled.length} server${enabled.length === 1 ? "" : "s"} enabled (${list})`
  if (!tk.gateway) return { checks: [{ name, status: "ok", detail: `${where}: ${servers}; toolkit.gateway is off, so their tools are not served` }] }
  if (!o.start) return { checks: [{ name, status: "ok", detail: `${where}: ${servers}; serve runs \`docker mcp gateway run\` for them (not started: --no-start)` }] }
  // started as serve starts it: app/toolkit-gateway's launch spec, budget and hidden tools
  const [{ GATEWAY_CONNECT_MS, GATEWAY_HIDDEN_TOOLS, GATEWAY_SERVER_NAME }, { doctorLog, eraStore, settleChildren, startOne }] = await Promise.all([
    import("../app/index.ts").then((a) => a.loadToolkitGateway()),
    import("./doctor-start.ts"),
  ])
  let spec: StdioServerSpec
  try {
    const l = await driver.gatewayLaunchSpec()
    spec = { command: l.command, args: l.args, env: l.env, tools: { deny: GATEWAY_HIDDEN_TOOLS }, connectTimeout: GATEWAY_CONNECT_MS } as StdioServerSpec
  } catch (e) {
    return { checks: [{ name, status: "warn", detail: `${where}: ${servers}, but the gateway's command line could not be made: ${errorMessage(e)}`, remedy: "run `docker mcp gateway run` yourself to see the error" }] }
  }
  o.progress?.begin(GATEWAY_SERVER_NAME)
  const r = await startOne(GATEWAY_SERVER_NAME, spec, loaded, doctorLog(o.progress), await eraStore(env)).finally(() => o.progress?.end(GATEWAY_SERVER_NAME))
  // its process group (and what it left outside it) ended before the report
  await settleChildren()
  const row: ServerStart = { name: GATEWAY_SERVER_NAME, transport: "stdio", status: "failed", ...r }
  if (row.status === "ok") {
    return { checks: [{ name, status: "ok", detail: `${where}: ${servers}; the gateway (docker mcp gateway run) started: ${row.tools} tool${row.tools === 1 ? "" : "s"}, ${((row.ms ?? 0) / 1000).toFixed(1)} s; stopped again` }], server: row }
  }
  // its budget is not a setting (app/toolkit-gateway): not named as one; the remedy is the gateway's, not a configured server's
  const said = (row.error?.message ?? "failed").replace(/^server docker /, "").replaceAll("server docker ", "it ").replaceAll(`servers.${GATEWAY_SERVER_NAME}.connectTimeout`, "the gateway's start budget")
  const slow = /within the gateway's start budget/.test(said)
  return {
    checks: [
      {
        name,
        status: "warn",
        detail: `${where}: ${servers}, but the gateway (docker mcp gateway run) ${said}`,
        remedy: slow
          ? "Its first start pulls the enabled servers' images: run doctor again once they are pulled (serve waits as long), or run `" + ["docker", ...spec.args].join(" ") + "` yourself to watch it."
          : `Run \`${["docker", ...spec.args].join(" ")}\` yourself to see why it fails (a server's image, secret or config); fix that server or disable it (\`${disable}\`), or set toolkit.gateway: false.`,
      },
    ],
    server: row,
  }
}
