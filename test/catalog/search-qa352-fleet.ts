/**
 * The fleet of QA 352's held-out set (test/fixtures/search-queries-qa352.json): a school term's
 * servers, a domain no other set covers as a whole — a learning management system twice (Canvas: a
 * general server and a teaching one with submissions, analytics, rubrics and bulk grading; Moodle;
 * Google Classroom), video classes (Zoom: meetings, recordings, participants, transcripts, polls),
 * study (Anki flashcards, Zotero references), a student information system (PowerSchool:
 * attendance, grades, GPA, contacts, behavior logs), Google Forms and GitHub Classroom. Where each
 * came from: tool-defs-qa352/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa352", `${file}.json`), "utf8")) as ToolDef[]

export const qa352Fleet: Array<[string, ToolDef[]]> = ["canvas", "canvas-teacher", "moodle", "google-classroom", "zoom", "anki", "zotero", "powerschool", "google-forms", "github-classroom"].map((s): [string, ToolDef[]] => [s, read(s)])
