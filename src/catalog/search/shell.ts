/**
 * @module catalog/search/shell
 * Requests written as shell and CLI commands, the way coding agents search ("mkdir -p src/ui",
 * "ls -la", "grep -r TODO src", "mv a.txt b.txt", "cat README.md", "curl https://…", "git checkout
 * -b x"): each known command stands for what it does in the words tools use ("mkdir" → create +
 * directory). Its flags are dropped (the few that change what it does are read: `ls -R`, `tar -x`,
 * `git checkout -b`, `git diff --staged`) and its operands are arguments, not intent (they become
 * literals: "build" in "rm -rf build" is not about builds).
 *
 * A command's meaning is a list of requirements, each a set of alternative words: "create make new
 * + directory folder" asks for one word of each. A tool that matches no word of one requirement is
 * only a weak match for the request (index.ts): `rm notes.txt` is not answered by a tool that
 * deletes graph relations.
 */
import { isActionVerb, isReadVerb } from "./intent.ts"
import { segments } from "./pipeline.ts"
import { hostClauseAt, thingsOnHost } from "./host.ts"
import { quotedInSentence } from "./quoted-content.ts"
import { isStop, stem, tokenize } from "./tokenize.ts"

/** What a command asks for: requirements (each: alternative stemmed terms), as typed. */
export interface CommandUnit {
  /** The command as typed ("mkdir", "git checkout -b"). */
  text: string
  groups: string[][]
  /** A product CLI's own name: it meets every requirement (a tool named after it does what it asks). */
  own?: string[]
  /** A command opening a command line with no word of plain language after it ("docker ps", "df -h"; not "push the docker image"): a line to run (terminal.ts). */
  line?: boolean
  /** The words of its subcommand, kept as words of the request ("logs" of "kubectl logs"). */
  words?: string[]
  /** A CLI the table does not know ("terraform plan -out tf.plan"): it means running the line. */
  unknown?: boolean
  /** The CLI whose subcommand it is ("git" of "git log"): a tool doing it names that CLI too (terminal.ts). */
  cli?: string
  /** A line ending on the host it runs on ("uptime on web-01"): only a terminal runs it (host.ts). */
  host?: boolean
}

export interface CommandLine {
  /** The request without the commands, their flags and operands (natural language left). */
  rest: string
  units: CommandUnit[]
  /** Operands of the commands (file names, paths, patterns…): arguments, not intent. */
  operands: string[]
  /** Terms that only add to the score (no requirement): "multiple" for `cat a b c`. */
  extra: string[]
}

interface CommandDef {
  meaning: string
  /** "any": the word is a command wherever it is; "start": only first in a command line that looks like one (a flag, a path-like operand, or nothing after it). */
  at: "any" | "start"
  /** Flag (one letter, case-sensitive, or a long name) → the meaning it gives instead. */
  flags?: Record<string, string>
  /** With two operands or more, these terms are added ("cat a b c" reads multiple files). */
  many?: string
  /** Only a command when a word after it looks like a path, a pattern or a flag ("find src -name x", not "find the user"). */
  needsArg?: boolean
  /**
   * A product's own CLI (kubectl, helm, docker, psql…): its name is one more word for each of its
   * requirements, so tools named after it (`kubectl_logs`, `install_helm_chart`) do what it asks.
   */
  self?: boolean
  /** Subcommand → the meaning it gives instead ("npm test" runs a script, "npm install" installs). */
  subs?: Record<string, string>
  /** A CLI the table does not know (`unknownCli`). */
  unknown?: boolean
}

/** What `npm test`, `cargo build`, `yarn run x` do: run a command (a terminal process). */
const RUN_SCRIPT = "run execute start + command process terminal script"

/**
 * What a product CLI's command line that no tool performs asks for ("terraform plan -out tf.plan",
 * "docker ps" with no container tool): a terminal to run it in (not a script runner: a browser's
 * `evaluate` runs no CLI).
 */
