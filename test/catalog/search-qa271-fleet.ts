/**
 * The fleet of QA 271's held-out set (test/fixtures/search-queries-qa271.json): a mobile / front-end
 * developer and designer's servers, a domain no other set covers as a whole — Figma's Dev Mode
 * server (design tokens, code, screenshots), App Store Connect (versions, TestFlight, bundle ids,
 * reviews), Firebase with Crashlytics, Expo (EAS builds, submit, updates), Storybook, Lighthouse,
 * Lokalise (translations) and Bugsnag. Where each came from: tool-defs-qa271/SOURCES.md. Server
 * name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa271", `${file}.json`), "utf8")) as ToolDef[]

export const qa271Fleet: Array<[string, ToolDef[]]> = ["figma-dev", "app-store-connect", "firebase", "expo", "storybook", "lighthouse", "lokalise", "bugsnag"].map((s): [string, ToolDef[]] => [s, read(s)])
