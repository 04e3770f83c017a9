/**
 * @module manage/empty-catalog
 * What catalog_search says when the catalog it searched lists no server at all (`{"servers": null}`,
 * `[]`, an empty `registry`): that, not "no server matches" — the model would take the query's
 * servers for absent from Docker's catalog, which lists hundreds. An empty catalog and a catalog
 * with no match are different answers.
 */
import { DOCKER_CATALOG_REF, LEGACY_DOCKER_CATALOG, type Catalog } from "../docker/index.ts"
import { oneLine } from "./one-line.ts"

export function emptyCatalogText(catalog: Catalog, query: string): string {
  const which = catalog.ref ?? catalog.name
  return `The catalog${which ? ` ${oneLine(which)}` : ""} lists no servers at all, so nothing was searched for "${oneLine(query)}" (this says nothing about whether such a server exists). Docker's catalog is not empty: fetch it again (\`docker mcp catalog pull ${DOCKER_CATALOG_REF}\`; before the profiles era \`docker mcp catalog update ${LEGACY_DOCKER_CATALOG}\`), then search again.`
}
