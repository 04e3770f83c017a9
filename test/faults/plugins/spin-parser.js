// A Toolkit output parser that spins until the sandbox deadline interrupts it (plugins.parseDeadline).
export default {
  name: "spin-parser",
  parsers: {
    servers() {
      for (;;) {}
    },
  },
}
