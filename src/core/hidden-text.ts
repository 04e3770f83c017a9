/**
 * @module core/hidden-text
 * What a model should never read in a definition (catalog/sanitize removes or refuses it), tested on
 * a definition's JSON text as a whole: core/definition-digest notes once per definition object
 * whether its text holds any, so the sanitizer walks only the few that do without serialising the
 * others again.
 */

/** Any invisible code point at all (most descriptions have none). */
export const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u
/** Control characters (C0 but tab, line feed and carriage return; DEL; C1) in the text JSON.stringify makes: C0 escaped (as `\u001b`), DEL and C1 as they are. */
export const CONTROL_IN_JSON = /\\u00(?:0[0-8bBeEfF]|1[0-9a-fA-F])|[\u007F-\u009F]/

/** Whether a JSON text holds an invisible code point or a control character anywhere. */
export function hidesInJson(json: string): boolean {
  return INVISIBLE.test(json) || CONTROL_IN_JSON.test(json)
}
