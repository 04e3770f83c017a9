/**
 * @module catalog/search/one-file
 * A request naming one file by a path to it (`~/projects/api/.env.example`, `src/app.ts`) is about
 * that file, as a link to one item's page is (one-item.ts): the tool reading
 * one file answers "what's in ~/projects/api/.env.example", not `read_multiple_files` nor
 * `search_files`. Only one such literal, with a folder in it and its last part with a dot in it (an
 * extension or a dotfile): a path ending in "/" or a bare `/etc/hosts` may be a folder, two files
 * are several, and a bare name with a dot may be a product ("node.js", "next.js").
 */
import type { Literal } from "./literals.ts"

/** A path through a folder whose last part names a file: a dot in it, not at its end. */
const FILE_PATH = /\/[^/]*\.[^/.]+$/

/** True when `literals` name exactly one file, by a path ending in one. */
export function namesOneFile(literals: readonly Literal[]): boolean {
  const files = literals.filter((l) => l.kind === "file" || l.kind === "path")
  return files.length === 1 && literals.length === files.length && FILE_PATH.test(files[0]!.text)
}