const RUN_IN_TERMINAL = "run execute start + command process terminal shell"

/**
 * Commands → meaning. Names prefixed with `^` are English words too ("cat", "head", "touch",
 * "date"): they count as commands only where a command line starts and looks like one.
 * Commands nothing may do (ssh, docker, chmod…) are listed too, so that no tool is offered for
 * them as if it did what they do.
 */
const COMMANDS: ReadonlyArray<readonly [string, string, Omit<CommandDef, "meaning" | "at">?]> = [
  // files and directories
  ["mkdir", "create make new + directory folder"],
  ["rmdir", "delete remove + directory folder"],
  ["ls ^ll ^dir exa eza", "list show + directory folder file", { flags: { R: "tree recursive + directory folder" } }],
  ["^tree", "tree recursive + directory folder"],
  ["du", "size sizes + directory folder file"],
  ["df", "disk free space"],
  ["rm ^del ^erase ^unlink", "delete remove + file directory folder"],
  ["mv ^ren", "move rename + file directory folder"],
  ["cp ^copy xcopy robocopy", "copy duplicate + file directory folder"],
  ["ln", "link symlink + file"],
  ["^cat ^less ^more", "read show content + file", { many: "multiple" }],
  ["^head", "read head + file"],
  ["^tail", "read tail + file"],
  ["^touch", "create write new + file"],
  // ("ack" is also chat for acknowledge: only a command line opening the request, a pattern or flag after it; "ack incident 42" acknowledges, QA 276)
  ["grep egrep fgrep rg ^ack findstr", "search find grep + file content code text"],
  ["^find", "search find + file directory path name", { needsArg: true }],
  ["fd ^locate", "search find + file directory path name"],
  ["^stat", "info metadata + file"],
  ["sed awk", "edit replace + file"],
  ["chmod chown chgrp", "change set + permission owner + file"],
  ["gzip ^zip tar 7z", "compress archive + file", { flags: { x: "extract decompress unpack + archive" } }],
  ["unzip gunzip", "extract decompress unpack + archive zip"],
  // network
  ["curl wget httpie ^http", "fetch download request + url web http page"],
  ["ping traceroute", "ping + host network"],
  ["ssh mosh", "ssh + remote host"],
  ["scp rsync sftp", "copy sync + remote file"],
  ["dig nslookup", "dns + lookup record"],
  // processes and the system
  ["ps htop", "process + list running"],
  ["^kill pkill killall", "kill terminate stop + process"],
  ["^date", "current now + time date"],
  ["^cal", "calendar + event"],
  ["whoami", "whoami me profile authenticated user"],
  ["printenv ^env", "environment env + variable"],
  ["crontab", "cron schedule + job"],
  // package managers, containers, databases
  ["npm pip pip3 pipx yarn pnpm brew ^apt apt-get cargo", "install + package", { self: true, subs: { run: RUN_SCRIPT, test: RUN_SCRIPT, start: RUN_SCRIPT, build: RUN_SCRIPT, exec: RUN_SCRIPT, x: RUN_SCRIPT, dlx: RUN_SCRIPT } }],
  ["docker podman", "docker + container", { self: true }],
  ["kubectl", "kubernetes + pod cluster", { self: true }],
  ["helm", "kubernetes + chart release", { self: true }],
  ["psql", "postgres postgresql database sql", { self: true }],
  // (the product's name too: "query the mysql database" names it, it runs no client)
  ["^mysql", "mysql database sql", { self: true }],
  ["sqlite3", "sqlite database sql", { self: true }],
  [".tables", "list + table"],
  [".schema", "describe schema + table"],
]

/** git subcommands whose word alone does not say what they do (default: the word itself). */
const GIT: Readonly<Record<string, readonly [string, Record<string, string>?]>> = {
  checkout: ["checkout switch", { b: "create checkout + branch", B: "create checkout + branch" }],
  switch: ["checkout switch", { c: "create checkout + branch", C: "create checkout + branch" }],
  rm: ["delete remove + file"],
  mv: ["move rename + file"],
  diff: ["diff", { staged: "diff + staged", cached: "diff + staged" }],
  restore: ["restore reset discard checkout"],
  pull: ["pull + remote origin upstream"],
  fetch: ["fetch + remote origin upstream"],
  push: ["push + remote origin upstream"],
}

