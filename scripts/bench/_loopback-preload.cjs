/**
 * `node --require` preload for benchmarks: a `net.Server` listen with no host or a wildcard host
 * (`listen(port)`, `listen({ port })`, `::`, `0.0.0.0`) binds 127.0.0.1 instead of every interface.
 */
"use strict"
const net = require("node:net")

const LOOPBACK = "127.0.0.1"
const WILDCARD = new Set(["", "0.0.0.0", "::", "::0", "[::]", "0:0:0:0:0:0:0:0"])
const original = net.Server.prototype.listen

function isPort(v) {
  return typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v))
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0]
  if (first !== null && typeof first === "object") {
    // options object; unix sockets (path) and inherited handles (fd, _handle) are left alone
    const isHandle = "path" in first || "fd" in first || "_handle" in first || "handle" in first
    if (!isHandle && (first.host === undefined || WILDCARD.has(String(first.host)))) {
      args[0] = { ...first, host: LOOPBACK }
    }
  } else if (args.length === 0 || typeof first === "function") {
    args.unshift(0, LOOPBACK) // listen() / listen(cb): random port
  } else if (isPort(first)) {
    if (typeof args[1] !== "string") args.splice(1, 0, LOOPBACK)
    else if (WILDCARD.has(args[1])) args[1] = LOOPBACK
  }
  return original.apply(this, args)
}
