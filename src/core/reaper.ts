/**
 * @module core/reaper
 * What ends our children when this process cannot: its own SIGKILL (`kill -9`, the OOM killer, an
 * editor killing the whole process group), where no exit hook runs. Each downstream then only sees
 * EOF on its stdin: a server that ignores it, or a well-behaved one that leaves a helper behind in
 * its process group or outside it, would run on forever.
 *
 * At the first child started, a small `/bin/sh` watchdog is started (`/bin/sh -c # mcp-orchestrator
 * watchdog …` in `ps`, `$0` `mcpo-reaper`), in a session of its own (a kill of our process group
 * does not reach it), with the read end of a pipe as its stdin. It is told each child process group
 * as it is started and gone (`+pid`, `-pid` lines). It does nothing until that pipe ends, which
 * happens only when this process is gone, however it ended. Then, when anything of ours is still running: 250 ms
 * for the downstreams to end on their EOF, SIGTERM, 250 ms, SIGKILL (as a shutdown of ours does,
 * core/children). "Ours" is what carries our private token in its environment (core/descendants:
 * every downstream and whatever it started, also what left the group) or holds one of the stdio
 * ends our children were given (`=socket:[N]` lines: a helper with a scrubbed environment that
 * kept a server's output open) — on Linux, where /proc tells — and the process groups we were
 * told of whose leader still carries it (elsewhere: that still exist). On Linux, what descends
 * from those (parent links, /proc/<pid>/stat, walked until nothing new appears) is ours too: a
 * helper started with a scrubbed environment (`env -i setsid …`, stdio on /dev/null) by a server
 * still running. That walk is made as soon as the pipe ends, while the parent links still hold, and
 * again before each signal round (what was forked meanwhile; what was found before and whose parent
 * died since is kept, by pid and start time). Such a helper whose parent was already gone when
 * the pipe ended was re-parented to us (`serve` is a child subreaper, core/subreaper) and the
 * watchdog was told of it (`~pid:start` lines): it is ours too, with what descends from it. Not
 * found: one adopted within a poll (core/subreaper: 250 ms or 2 s) before our end. After a clean exit of ours nothing of that is left, and the watchdog ends at once.
 * The write end of the pipe is ours alone (close-on-exec): a child does not hold it open.
 */
import { ownToken } from "./descendants.ts"
import { noteSpawned, whenAdopted } from "./subreaper.ts"

/** The watchdog: `$1` is our token; stdin the pipe from us. POSIX sh. */
const SCRIPT = `# mcp-orchestrator watchdog: ends what the orchestrator started once it is gone (its stdin ends)
t=$1
q=\${2:-0}
w=\${3:-0}
o=$PPID
pw=
# the orchestrator's parent watched from here (armParentWatch): once it is gone, the orchestrator
# gets $w seconds to end on its own (it sees it too, unless its event loop is held), then is killed
if [ "$q" -gt 1 ] 2>/dev/null && [ -r "/proc/$o/stat" ]; then
  { read -r s < "/proc/$o/stat"; } 2>/dev/null; s=\${s##*) }; set -- $s; z=\${20}
  (
    # (read, a builtin: no process forked each second but sleep)
    born() { { read -r s < "/proc/$o/stat"; } 2>/dev/null || return 1; s=\${s##*) }; set -- $s; [ "\${20}" = "$z" ] || return 1; p=$2; }
    while sleep 1; do
      born || exit 0
      [ "$p" = "$q" ] && continue
      sleep "$w" 2>/dev/null || sleep 4
      born || exit 0
      printf '%s\\n' '{"level":"error","component":"shutdown","msg":"exiting now: the parent process exited and this process did not end on its own (its event loop held); killed by its watchdog, which ends its servers"}' > "/proc/$o/fd/2" 2>/dev/null
      kill -s KILL "$o" 2>/dev/null
      exit 0
    done
  ) </dev/null >/dev/null 2>&1 &
  pw=$!
fi
g=' '
e=' '
a=''
while IFS= read -r l; do
  case $l in
    +*) g="$g\${l#+} " ;;
    -*) p=\${l#-}; case $g in *" $p "*) g="\${g%%" $p "*} \${g#*" $p "}" ;; esac ;;
    =*) e="$e\${l#=} " ;;
    ~*) a="$a\${l#~} " ;;
  esac
done
[ -z "$pw" ] || kill "$pw" 2>/dev/null
held() {
  [ "$e" != ' ' ] || return 0
  ls -l /proc/[0-9]*/fd 2>/dev/null | awk -v e="$e" 'BEGIN { n = split(e, a, " "); for (i = 1; i <= n; i++) h[a[i]] = 1 } substr($0, 1, 6) == "/proc/" && /fd:$/ { split($0, d, "/"); p = d[3]; next } ($NF in h) { print p }' | sort -u
}
ours() {
  [ -r /proc/self/stat ] || return 0
  grep -lF -e "$t" /proc/[0-9]*/environ 2>/dev/null | sed -n 's#^/proc/\\([0-9]*\\)/environ$#\\1#p'
  held
}
mine() {
  if [ -r /proc/self/stat ]; then grep -qF -e "$t" "/proc/$1/environ" 2>/dev/null; else kill -s 0 -- "-$1" 2>/dev/null; fi
}
left() {
  for p in $(ours); do echo "$p"; done
  for p in $g; do mine "$p" && echo "$p"; done
}
kin() {
  r=$(echo $(left))
  if [ -z "$r$k" ] || [ ! -r /proc/self/stat ]; then echo "$r"; return; fi
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v r="$r" -v k="$k" '
    BEGIN { n = split(r, a, " "); for (i = 1; i <= n; i++) root[a[i]] = 1; n = split(k, a, " "); for (i = 1; i <= n; i++) seen[a[i]] = 1 }
    { p = $1; sub(/.*[)] /, ""); if ($1 == "Z" || $1 == "X") next; pp[p] = $2; at[p] = $20; if (p in root || $3 in root || (p ":" $20) in seen) in_[p] = 1 }
    END { do { m = 0; for (p in pp) if (!(p in in_) && (pp[p] in in_)) { in_[p] = 1; m = 1 } } while (m); for (p in in_) printf "%s:%s ", p, at[p] }'
}
hit() {
  k=$(kin)
  for p in $k; do kill -s "$1" "\${p%:*}" 2>/dev/null; done
  for p in $g; do mine "$p" && kill -s "$1" -- "-$p" 2>/dev/null; done
}
k=$a
k=$(kin)
[ -n "$k" ] || exit 0
sleep 0.25 2>/dev/null || sleep 1
hit TERM
sleep 0.25 2>/dev/null || sleep 1
hit KILL
hit KILL
`

