/**
 * @module app/first-answer
 * `orchestrator_status` as one connection sees it: `notInFirstList` says what THIS connection's first
 * tools/list answer lacked (a client such as Cursor keeps that one). Over HTTP every session has its
 * own first answer: before, each was told of the run's first one — a session opened once a slow
 * server had listed, its tools in its list, read that they were not. A connection that has not
 * listed itself (answered from the stored snapshot, or a 2026-07-28 client without a session) keeps
 * the run's.
 */
import type { Status } from "../mcp/index.ts"
import { notInFirstList, type FirstAnswer } from "../proxy/index.ts"

export function withFirstAnswer(s: Status, first: FirstAnswer | undefined): Status {
  if (first === undefined) return s
  return {
    ...s,
    servers: s.servers.map((row) => {
      const { notInFirstList: _run, ...rest } = row
      const why = notInFirstList(first, row.name, "this connection's")
      return why === undefined ? rest : { ...rest, notInFirstList: why }
    }),
  }
}
