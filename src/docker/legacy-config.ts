/**
 * @module docker/legacy-config
 * Legacy `config set` = read config.yaml, change one key, write the whole file back with
 * `config write`. Server keys are canonicalized like the CLI does (`.` → `_`); dotted keys nest.
 * The file is edited as a YAML document, not rebuilt: comments, key order and every other value
 * stay as the user wrote them, and anything that is not the documented `{server: {key: value}}`
 * map (a scalar or list where a map belongs, several documents, text that is not YAML) is refused
 * before anything is written: writing it back would replace the user's whole configuration.
 */
import { isMap, isScalar, parseDocument, type Document } from "yaml"
import { ToolkitError } from "../core/index.ts"
import { encodeConfigValue, validateName } from "./names.ts"
import { cliText, isNoticePair } from "./parsers/common.ts"

const NOTHING_WRITTEN = "Fix ~/.docker/mcp/config.yaml by hand (or `docker mcp config reset`); nothing was written."

function refuse(what: string): ToolkitError {
  return new ToolkitError("OUTPUT_UNPARSEABLE", `The current config.yaml (\`docker mcp config read\`) ${what}, so setting one key would replace the user's configuration`, {
    remedy: NOTHING_WRITTEN,
  })
}

/** A map node at `key` of `parent`: the one there, or a new one where nothing (or `null`) was. */
function mapAt(doc: Document, parent: unknown, key: string, where: string): unknown {
  if (!isMap(parent)) throw refuse(`holds a value that is not a map at ${where}`)
  const node = parent.get(key, true)
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
    const created = doc.createNode({})
    parent.set(key, created)
    return created
  }
  if (!isMap(node)) throw refuse(`holds a value that is not a map at ${where === "the top" ? key : `${where}.${key}`}`)
  return node
}

/** Returns the new config.yaml text with `server.key = value`, the rest of the file as it was. */
export function legacyConfigSet(currentYaml: string, server: string, key: string, value: unknown): string {
  validateName("server", server)
  validateName("config key", key)
  encodeConfigValue(value)
  const parts = key.split(".")
  if (parts.some((p) => p === "" || p === "__proto__" || p === "constructor" || p === "prototype")) {
    throw new ToolkitError("INVALID_NAME", `Invalid config key name ${JSON.stringify(key)}`, { remedy: "Use plain dotted keys such as `auth.username`." })
  }
  // as a terminal shows it, without the hints printed with it: colour codes, a `Tip: …` line or a
  // trailing `What's next:` block cannot be part of the YAML file, and are not written back into it
  const text = cliText(currentYaml)
  const doc = parseDocument(text, { uniqueKeys: false })
  if (doc.errors.length) {
    throw new ToolkitError("OUTPUT_UNPARSEABLE", `Cannot parse the current config.yaml: ${(doc.errors[0] as Error).message.split("\n")[0]}`, { remedy: NOTHING_WRITTEN })
  }
  // an empty file or only comments: a map is started (the comments stay)
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({}) as never
  if (!isMap(doc.contents)) throw refuse(`is not a map of servers (${isScalar(doc.contents) ? "plain text" : "a list"})`)
  // a `Tip: …` or update notice the CLI printed with the file is not written back into it
  const contents = doc.contents
  contents.items = contents.items.filter((p) => !isNoticePair(isScalar(p.key) ? p.key.value : p.key, isScalar(p.value) ? p.value.value : p.value))
  const canonical = server.replaceAll(".", "_")
  let node = mapAt(doc, doc.contents, canonical, "the top")
  let where = canonical
  for (const p of parts.slice(0, -1)) {
    node = mapAt(doc, node, p, where)
    where = `${where}.${p}`
  }
  if (!isMap(node)) throw refuse(`holds a value that is not a map at ${where}`)
  node.set(parts[parts.length - 1] as string, doc.createNode(value))
  return doc.toString()
}
