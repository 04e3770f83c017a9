/**
 * @module auth/static-header
 * Whether a remote server's config sends its own Authorization header (a static token): serve then
 * sends that header and no OAuth login is used or needed (`remoteAuthFor`, `auth status`, doctor).
 */
export function setsAuthorizationHeader(spec: { headers?: Record<string, string> }): boolean {
  return Object.keys(spec.headers ?? {}).some((h) => h.toLowerCase() === "authorization")
}
