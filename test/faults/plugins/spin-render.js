// A prompt whose render spins until the sandbox deadline interrupts it (plugins.renderDeadline).
export default {
  name: "spinner",
  prompts: [
    {
      name: "spin",
      description: "Never finishes on its own",
      render() {
        console.error("spinning") // the test's cue: the render is on the worker now
        for (;;) {}
      },
    },
  ],
}
