/**
 * @module catalog/search/all-of
 * A tool whose first sentence opens by reading "all" of a kind of thing (Airflow's `fetch_dags`,
 * "Fetch all DAGs"; "Get all users/owners from Pipedrive"; "Retrieve all the projects") lists them,
 * as a tool saying "list" does: "list the dags" found every tool naming a list but the one reading
 * them all ("list" reaches "fetch" only as a loose synonym, and a tool not saying the request's verb
 * ranks lower, own-verb.ts). The listing is a word of its summary, where the phrase stands, as the
 * count of number-of.ts is.
 */
import { stem } from "./tokenize.ts"

/** A summary opening by reading all of something ("Fetch all DAGs", "Gets all the users"; not "Get a DAG", "Delete all …": a change). */
const ALL_OF = /^\s*(?:gets?|returns?|retrieves?|fetch(?:es)?|shows?|reads?)\s+all\s+(?:the\s+|of\s+the\s+)?[a-z]/i

/** The terms a tool's summary adds for reading all of a kind: "list" when it does. */
export function listTerms(summary: string): string[] {
  return ALL_OF.test(summary) ? [stem("list")] : []
}
