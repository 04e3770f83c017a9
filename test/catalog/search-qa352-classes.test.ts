/**
 * The classes of miss QA 352's set left, each as a rule of src/catalog/search, checked with
 * requests that are in no set (over QA 352's fleet of a school term, and others).
 */
import { describe, expect, test } from "bun:test"
import { anyNewAsAny } from "../../src/catalog/search/any-new.ts"
import { doersAsList } from "../../src/catalog/search/doers-question.ts"
import { joinSplitPhrasal } from "../../src/catalog/search/split-phrasal.ts"
import { writeReadAsThing } from "../../src/catalog/search/intent.ts"
import { qa352Fleet } from "./search-qa352-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const school = fleetIndex(qa352Fleet)
const rank = (q: string, tool: string) => school.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const strongFirst = (q: string, tool: string) => {
  const hit = school.search(q, { limit: 5 })[0]
  expect(hit?.tool.name).toBe(tool)
  expect(hit?.weak).toBeFalsy()
}

describe("a school's words (synonyms.ts, QA 352)", () => {
  test("absent, tardy: attendance", () => {
    // (once: the daily absence report first for one student's week, "tardies" met nothing)
    strongFirst("was maya absent on tuesday", "powerschool__ps_get_attendance")
    expect(rank("how many tardies does student 4410 have this month", "powerschool__ps_get_attendance")).toBe(0)
  })
  test("who attended a meeting: its participants", () => {
    // (once: the meeting's poll results first, participants not asked for)
    strongFirst("who attended meeting 88120 on zoom", "zoom__get_past_meeting_participants")
  })
  test("homework is an assignment, a gradebook a course's grades", () => {
    // (once: no assignment tool in the first ten: "homework" met nothing)
    const first = school.search("show the homework for course 22", { limit: 5 })[0]!
    expect(first.tool.name).toMatch(/assignments$/)
    expect(first.weak).toBeFalsy()
    strongFirst("open the moodle gradebook", "moodle__get_grade_report")
  })
  test("a mom, a dad, a parent: a guardian", () => {
    // (once: every hit weak, "moms" met nothing)
    strongFirst("list the moms and dads linked to student 77", "google-classroom__list-guardians")
    expect(rank("who are the parents of student 55", "google-classroom__list-guardians")).toBeLessThan(2)
  })
  test("the homepage is the front page; to unpublish updates; recently is recent; a connection's health", () => {
    expect(rank("show me the course homepage", "canvas-teacher__get_front_page")).toBe(0)
    strongFirst("unpublish the unit 2 quiz", "canvas__canvas_update_quiz")
    strongFirst("recently added references", "zotero__zotero_get_recent")
    strongFirst("is the canvas connection ok", "canvas__canvas_health_check")
  })
})

describe("a school's phrases (synonyms.ts, QA 352)", () => {
  test("work turned or handed in is a submission; given or handed back it is returned", () => {
    expect(rank("which essays were handed in late", "google-classroom__list-student-submissions")).toBe(0)
    strongFirst("hand back the graded work to students", "google-classroom__return-student-submission")
  })
  test("a report card is the final grades; extra days an extension; falling behind the analytics", () => {
    strongFirst("pull up theo's report card", "powerschool__ps_get_final_grades")
    // (reached, not yet strong: "days" is the day of `getNumCardsReviewedByDay`)
    expect(rank("give ana 2 extra days on the essay", "moodle__grant_extension")).toBeLessThan(2)
    strongFirst("who is falling behind in period 3", "canvas-teacher__get_student_analytics")
  })
  test("not every class is a course: a class party is no course thing", () => {
    // (a guard: with "class" → course, kept out of synonyms.ts, these were strong by `list-course-work`'s sort `orderBy`)
    for (const q of ["order cupcakes for the class party", "order pizza for the class party"]) expect(school.search(q, { limit: 5 }).every((h) => h.weak)).toBe(true)
  })
})

describe("what is due, taking attendance, an average, starting a thing (synonyms.ts, QA 352)", () => {
  test("\"what is due\" asks for the upcoming deadlines", () => {
    // (once: anki's `areDue`, whether given cards are due, first)
    strongFirst("what is due in bio this week", "canvas__canvas_get_upcoming_assignments")
  })
  test("to take attendance records it", () => {
    // (once: the attendance reader first)
    strongFirst("take attendance for 2nd period", "powerschool__ps_record_attendance")
  })
  test("an average is a mean, a statistic", () => {
    // (once: no analytics tool in the first ten)
    expect(rank("whats the average on the unit 4 exam", "canvas-teacher__get_assignment_analytics")).toBeGreaterThanOrEqual(0)
    expect(rank("whats the average on the unit 4 exam", "canvas-teacher__get_assignment_analytics")).toBeLessThan(3)
  })
  test("to start a discussion creates one", () => {
    // (once: Moodle's forum tool first, the Canvas one that creates second)
    expect(rank("start a new discussion on chapter 2", "canvas-teacher__create_discussion_topic")).toBe(0)
  })
})

