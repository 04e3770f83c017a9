/**
 * @module plugin/reconcile
 * One reload step: compare the files found with the plugins loaded, keep unchanged ones (warm),
 * load new and changed ones, retire the rest, and fail later files that reuse a plugin name.
 */
import { readFile } from "node:fs/promises"
import { PluginError } from "../core/index.ts"
import { MAX_PLUGIN_BYTES, type Plugin } from "./plugin.ts"

export interface Slot {
  plugin: Plugin
  code: string
  /** Failed only because its name was taken: retried on every reload. */
  duplicate?: boolean
}

export interface Reconciled {
  /** Plugins in composition order. */
  next: Slot[]
  /** Replaced or removed plugins, to dispose. */
  retired: Slot[]
  /** Files added, changed or removed. */
  touched: string[]
  /** Files that could not be read. */
  problems: Array<{ path: string; message: string }>
}

async function readPlugin(file: string): Promise<string> {
  const buf = await readFile(file)
  if (buf.byteLength > MAX_PLUGIN_BYTES) throw new Error(`file is ${buf.byteLength} bytes (limit ${MAX_PLUGIN_BYTES})`)
  return buf.toString("utf8")
}

export async function reconcile(files: readonly string[], current: readonly Slot[], load: (file: string, code: string) => Promise<Plugin>): Promise<Reconciled> {
  const old = new Map(current.map((s) => [s.plugin.file, s]))
  const out: Reconciled = { next: [], retired: [], touched: [], problems: [] }
  for (const file of files) {
    let code: string
    try {
      code = await readPlugin(file)
    } catch (e) {
      out.problems.push({ path: file, message: (e as Error).message })
      continue
    }
    const prev = old.get(file)
    old.delete(file)
    if (prev && prev.code === code && !prev.duplicate) {
      out.next.push(prev)
      continue
    }
    if (prev) out.retired.push(prev)
    out.touched.push(file)
    out.next.push({ plugin: await load(file, code), code })
  }
  for (const s of old.values()) {
    out.touched.push(s.plugin.file)
    out.retired.push(s)
  }
  // one name, one plugin: a later file with a name already taken fails
  const names = new Map<string, string>()
  for (const s of out.next) {
    const p = s.plugin
    if (p.state !== "active") continue
    const taken = names.get(p.name)
    if (!taken) {
      names.set(p.name, p.file)
      continue
    }
    p.state = "failed"
    p.lastError = new PluginError("PLUGIN_DUPLICATE", `${p.file}:1: plugin name "${p.name}" is already used by ${taken}`, { details: { file: p.file } })
    s.duplicate = true
    await p[Symbol.asyncDispose]()
  }
  return out
}