/** git's subcommands ("git stash" asks for stashing even when no tool knows the word). */
const GIT_SUBCOMMANDS = new Set(
  "add am apply archive bisect blame branch checkout cherry-pick clean clone commit config describe diff fetch grep init log merge mv pull push rebase reflog remote reset restore revert rm show stash status switch tag worktree".split(" "),
)

/** Commands that only print: redirected to a file (`echo x > notes.txt`) they write it. */
const EMITTERS = new Set(["echo", "printf", "cat"])

let table: Map<string, CommandDef> | undefined

function commands(): Map<string, CommandDef> {
  if (table) return table
  table = new Map()
  for (const [names, meaning, opts] of COMMANDS) {
    for (const n of names.split(" ")) {
      const start = n.startsWith("^")
      table.set(start ? n.slice(1) : n, { meaning, at: start ? "start" : "any", ...opts })
    }
  }
  return table
}

/** The requirements of running a command line in a terminal (a CLI no tool performs: query.ts). */
export function terminalGroups(): string[][] {
  return groupsOf(RUN_IN_TERMINAL)
}

/** "create make + directory folder" → [["creat", "make"], ["directory", "folder"]]. */
function groupsOf(meaning: string): string[][] {
  return meaning
    .split("+")
    .map((g) => tokenize(g))
    .filter((g) => g.length > 0)
}

