/**
 * @module catalog/search/site-host
 * A URL that is only a host (`docs.acme.io`, `https://acme.io/`) names a whole website, not a page:
 * "list every url on docs.acme.io" asks what is on the site, which the tools mapping or crawling a
 * website say ("Map a website's structure", "… all indexed URLs on the site"), not any tool taking
 * a URL (`list_pdfs` ranked first: "url" was the only thing the request named). Its kind is a site
 * too (query.ts adds these words as a literal's kind). A URL with a path is a page.
 */

/** The words a host alone stands for, besides a URL. */
export const SITE_WORDS = ["website", "site"] as const

/** True when `url` (a URL literal, with or without its scheme) is a host alone: nothing after it but a "/". */
export function isSiteOnly(url: string): boolean {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
  return /^[^/?#\s]+\/?$/.test(rest) && !/^(?:localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?\/?$/i.test(rest)
}
