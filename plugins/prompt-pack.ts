/**
 * Example plugin: a prompt pack. Three prompts for everyday coding chores.
 * Copy to ~/.config/mcp-orchestrator/plugins/ (with types.d.ts) to use it.
 */
import type { Plugin } from "./types"

const plugin: Plugin = {
  name: "prompt-pack",
  version: "1.0.0",
  description: "Everyday coding prompts: review a diff, write a commit message, explain an error.",
  prompts: [
    {
      name: "review_diff",
      title: "Review a diff",
      description: "Review the current change for bugs, risky edits and missing tests.",
      arguments: [{ name: "focus", description: "What to look at first (e.g. security, performance)." }],
      render: ({ focus }) => [
        {
          role: "user",
          content: [
            "Review the diff of my current change.",
            focus ? `Look first at: ${focus}.` : "",
            "List real problems only, most serious first, each with file:line and a suggested fix.",
            "Then say which tests are missing.",
          ]
            .filter(Boolean)
            .join("\n"),
        },
      ],
    },
    {
      name: "write_commit_message",
      title: "Write a commit message",
      description: "Conventional commit message for a change you summarize.",
      arguments: [
        { name: "summary", description: "What changed and why, in your words.", required: true },
        { name: "scope", description: "Conventional-commit scope (optional)." },
      ],
      render: ({ summary, scope }) =>
        `Write a conventional commit message (type${scope ? `(${scope})` : ""}: subject ≤ 72 chars, blank line, body wrapped at 72) for this change:\n\n${summary}`,
    },
    {
      name: "explain_error",
      title: "Explain an error",
      arguments: [
        { name: "error", description: "The error message or stack trace.", required: true },
        { name: "context", description: "What you were doing." },
      ],
      render: ({ error, context }) => [
        { role: "user", content: `Explain this error and how to fix it:\n\n${error}${context ? `\n\nContext: ${context}` : ""}` },
        { role: "assistant", content: "I'll name the most likely cause first, then how to confirm it, then the fix." },
      ],
    },
  ],
}

export default plugin