/** Shell words: quoted text is one ('select count(*) from users'). */
const TOKEN = /'[^']*'|"[^"]*"|`[^`]*`|\S+/g
const FLAG = /^(?:--?[A-Za-z][\w-]*|-\d+)$/
const ENV_ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/
/** A subcommand: a lowercase word ("get", "rollout", "port-forward"), not a path, a file or a name with digits. */
const SUBCOMMAND = /^[a-z][a-z-]*$/
/** An operand that only a command line has: a path, file name, glob, quoted text, number or flag. */
const ARG_LIKE = /^(?:[-./~*'"`]|[A-Za-z]:\\)|[/\\*?]|\.\w{1,5}$|^\d+$/

/** A chat address: a channel ("#billing") or a handle ("@dana"). */
const CHAT_ADDRESS = /^[#@][A-Za-z]/
/** Placeholder operands ("cat file", "touch files", "tail logs"): a command line too. */
const GENERIC_OPERAND = new Set(["file", "files", "dir", "directory", "folder", "log", "logs"])

function argLike(tok: string | undefined): boolean {
  return tok !== undefined && (ARG_LIKE.test(tok) || GENERIC_OPERAND.has(tok.toLowerCase()))
}

/** Short flags → their letters; long flags → their name. */
function flagKeys(tok: string): string[] {
  if (tok.startsWith("--")) return [tok.slice(2).toLowerCase()]
  return /^-\d+$/.test(tok) ? [] : [...tok.slice(1)]
}

/**
 * `mkdir -p src`: the commands of a request, what they ask for, and the rest of it. `isServer`:
 * whether a word is the name of a connected server: then it names that server, not a command
 * ("exa search for…" with an `exa` server is no `ls`). `namesTool`: whether a word is one a tool's
 * name has: then it is no command the table lacks ("deploy api on web-01" asks `ssh_deploy`).
 * `known`: whether any tool uses a word: a plural one alone before a host is then the things asked
 * about there ("exceptions on checkout-2"), not a command the table lacks ("uptime on web-01" is one).
 */
export function readCommandLine(query: string, isServer: (word: string) => boolean = () => false, namesTool: (word: string) => boolean = () => false, known: (word: string) => boolean = () => false): CommandLine {
  const out: CommandLine = { rest: "", units: [], operands: [], extra: [] }
  const restParts: string[] = []
  for (const { text: segment, filter } of segments(query)) {
    const toks = segment.match(TOKEN) ?? []
    // a filter of a pipeline (`| grep node`) asks nothing of its own: its words are arguments
    if (filter) {
      out.operands.push(...toks.filter((t) => !FLAG.test(t) && !commands().has(t.toLowerCase())))
      continue
    }
    let i = 0
    while (i < toks.length && (toks[i] === "sudo" || toks[i] === "$" || ENV_ASSIGN.test(toks[i]!))) i++
    const kept: string[] = []
    // "run df -h on the prod box": the command line starts after the verb asking to run it
    if (RUN_VERBS.has(toks[i]?.toLowerCase() ?? "") && opensLine(toks, i + 1)) kept.push(toks[i++]!)
    const start = i
    // (a trailing "on web-01" says where the line runs: no plain language after it, host.ts)
    const end = hostClauseAt(toks)
    const upto = toks.slice(0, end)
    const host = end < toks.length
    while (i < toks.length) {
      const tok = toks[i]!
      const word = tok.toLowerCase()
      const next = toks[i + 1]
      if (word === "git" && next !== undefined && GIT_SUBCOMMANDS.has(next.toLowerCase())) {
        kept.push(tok) // "git" stays a word of the request (it names the server too)
        const sub = next.toLowerCase()
        const [meaning, flags] = GIT[sub] ?? [sub]
        // (opening the request, a line to run unless a git tool does it: terminal.ts)
        const line = i === start && !plainAfter(upto, i + 2)
        i = consume(toks, i + 2, out, { text: `git ${sub}`, meaning, flags, line, host: line && host, cli: "git", words: [tok] })
        continue
      }
      const def = commands().get(word) ?? (i === start ? (unknownCli(toks, i) ?? (host && !namesTool(word) && (upto.length > i + 1 || !(known(word) && /[^s]s$/.test(word))) && !thingsOnHost(upto.slice(i), known) ? hostCommand(upto, i) : undefined)) : undefined)
      if (def && (!isServer(word) || cliLine(def, i === start, upto, i + 1)) && isCommand(def, i === start, upto, i + 1)) {
        const at = i
        const sub = next === undefined ? undefined : def.subs?.[next.toLowerCase()]
        const keptBefore = kept.length
        if (sub) i++
        // a product CLI's subcommand says what it does in words: words of the request, not operands
        else if (def.self) i += subcommandWords(toks, i + 1, kept)
        const line = at === start && !plainAfter(upto, at + 1)
        i = consume(toks, i + 1, out, { text: sub ? `${word} ${next!.toLowerCase()}` : word, meaning: sub ?? def.meaning, flags: def.flags, many: def.many, emitter: EMITTERS.has(word), self: def.self, line, host: line && host, words: kept.slice(keptBefore), unknown: def.unknown })
        continue
      }
      if (i === start && EMITTERS.has(word) && someFrom(toks, i + 1, (t) => t.startsWith(">"))) {
        i = consume(toks, i + 1, out, { text: word, meaning: "", emitter: true })
        continue
      }
      if (!FLAG.test(tok)) kept.push(tok)
      i++
    }
    restParts.push(kept.join(" "))
  }
  out.rest = restParts.join(" ")
  return out
}

/**
 * A product CLI's subcommand, from `toks[from]`, into `kept` (returns how many words): its verb
 * ("kubectl logs", "helm upgrade", "kubectl rollout restart"), and the word after a verb that
 * reads, what it reads ("kubectl get pods", "helm list releases"), or a verb after a noun ("gh pr
 * list", "gh issue create"). Not a name after another verb ("helm install redis", "npm install
 * lodash": an operand). A path, a flag or a name with digits ends it.
 */
function subcommandWords(toks: readonly string[], from: number, kept: string[]): number {
  const [a, b] = [toks[from], toks[from + 1]]
  if (a === undefined || !SUBCOMMAND.test(a)) return 0
  kept.push(a)
  const verb = (w: string): boolean => w.split("-").some((p) => isActionVerb(stem(p)))
  if (b === undefined || !SUBCOMMAND.test(b) || !(isReadVerb(stem(a)) || (!verb(a) && verb(b)))) return 1
  kept.push(b)
  return 2
}

/**
 * Whether a product CLI's name that names a connected server too (the Docker MCP Toolkit's gateway
 * is the server `docker`) starts a command line anyway: first, followed by a subcommand, a flag or
 * an operand, and no word of plain language after it ("docker ps", "docker run nginx -d"; not
 * "docker list the open issues", which asks that server).
 */
function cliLine(def: CommandDef, atStart: boolean, toks: readonly string[], from: number): boolean {
  const next = toks[from]
  return def.self === true && atStart && next !== undefined && (FLAG.test(next) || argLike(next) || SUBCOMMAND.test(next)) && !plainAfter(toks, from)
}

/** Whether the words from `toks[from]` are plain language: a stop word and no flag ("… list the open issues"; not "compose up -d"). */
function plainAfter(toks: readonly string[], from: number): boolean {
  return someFrom(toks, from, (t) => isStop(t.toLowerCase())) && !someFrom(toks, from, (t) => FLAG.test(t))
}

/**
 * A CLI the table does not know, opening a command line ("terraform plan -out tf.plan", "aws s3 ls
 * --recursive", "gcloud run deploy --source ."): a lowercase word that is no verb, then a
 * subcommand, and a flag further on, with no word of plain language before it ("tests failing with
 * --watch" is a sentence). It asks to run that command (a
 * tool named after the CLI does it, else a terminal tool).
 */
function unknownCli(toks: readonly string[], at: number): CommandDef | undefined {
  const [word, next] = [toks[at]!, toks[at + 1]]
  if (flaggedWord(word, next)) return { meaning: RUN_IN_TERMINAL, at: "any", self: true, unknown: true }
  if (!SUBCOMMAND.test(word) || isStop(word) || isActionVerb(stem(word)) || next === undefined || !SUBCOMMAND.test(next)) return undefined
  const flag = toks.findIndex((t, i) => i > at + 1 && FLAG.test(t))
  if (flag < 0 || toks.slice(at + 1, flag).some((t) => isStop(t.toLowerCase()))) return undefined
  return { meaning: RUN_IN_TERMINAL, at: "any", self: true, unknown: true }
}

/**
 * A command the table does not know, opening a line that ends on a host ("uptime on web-01",
 * "systemctl restart nginx on web-02", "pm2 restart api on app-2"; `upto` the tokens before that
 * clause): a lowercase word (digits allowed) that is no stop word nor verb of plain language, then
 * at most three subcommands or operands, none of them plain language.
 */
function hostCommand(upto: readonly string[], at: number): CommandDef | undefined {
  const word = upto[at]!
  const rest = upto.slice(at + 1)
  if (!/^[a-z][a-z0-9-]*$/.test(word) || isStop(word) || isActionVerb(stem(word)) || rest.length > 3) return undefined
  if (rest.some((t) => isStop(t.toLowerCase()) || !(FLAG.test(t) || argLike(t) || SUBCOMMAND.test(t)))) return undefined
  return { meaning: RUN_IN_TERMINAL, at: "any", self: true, unknown: true }
}

/**
 * A command the table does not know, written with a flag right after it ("free -m", "netstat
 * -tulpn", "journalctl -u nginx", "uname -a"): a lowercase word (digits allowed: "pm2") that is no
 * stop word nor verb of plain language, then a flag.
 */
function flaggedWord(word: string, next: string | undefined): boolean {
  return next !== undefined && /^[a-z][a-z0-9-]*$/.test(word) && FLAG.test(next) && !/^-\d+$/.test(next) && !isStop(word) && !isActionVerb(stem(word))
}

/** Verbs asking to run the command line after them ("run df -h", "execute uname -a"). */
const RUN_VERBS = new Set(["run", "execute", "exec"])

/** Whether `word` (lowercase) is a command this table knows, or git: a command line's CLI, not only a product's name. */
export function knownCommand(word: string): boolean {
  return commands().has(word) || word === "git"
}

/** Whether a command line opens at `toks[at]`: a known command or git, or an unknown one written with a flag. */
function opensLine(toks: readonly string[], at: number): boolean {
  const word = toks[at]?.toLowerCase()
  return word !== undefined && (knownCommand(word) || flaggedWord(word, toks[at + 1]))
}

/** Whether the word at `toks[from - 1]` is the command `def` (looked ahead at most once per command line: linear in the request). */
function isCommand(def: CommandDef, atStart: boolean, toks: readonly string[], from: number): boolean {
  // a chat address right after it ("ping #billing that…", "ping @dana about…") makes it a word of
  // chat, not a command: no shell operand starts with "#" or "@" and a letter (QA 255)
  if (CHAT_ADDRESS.test(toks[from] ?? "")) return false
  // a path, pattern or flag anywhere after it, or a placeholder right after it ("find file"): a
  // placeholder further on is plain language ("find the contact … and log a meeting")
  // (quoted text after plain language is what the sentence looks for: "find records similar to 'x'", quoted-content.ts)
  if (def.needsArg) return atStart && (argLike(toks[from]) || toks.some((t, i) => i >= from && ARG_LIKE.test(t) && !quotedInSentence(toks, from, i)))
  if (def.at === "any") return true
  return atStart && (from >= toks.length || argLike(toks[from]))
}

function someFrom(toks: readonly string[], from: number, test: (t: string) => boolean): boolean {
  for (let i = from; i < toks.length; i++) if (test(toks[i]!)) return true
  return false
}

/**
 * The flags and operands after a command, up to the first word of plain language (a stop word:
 * "mv a.txt to archive", "ssh into the server"): records the command's unit and returns where the
 * plain language resumes.
 */
function consume(toks: readonly string[], from: number, out: CommandLine, cmd: { text: string; meaning: string; flags?: Record<string, string> | undefined; many?: string | undefined; emitter?: boolean; self?: boolean | undefined; line?: boolean; host?: boolean; words?: string[]; unknown?: boolean | undefined; cli?: string }): number {
  const keys: string[] = []
  const operands: string[] = []
  let redirect: string | undefined
  let i = from
  for (; i < toks.length; i++) {
    const tok = toks[i]!
    if (tok.startsWith(">")) {
      redirect = tok.startsWith(">>") ? "append write + file" : "write create + file"
      const target = tok.replace(/^>+/, "")
      if (target) operands.push(target)
      continue
    }
    if (FLAG.test(tok)) {
      for (const k of flagKeys(tok)) keys.push(k)
      continue
    }
    if (isStop(tok.toLowerCase()) || (tok.startsWith(".") && commands().has(tok))) break
    operands.push(tok)
  }
  let meaning = cmd.meaning
  for (const k of keys) {
    const alt = cmd.flags?.[k]
    if (alt) {
      meaning = alt
      break
    }
  }
  if (redirect && cmd.emitter) meaning = redirect
  const groups = groupsOf(meaning)
  if (groups.length) out.units.push({ text: cmd.text, groups, ...(cmd.self ? { own: tokenize(cmd.text.split(" ")[0]!) } : {}), ...(cmd.line ? { line: true } : {}), ...(cmd.host ? { host: true } : {}), ...(cmd.words?.length ? { words: cmd.words } : {}), ...(cmd.unknown ? { unknown: true } : {}), ...(cmd.cli ? { cli: cmd.cli } : {}) })
  if (cmd.many && operands.length >= 2) out.extra.push(...tokenize(cmd.many))
  for (const o of operands) out.operands.push(o)
  return i
}