describe("who hasn't submitted / handed in / responded / paid: the records of each (doers-question.ts)", () => {
  test("read as a listing of the submissions or responses, no submitting asked", () => {
    // (once: `canvas_submit_assignment` first for "who hasn't submitted …", no submissions list in the first three)
    for (const q of ["who didn't hand in the lab report", "who has not submitted the essay yet"]) {
      const hits = school.search(q, { limit: 5 })
      expect(hits[0]?.tool.name).toBe("canvas-teacher__list_submissions")
      expect(hits.findIndex((h) => h.tool.name === "canvas__canvas_submit_assignment")).not.toBe(0)
    }
    strongFirst("who hasnt responded to the exit ticket form", "google-forms__list_responses")
  })
  test("the words around stay as they were: no other verb, no \"turned the lights off\"", () => {
    expect(doersAsList("who hasn't paid invoice 12")).toBe("list the payments of invoice 12")
    expect(doersAsList("who hasn't replied to the survey")).toBe("list the responses of the survey")
    for (const q of ["who hasn't turned the lights off", "who hasn't handed the keys back", "who hasn't paused the job", "who submitted this"]) expect(doersAsList(q)).toBe(q)
  })
})

describe("a write verb's plural after a verb that reads is the thing read (intent.ts askedFamily / writeReadAsThing)", () => {
  test("\"read the posts\" reads them: the tool posting an entry is no answer", () => {
    // (once: `post_discussion_entry` first: "posts" made the request ask to write as well as read)
    for (const q of ["read the posts in the ethics discussion", "list the posts in topic 7"]) expect(rank(q, "canvas-teacher__list_discussion_entries")).toBe(0)
    // the verb itself still writes
    expect(rank("post an entry in the ethics discussion", "canvas-teacher__post_discussion_entry")).toBe(0)
  })
  test("the rule on words", () => {
    expect(writeReadAsThing(["read", "the", "posts"], 2)).toBe(true)
    expect(writeReadAsThing(["show", "pending", "updates"], 2)).toBe(true)
    // (no reading verb before it, or no plural: a verb)
    expect(writeReadAsThing(["posts", "to", "read"], 0)).toBe(false)
    expect(writeReadAsThing(["read", "it", "and", "post", "a", "summary"], 3)).toBe(false)
  })
})

describe("\"any new …\" asks whether recent ones exist: a reading question, no making (any-new.ts, intent.ts asksWhatIs)", () => {
  test("the tools listing them come before those creating them", () => {
    // (once: `create_announcement` first, "new" → create)
    expect(school.search("any new announcements in bio 101", { limit: 3 })[0]?.tool.name).toMatch(/list[_-]announcements$/)
    // (once: `canvas_create_conversation` first; inbox → conversations, synonyms.ts)
    expect(rank("any new messages in my canvas inbox", "canvas__canvas_list_conversations")).toBe(0)
  })
  test("the rewrite's bounds", () => {
    expect(anyNewAsAny("are there any new errors in prod")).toBe("are there any errors in prod")
    expect(anyNewAsAny("anything new in the forum?")).toBe("anything in the forum?")
    for (const q of ["create a new message", "any new-checkout flag state", "is there any newsletter"]) expect(anyNewAsAny(q)).toBe(q)
  })
})

describe("a phrasal verb split by its object means what it means typed together (split-phrasal.ts)", () => {
  test("\"give the graded work back\" returns it", () => {
    // (once: `patch-student-submission` first: "give" alone, "back" a loose word)
    strongFirst("give the graded work back to students", "google-classroom__return-student-submission")
  })
  test("the rewrite's bounds", () => {
    expect(joinSplitPhrasal("push the due date of the essay back to next monday")).toBe("push back the due date of the essay to next monday")
    expect(joinSplitPhrasal("please turn the new-nav flag off in prod")).toBe("please turn off the new-nav flag in prod")
    // (together already, no phrase of the table, "in" a preposition, the object ended before the particle)
    for (const q of ["turn off the lights", "move the card back to todo", "log the hours in jira", "send the report to ana on monday"]) expect(joinSplitPhrasal(q)).toBe(q)
  })
})
