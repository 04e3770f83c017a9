/**
 * @module app/stdout-watch
 * Over stdio, a client that closes its end of our stdout can never get an answer again. A write
 * finds that out (EPIPE: mcp/stdio-transport `onoutputend`), but a serve with nothing to write (no
 * request in flight, nothing announced) wrote nothing and served on, with every downstream it
 * started, for as long as the client kept stdin open and lived: an editor that drops a server's
 * output pipe first left it running. This asks the kernel instead, once a second: `poll(2)` on fd 1
 * with no events requested reports only POLLERR (a pipe with no reader left) or POLLHUP (a socket
 * whose peer closed it), which are exactly "nobody can read what we write". Linux only (through
 * libc's `poll`, loaded when first needed, a second after start: not on the start path); a stdout
 * that is no pipe or socket (a file, a terminal, /dev/null), or a libc that cannot be opened, is
 * not watched (as before: seen at the next write). Keeps nothing alive.
 */
import { isPipeOrSocket } from "../core/index.ts"

const POLLERR = 0x8
const POLLHUP = 0x10
const POLLNVAL = 0x20

/** `poll` on one fd with no events: its revents, or undefined when it cannot be asked. */
type Probe = (fd: number) => number | undefined

let probe: Promise<Probe | undefined> | undefined

/** libc's poll through bun:ffi (Linux; glibc or musl), once; undefined where it cannot be had. */
function libcProbe(): Promise<Probe | undefined> {
  probe ??= (async () => {
    if (process.platform !== "linux") return undefined
    try {
      const ffi = await import("bun:ffi")
      for (const name of ["libc.so.6", `libc.musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`, "libc.so"]) {
        try {
          const lib = ffi.dlopen(name, { poll: { args: ["ptr", "u64", "i32"], returns: "i32" } })
          // struct pollfd { int fd; short events; short revents; }
          const buf = new Int32Array(2)
          return (fd: number) => {
            buf[0] = fd
            buf[1] = 0
            const n = lib.symbols.poll(ffi.ptr(buf), 1, 0)
            return n < 0 ? undefined : (buf[1]! >>> 16) & 0xffff
          }
        } catch {
          // not this name
        }
      }
    } catch {
      // no FFI in this runtime
    }
    return undefined
  })()
  return probe
}

/**
 * Calls `onClosed` once when nobody can read fd `fd` (our stdout) any more; checks every `everyMs`.
 * Returns the function that stops watching. `ask` replaces libc's poll (tests).
 */
export function watchStdoutClosed(onClosed: () => void, everyMs = 1000, fd = 1, ask: () => Promise<Probe | undefined> = libcProbe): () => void {
  if (!isPipeOrSocket(fd)) return () => {}
  let stopped = false
  let busy = false
  const check = (): void => {
    if (stopped || busy) return
    busy = true
    void ask()
      .then((p) => {
        busy = false
        if (stopped) return
        if (!p) return stop()
        const revents = p(fd)
        if (revents === undefined || (revents & POLLNVAL) !== 0) return stop()
        if ((revents & (POLLERR | POLLHUP)) === 0) return
        stop()
        onClosed()
      })
      .catch(() => stop())
  }
  const t = setInterval(check, everyMs)
  t.unref?.()
  const stop = (): void => {
    stopped = true
    clearInterval(t)
  }
  return stop
}
