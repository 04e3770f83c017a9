/**
 * @module pool/child-said
 * What a stdio child said about why it failed or ended: its stderr's reason (pool/stderr-reason),
 * else the lines it wrote to stdout that were no JSON-RPC, and the environment variables that reason
 * names which the child did not get (or a wrapper's hint). One reading for a start that failed
 * (pool/connect) and for a live server that exited later (pool/session: a crash after initialize,
 * on a call, an OOM kill): before, the latter was shown as "exited with code 1" alone.
 */
import { argsHint } from "./args-hint.ts"
import type { TextRing } from "./ring-buffer.ts"
import { missingEnvHint, STDERR_REASON_BYTES, stderrReason } from "./stderr-reason.ts"
import { signInHint } from "./sign-in-hint.ts"
import { wrapperHint } from "./wrapper-hint.ts"

export interface ChildSaid {
  /** "stderr: …" or "stdout (not JSON-RPC): …", when it said anything. */
  quoted?: string
  /** The variables it asks for that it did not get, with what to do ("API_KEY is not set for server x. Set it in …"). */
  note?: string
  /** What to do about it, when the reason names it (the env entry to add, the wrapper to fix). */
  remedy?: string
  /** It waits for its user to sign in in a browser (pool/sign-in-hint): no restart will do better. */
  signIn?: true
}

export interface ChildOutput {
  stderr: Pick<TextRing, "tail">
  stdoutNoise: Pick<TextRing, "tail">
}

/** Reads `out` (a stdio child's rings); `childVars` is the environment it got; no hints when `hints` is false (a more specific one is known). */
export function childSaid(server: string, out: ChildOutput | undefined, childVars: Readonly<Record<string, string>> | undefined, hints = true): ChildSaid {
  if (!out) return {}
  const err = stderrReason(out.stderr.tail(STDERR_REASON_BYTES))
  const std = err ? "" : stderrReason(out.stdoutNoise.tail(STDERR_REASON_BYTES))
  const said = err || std
  if (!said) return {}
  const signIn = hints ? signInHint(said, server) : undefined
  const hint = hints ? ((childVars && missingEnvHint(said, server, childVars)) || wrapperHint(said, server) || signIn || argsHint(said, server)) : undefined
  return {
    quoted: err ? `stderr: ${err}` : `stdout (not JSON-RPC): ${std}`,
    ...(hint ? { note: `${hint.text}. ${hint.remedy}`, remedy: hint.remedy } : {}),
    ...(hint !== undefined && hint === signIn ? { signIn: true as const } : {}),
  }
}
