/**
 * @module config/name-start
 * A server name is the prefix of its tools' exposed names (`name__tool`). One that starts with a
 * digit (`1password`) is a valid name here, but Gemini's function calling refuses function names
 * that do not start with a letter or `_`, and a client that hands MCP tools to a Gemini model as
 * they are (Vercel AI SDK, LangChain's MCP adapters) then fails the whole request, every tool with
 * it. Such an entry loads and serves; `serve` and `doctor` warn about it (config/load). With
 * `proxy.passthrough` (tool names unprefixed) the server name is in no tool name.
 */

/** One warning per enabled entry whose name starts with a digit. */
export function digitStartWarnings(maps: Record<string, Record<string, { disabled?: boolean }> | undefined>, sourceOf: (path: readonly PropertyKey[]) => string, separator: string): string[] {
  const out: string[] = []
  for (const [map, entries] of Object.entries(maps)) {
    for (const [name, spec] of Object.entries(entries ?? {})) {
      if (spec.disabled || !/^[0-9]/.test(name)) continue
      out.push(
        `${map}.${name} (${sourceOf([map, name])}): its tools are listed as ${name}${separator}<tool>, names that start with a digit, which Gemini's function calling refuses (a client handing the tools to a Gemini model as they are, such as the Vercel AI SDK or LangChain, fails the whole request); rename the server to start with a letter (e.g. x${name})`,
      )
    }
  }
  return out
}
