/**
 * @module plugin/builtin-prompts
 * Prompts the orchestrator always serves, besides plugin prompts.
 */
import type { PromptInfo, RenderResult } from "./contract.ts"

export interface BuiltinPrompt extends PromptInfo {
  render(args: Record<string, string>): RenderResult
}

export const BUILTIN_PROMPTS: readonly BuiltinPrompt[] = [
  {
    name: "enable_server_for_task",
    title: "Enable an MCP server for a task",
    description: "Find a server in the connected set or the Docker MCP catalog that can do a task, and enable it with your consent.",
    arguments: [
      { name: "task", description: "What you want to get done, in a sentence.", required: true },
      { name: "server", description: "A server you already have in mind (optional)." },
    ],
    render: (a) =>
      [
        `I need to: ${a.task}`,
        a.server ? `I think the "${a.server}" server may help.` : "",
        "",
        "1. Call `orchestrator_status` to see which MCP servers are connected and which tools they expose",
        "   (proxied tools are named `<server>__<tool>`).",
        "2. If a connected tool already fits, use it and stop here.",
        "3. Otherwise look for a server that fits with the orchestrator's catalog tools (names start with",
        "   `orchestrator_`): prefer the smallest server that does the job and say why.",
        "4. Ask me before enabling it: enabling may need secrets, OAuth or a container pull.",
        "5. Once enabled, list its tools and continue with the task.",
      ]
        .filter((l, i) => l !== "" || i !== 1)
        .join("\n"),
  },
  {
    name: "find_tool",
    title: "Find the right tool",
    description: "Pick the best of the available tools for a need and show how to call it.",
    arguments: [{ name: "need", description: "What the tool should do.", required: true }],
    render: (a) =>
      [
        `Find the best available tool for: ${a.need}`,
        "",
        "Look at the tool list (proxied tools are named `<server>__<tool>`). Name up to three candidates,",
        "one line each on why, then show one example call with arguments that satisfy its input schema.",
        "If nothing fits, say so and suggest enabling a server (prompt `enable_server_for_task`).",
      ].join("\n"),
  },
]
