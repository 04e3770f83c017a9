/** @module cli/state Exit-code bookkeeping shared by commands: 0 ok, 1 runtime failure, 2 usage/config. */
export interface CliState {
  code: number
  usage(message: string): void
  fail(message: string): void
}

export function createState(err: (s: string) => void = (s) => process.stderr.write(s + "\n")): CliState {
  const state: CliState = {
    code: 0,
    usage(message) {
      err(`mcp-orchestrator: ${message}`)
      state.code = 2
    },
    fail(message) {
      err(`mcp-orchestrator: ${message}`)
      state.code = 1
    },
  }
  return state
}
