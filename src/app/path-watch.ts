/**
 * @module app/path-watch
 * The path watch lives in core/path-watch (plugin/host uses it for plugin directories too).
 */
export { PathWatch, linkChain, type GoneDir, type PathWatchMessages } from "../core/index.ts"
