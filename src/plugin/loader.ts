/**
 * @module plugin/loader
 * What runs plugin files: the plugin itself, the reload step and the sandbox thread. The host loads
 * this only once a plugin file exists (or was loaded), so a session without plugins never evaluates
 * the sandbox.
 */
export { Plugin } from "./plugin.ts"
export { reconcile } from "./reconcile.ts"
export { PluginCheckCache } from "./check-cache.ts"
export { GuestLogGates, SandboxThread } from "../sandbox/index.ts"
