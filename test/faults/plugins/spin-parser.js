// A Toolkit output parser that spins until the sandbox deadline interrupts it (plugins.parseDeadline).
export default {
  name: "spin-parser",
  parsers: {
    servers() {
      console.error("spinning") // the test's cue: the parser is on the worker now
      for (;;) {}
    },
  },
}