interface Sink {
  write(s: string): unknown
  flush(): unknown
}

/** The groups the watchdog is told of (told again to a new one, should it have died). */
const groups = new Set<number>()
/** The processes re-parented to us it is told of (`pid:start`, core/subreaper), likewise. */
const adopted = new Set<string>()
/** The children's stdio ends it is told of (core/descendants `noteStdio`), likewise. */
const ends = new Set<string>()
let sink: Sink | undefined
let failed = false
/** The parent the watchdog watches for us (armParentWatch), and how long it then waits before killing us. */
let parentWatch: { parent: number; afterMs: number } | undefined

/**
 * Has the watchdog started now (not at the first child) and watch, from outside our event loop,
 * for `parent` to be gone (we are re-parented): `serve` watches that too (app/shutdown
 * watchParent), but not while its event loop is held by a long synchronous step, when it saw
 * nothing and ran on for as long as the step lasted. Once the parent is gone, the watchdog gives
 * us `afterMs` to end on our own, then SIGKILLs us (a line on our stderr says so) and ends what
 * we started, as after any death of ours. Linux (/proc); elsewhere, as before. A worker thread
 * cannot do it: it costs ~6 MiB of RSS for the life of the process, and sees no signal.
 */
export function armParentWatch(parent: number, afterMs: number): void {
  if (parent <= 1 || parentWatch !== undefined) return
  parentWatch = { parent, afterMs }
  watchdog()
}

/** The watchdog's stdin: started on first use (not on Windows, nor once it could not start), again once it died. */
function watchdog(): Sink | undefined {
  if (sink || failed || process.platform === "win32") return sink
  try {
    const p = Bun.spawn(["/bin/sh", "-c", SCRIPT, "mcpo-reaper", ownToken(), String(parentWatch?.parent ?? 0), (Math.max(0, parentWatch?.afterMs ?? 0) / 1000).toFixed(1)], {
      stdin: "pipe",
      stdout: "ignore",
      stderr: "ignore",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      // a session of its own: a kill of our process group (an editor's) does not reach it
      detached: true,
    })
    // ours, waited for by Bun: not an adopted process (core/subreaper)
    noteSpawned(p.pid)
    // it never holds the process open
    p.unref()
    const s = p.stdin as unknown as Sink & { unref?: () => void }
    s.unref?.()
    sink = s
    void p.exited.then(() => {
      if (sink === s) sink = undefined
    })
    if (groups.size + ends.size + adopted.size > 0) s.write([...groups].map((g) => `+${g}\n`).join("") + [...ends].map((e) => `=${e}\n`).join("") + [...adopted].map((a) => `~${a}\n`).join(""))
  } catch {
    failed = true
  }
  return sink
}

function tell(line: string): void {
  const s = watchdog()
  if (!s) return
  try {
    s.write(line)
    s.flush()
  } catch {
    // the watchdog is gone: the exit hooks still do their part
  }
}

/** A child process group started (`pid` leads it). */
export function reapGroup(pid: number): void {
  groups.add(pid)
  tell(`+${pid}\n`)
}

/** That group is gone (its leader exited and the group was killed). */
export function forgetGroup(pid: number): void {
  if (groups.delete(pid) && sink) tell(`-${pid}\n`)
}

/** A child's stdio ends (`socket:[N]`, `pipe:[N]`): what still holds them once we are gone is ours too (Linux). */
export function reapEnds(noted: readonly string[]): void {
  const fresh = noted.filter((e) => !ends.has(e) && /^(socket|pipe):\[[0-9]+\]$/.test(e))
  if (fresh.length === 0) return
  for (const e of fresh) ends.add(e)
  tell(fresh.map((e) => `=${e}\n`).join(""))
}

// A process re-parented to us (core/subreaper): once we are gone its parent link leads to init, so
// the watchdog is told of it (`~pid:start`: a pid since reused by another process is not it).
// Only once a watchdog runs (a child was started): nothing is adopted before.
whenAdopted((pid, start) => {
  const key = `${pid}:${start}`
  if (adopted.has(key)) return
  adopted.add(key)
  if (adopted.size > 3000) adopted.delete(adopted.values().next().value!)
  tell(`~${key}\n`)
})
