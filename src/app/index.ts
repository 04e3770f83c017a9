/**
 * @module app
 * Composition root and run modes. The only layer that wires everything together.
 */
export { createOrchestrator, type Orchestrator } from "./orchestrator.ts"
export { serve, type ServeOptions } from "./serve.ts"
