/**
 * @module docker/catalog-ref
 * Which catalog names each CLI era takes (toolkit.md §2): the legacy era names catalogs by their
 * file under ~/.docker/mcp/catalogs (`docker-mcp`, `my-team`), the profiles era by OCI reference
 * (`mcp/docker-mcp-catalog`, `docker.io/mcp/docker-mcp-catalog:latest`, `localhost:5000/team/cat:v1`,
 * `…@sha256:<64 hex>`; the grammar of distribution/reference). Docker's own catalog is asked for
 * under either name in either era; any other name of the other era's kind is refused with what this
 * era reads instead, and a malformed reference (`mcp//x`, `mcp/X`, a short digest) before anything runs.
 */
import { ToolkitError } from "../core/index.ts"
import type { Era } from "./types.ts"

/** Legacy catalog names: a file name without its `.yaml`. */
export const LEGACY_CATALOG_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
const HOST_PART = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
/** A registry: `localhost`, a name with a dot, or any host with a port (how docker tells it from a path). */
const DOMAIN = `(?:localhost(?::[0-9]{1,5})?|${HOST_PART}(?:\\.${HOST_PART})+(?::[0-9]{1,5})?|${HOST_PART}:[0-9]{1,5}|\\[[0-9A-Fa-f:]+\\](?::[0-9]{1,5})?)`
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
const DIGEST = "(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})"
/** An OCI reference: `[registry/]path[:tag][@digest]`. */
export const OCI_REF_RE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`)
/** docker's reference length limit (name part). */
const MAX_REF = 255

/** Docker's catalog under each era's name. */
export const LEGACY_DOCKER_CATALOG = "docker-mcp"
export const DOCKER_CATALOG_REF = "mcp/docker-mcp-catalog"

/** `docker.io/mcp/docker-mcp-catalog:latest` and its other spellings: Docker's catalog. */
function isDockerCatalogRef(ref: string): boolean {
  return /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?mcp\/docker-mcp-catalog(?::latest)?$/.test(ref)
}

export function isOciRef(ref: string): boolean {
  return ref.length <= MAX_REF && OCI_REF_RE.test(ref)
}

function show(v: string): string {
  return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)
}

/** Why a string is not an OCI reference, in words (the first rule it breaks). */
function whyNotOci(ref: string): string {
  if (ref.length > MAX_REF) return `it is ${ref.length} characters long (at most ${MAX_REF})`
  if (/\s/.test(ref)) return "it holds white space"
  if (ref.startsWith("-")) return "it starts with a dash"
  const at = ref.indexOf("@")
  if (at >= 0 && !new RegExp(`^${DIGEST}$`).test(ref.slice(at + 1))) return "its digest is not sha256:<64 lowercase hex> (or sha512:<128>)"
  const path = (at >= 0 ? ref.slice(0, at) : ref).replace(new RegExp(`^${DOMAIN}/`), "").replace(new RegExp(`:${TAG}$`), "")
  if (/[A-Z]/.test(path)) return "a repository name is lowercase"
  if (/\/\/|^\/|\/$/.test(path)) return "it has an empty path component"
  return "it is not `[registry/]path[:tag][@sha256:digest]` (path components: a-z 0-9 separated by . _ __ or -)"
}

/**
 * The catalog name to pass to this era's CLI: Docker's catalog under the era's own name whichever
 * name was given, any other name checked against the era's kind (`checkCatalog`).
 */
export function catalogFor(era: Era, name: string, version?: string): string {
  if (era === "legacy" && isDockerCatalogRef(name)) return LEGACY_DOCKER_CATALOG
  if (era === "profiles" && name === LEGACY_DOCKER_CATALOG) return DOCKER_CATALOG_REF
  return checkCatalog(era, name, version)
}

/** `name` when it is a catalog name of this era's kind; else INVALID_NAME saying why and what this era reads. */
export function checkCatalog(era: Era, name: string, version?: string): string {
  if (typeof name !== "string" || name === "") throw refuse(`Invalid catalog name ${show(String(name))}: empty`, "Give a catalog name (`docker mcp catalog ls` lists them), or leave it out for Docker's catalog.")
  if (era === "legacy") {
    if (LEGACY_CATALOG_RE.test(name)) return name
    if (isOciRef(name))
      throw refuse(
        `Catalog ${show(name)} is an OCI reference, and the Docker MCP Toolkit${version ? ` ${version}` : ""} (legacy era) reads catalogs by name only`,
        "Use a catalog name from `docker mcp catalog ls` (Docker's is docker-mcp), or import the catalog first (`docker mcp catalog import`); OCI catalogs come with profiles (Toolkit v0.38+ with `docker mcp feature enable profiles`, always from v0.42).",
      )
    throw refuse(`Invalid catalog name ${show(name)}`, "A legacy catalog name is 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit, as `docker mcp catalog ls` lists them (Docker's is docker-mcp).")
  }
  if (isOciRef(name)) return name
  throw refuse(
    `Invalid catalog reference ${show(name)}: ${whyNotOci(name)}`,
    "In the profiles era a catalog is an OCI reference such as `mcp/docker-mcp-catalog`, `docker.io/mcp/docker-mcp-catalog:latest`, `localhost:5000/team/catalog:v1` or `…@sha256:<digest>` (`docker mcp catalog ls` lists the pulled ones).",
  )
}

function refuse(message: string, remedy: string): ToolkitError {
  return new ToolkitError("INVALID_NAME", `${message}; nothing was run`, { remedy, details: { kind: "catalog" } })
}
