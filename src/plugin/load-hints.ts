/**
 * @module plugin/load-hints
 * What to add to a load error the engine words for a module system a plugin does not have: a
 * plugin is one ES module with a default export and no module loader, so `require`, an `import`
 * of a package or a file, and a file with only named exports each fail with an engine sentence
 * (`could not load module 'helper'`, `the module has no default export`) that says neither why
 * nor what to write. Each gets that, and the line of the import it is about.
 */

/** The hint (appended to the engine's message) and, when the source places it, a better line. */
export interface LoadHint {
  suffix: string
  line?: number
}

/** `message` is the engine's (without the error name); `source` the author's file as written. */
export function loadHint(message: string, source: string): LoadHint {
  if (/^'(module|exports|require)' is not defined$/.test(message)) {
    return { suffix: ` (a plugin is an ES module with no module loader: write \`export default { name: "…", … }\`, without require or module.exports)` }
  }
  const imported = /^could not load module '(.*)'$/.exec(message)
  if (imported) {
    const spec = imported[1]!
    const builtin = /^(node|bun):/.test(spec) || spec === "fs" || spec === "child_process" || spec === "path"
    return {
      suffix:
        ` (a plugin cannot import: it has no module loader, only \`import type\` is fine. ` +
        (builtin
          ? `Node and Bun modules are not there at all: a plugin has no file system, network or process (docs/plugins.md, *What the guest can and cannot do*))`
          : `Put the code it needs in the plugin file, or bundle the plugin and its imports into one file, its sources kept outside the plugin directory: \`bun build src/my-plugin.ts --outfile <plugin dir>/my-plugin.js\`)`),
      line: importLine(source, spec),
    }
  }
  if (message === "the module has no default export") {
    const named = namedExports(source)
    const at = source.search(/\bexport\b/)
    return {
      // the first named export is where the default one is missing
      ...(named.length > 0 && at >= 0 ? { line: source.slice(0, at).split("\n").length } : {}),
      suffix:
        named.length > 0
          ? ` (its exports are named (${named.slice(0, 5).join(", ")}); the plugin is the default export: add \`export default ${named[0]}\`)`
          : ` (the plugin is the module's default export: write \`export default { name: "my-plugin", route(call) { … } }\`)`,
    }
  }
  return { suffix: "" }
}

/**
 * The line of the `import … from "spec"` (or `import("spec")`, `import "spec"`) the engine could
 * not load. QuickJS names the module normalised (`./helper` reads `helper`), so a specifier
 * ending in the name counts.
 */
function importLine(source: string, spec: string): number | undefined {
  const lines = source.split("\n")
  const tail = spec.replace(/^\.\//, "")
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    if (!/\bimport\b/.test(l) || /\bimport\s+type\b/.test(l)) continue
    for (const m of l.matchAll(/["'`]([^"'`]+)["'`]/g)) {
      const s = m[1]!.replace(/^\.\//, "")
      if (s === tail || s.endsWith(`/${tail}`) || tail.endsWith(`/${s}`)) return i + 1
    }
  }
  return undefined
}

/** Names the module exports by name (`export const plugin`, `export { plugin }`), in order. */
function namedExports(source: string): string[] {
  const out: string[] = []
  for (const m of source.matchAll(/\bexport\s+(?:declare\s+)?(?:const|let|var|class|(?:async\s+)?function\s*\*?)\s*([A-Za-z_$][\w$]*)/g)) out.push(m[1]!)
  for (const m of source.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      // the local name (`export { x as plugin }`: `export default x`)
      const name = part.trim().split(/\s+as\s+/)[0]?.trim()
      if (name && name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name)) out.push(name)
    }
  }
  return [...new Set(out)]
}
