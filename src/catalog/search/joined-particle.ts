/**
 * @module catalog/search/joined-particle
 * Two words typed apart that a tool's name writes as one ("roll back" → rollback, "web hook" →
 * webhook) include a verb and its particle ("roll out" → rollout, "set up" → setup, "back up" →
 * backup, "shut down" → shutdown, "sign up" → signup): the particle is a stop word, so "roll out the
 * new image to the api deployment" never met `kubectl_rollout`. Only the particles software joins to
 * a verb (not "in" or "on", which follow things as often: "the log in the console").
 */
import { isStop } from "./tokenize.ts"

/** Particles a tool's name may write joined to the verb before them. */
const JOINED_PARTICLES = new Set(["out", "up", "off", "over", "down"])

/** True when the raw words `first` and `second`, typed apart, may be one word of a tool's name. */
export function mayJoin(first: string, second: string): boolean {
  return !isStop(first) && (!isStop(second) || JOINED_PARTICLES.has(second))
}
