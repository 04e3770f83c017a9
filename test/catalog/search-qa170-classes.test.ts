/**
 * The classes of miss QA 170's held-out set showed (test/fixtures/search-queries-qa170.json), each
 * as a rule of src/catalog/search, checked over that set's fleet (search-qa170-fleet.ts) and over
 * the same fleet without its terminal.
 */
import { describe, expect, test } from "bun:test"
import { qa167Fleet } from "./search-qa167-fleet.ts"
import { qa170Fleet } from "./search-qa170-fleet.ts"
import { fleetIndex } from "./search-sets.ts"
import { readCommandLine } from "../../src/catalog/search/shell.ts"

const ix = fleetIndex(qa170Fleet)
const noTerminal = fleetIndex(qa170Fleet.filter(([s]) => s !== "ssh"))
const first = (q: string): string | undefined => ix.search(q, { limit: 10 })[0]?.tool.name

describe("QA 170 classes: a command line to a remote terminal", () => {
  test("a plain command no tool does with more than one word of its meaning runs in the connected terminal (terminal.ts)", () => {
    // known commands: du (size of a directory), crontab (cron jobs), df (disk free space: ssh_monitor only says "disk")
    expect(first("du -sh /var/log")).toBe("ssh__ssh_execute")
    expect(first("crontab -l")).toBe("ssh__ssh_execute")
    expect(first("df -h")).toBe("ssh__ssh_execute")
    // a command the table does not know, written with a flag after it, on a named host
    expect(first("free -m on web-01")).toBe("ssh__ssh_execute")
    expect(first("netstat -tulpn")).toBe("ssh__ssh_execute")
    expect(first("journalctl -u nginx --since today")).toBe("ssh__ssh_execute")
    // (a sentence is no command line, nor is a verb of plain language before a flag)
    expect(first("mute host web-03 in datadog for an hour")).toBe("datadog__mute_host")
  })

  test("a command some tool does keeps that tool; without a terminal a command line stays what it asks", () => {
    expect(first("run sql on supabase: select * from users limit 5")).toBe("supabase__execute_sql")
    for (const q of ["crontab -l", "netstat -tulpn", "free -m on web-01"]) expect(noTerminal.search(q, { limit: 10 }).every((h) => h.weak)).toBe(true)
  })
})

describe("QA 170 classes: a pipeline", () => {
  test("the commands after a pipe filter what the first prints: it alone is asked (pipeline.ts)", () => {
    expect(first("top -bn1 | head -20")).toBe("ssh__ssh_execute")
    expect(first("ps aux | grep node")).toBe("ssh__ssh_process_manager")
    expect(readCommandLine("ps aux | grep node").units.map((u) => u.text)).toEqual(["ps"])
    expect(readCommandLine("ps aux | grep node").operands).toContain("node")
    // commands chained with && or ; are each asked
    expect(readCommandLine("df -h && du -sh /var/log").units.map((u) => u.text)).toEqual(["df", "du"])
  })
})

describe("QA 170 classes: run + a command, a git command line", () => {
  const ix167 = fleetIndex(qa167Fleet)
  const first167 = (q: string): string | undefined => ix167.search(q, { limit: 10 })[0]?.tool.name
  test("'run df -h …' opens a command line after the verb asking to run it (shell.ts)", () => {
    expect(first("run df -h on the prod box")).toBe("ssh__ssh_execute")
    expect(readCommandLine("run df -h on the prod box").units.map((u) => u.text)).toEqual(["df"])
    // (a sentence after "run" is none: "run npm test in a terminal" keeps its words)
    expect(readCommandLine("run the tests").units).toEqual([])
  })

  test("a git command line is done by a tool named after git, not by one whose product's name has the letters (terminal.ts)", () => {
    // qa167: github and gitlab ("git" inside their names) and `get_job_logs` ("log") beside an SSH terminal
    expect(first167("git log --oneline -10")).toBe("ssh__ssh_execute")
    expect(ix167.search("git log --oneline -10", { limit: 1 })[0]!.weak).toBeFalsy()
  })
})

describe("QA 170 classes: a thing no tool names", () => {
  const allWeak = (q: string): boolean => ix.search(q, { limit: 10 }).every((h) => h.weak)
  test("created, read, written or removed, a thing no tool names anywhere makes every hit weak, whatever verb they share (unnamed-object.ts)", () => {
    expect(allWeak("create a discord invite")).toBe(true)
    expect(allWeak("create a stripe payout")).toBe(true)
    expect(ix.search("create a discord invite", { limit: 1 })[0]!.unmatched).toContain("invite")
  })

  test("a thing a tool names, a verb of its own acting on content, or a search keeps strong answers", () => {
    expect(first("create a discord webhook for alerts")).toBe("discord__discord_create_webhook")
    expect(ix.search("create a discord webhook for alerts", { limit: 1 })[0]!.weak).toBeFalsy()
    // (the words before the last say which one: "the weekly report" is content an email carries)
    expect(ix.search("email the weekly report to ana@example.com", { limit: 1 })[0]!.weak).toBeFalsy()
    expect(ix.search("add a row to the Leads table in airtable", { limit: 1 })[0]!.weak).toBeFalsy()
  })
})
