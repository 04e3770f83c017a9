// A route hook on the hot path: `shout` is an alias of the downstream's `echo`.
export default {
  name: "alias-route",
  route(call) {
    return call.tool === "shout" ? { tool: "echo" } : undefined
  },
}
