/**
 * The process table from /proc, for tests that check children, groups and orphans.
 */
import { readdirSync, readFileSync } from "node:fs"

/** The fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, …]; undefined once gone. */
export function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  } catch {
    return undefined
  }
}

/** Live processes whose stat fields match `pred`. */
export function pidsWhere(pred: (fields: string[]) => boolean): number[] {
  const out: number[] = []
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    const f = statFields(name)
    if (f !== undefined && pred(f)) out.push(Number(name))
  }
  return out
}

/** Is `pid` a live (not zombie, not dead) process? */
export function isAlive(pid: number): boolean {
  const state = statFields(pid)?.[0]
  return state !== undefined && state !== "Z" && state !== "X"
}

/** Is `pid` an orchestrator's watchdog (core/reaper: `/bin/sh -c … mcpo-reaper <token>`)? */
export function isReaper(pid: number | string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0")[3] === "mcpo-reaper"
  } catch {
    return false
  }
}
