/**
 * @module proxy/script-input
 * A 2026-07-28 downstream that needs input (`input_required`, or -32021 naming the capability it
 * lacks) to answer a call a run_code script made: nobody can give it (the sandbox answers no
 * questions, and the client's own request is run_code, not this call), so the call fails saying so
 * and what to do. Before, the script read the client's "did not declare" (it had) or, for the
 * questions of a legacy server, "outside of any call a client made to it".
 */
import { DownstreamError } from "../core/index.ts"
import type { InputRequiredResult, MrtrTarget } from "./mrtr.ts"
import type { ScriptCaller } from "./types.ts"

/** The call's failure; `asked`: the methods of the server's questions (`elicitation/create`…), or the capabilities it named. */
export function scriptInput(t: MrtrTarget, asked: readonly string[], script: ScriptCaller): DownstreamError {
  const what = asked.length ? [...new Set(asked)].join(", ") : "input"
  for (const m of new Set(asked)) script.declined(t.server, m)
  return new DownstreamError("INPUT_UNAVAILABLE", `server ${t.server} needs input (${what}) to answer ${t.method} of ${t.target}, and a run_code script cannot answer questions; no client was asked`, {
    remedy: "Call the tool outside run_code (its own name or call_tool) so the client can answer, or with arguments that need no further input.",
    details: { server: t.server, asked: [...new Set(asked)] },
  })
}

/** The methods an `input_required` asks (at most a few named: the downstream's keys are its own). */
export function askedMethods(r: InputRequiredResult): string[] {
  const out: string[] = []
  for (const q of Object.values(r.inputRequests ?? {})) {
    const m = typeof q?.method === "string" ? q.method.slice(0, 64) : "a request"
    if (!out.includes(m)) out.push(m)
    if (out.length >= 4) break
  }
  return out
}

/** The capabilities a -32021 error names (`data.requiredCapabilities`), as the methods they stand for. */
export function requiredOf(data: unknown): string[] {
  const wanted = (data as { requiredCapabilities?: unknown } | undefined)?.requiredCapabilities
  const names = Array.isArray(wanted) ? wanted.map(String) : wanted && typeof wanted === "object" ? Object.keys(wanted) : []
  return names.slice(0, 4).map((n) => n.slice(0, 64))
}
