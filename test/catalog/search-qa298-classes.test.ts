/**
 * The classes of miss QA 294's and QA 286's sets still showed after QA 294, each as a rule of
 * src/catalog/search, checked with requests that are in no set (QA 298).
 */
import { describe, expect, test } from "bun:test"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { qa294Fleet } from "./search-qa294-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ml = fleetIndex(qa294Fleet)
const ops = fleetIndex(qa286Fleet)
const rank = (ix: typeof ml, q: string, tool: string) => ix.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a run after a determiner or an auxiliary, before an id, is the record (record-noun.ts)", () => {
  test("\"what loss did run abc123 reach\" reads the run, executes nothing", () => {
    // (once: databricks' `execute_command` first, by run → execute)
    for (const q of ["what config did run q8w2e4r1 use", "what loss did run abc123 reach"]) {
      expect(rank(ml, q, "databricks__execute_command")).not.toBe(0)
      expect(ml.search(q, { limit: 3 }).some((h) => /^wandb__get_run/.test(h.tool.name))).toBe(true)
    }
    expect(rank(ml, "which run had the best f1", "databricks__execute_command")).toBe(-1)
  })
  test("run as a verb still executes", () => {
    expect(rank(ml, "run a python snippet on cluster 0101-abc", "databricks__execute_command")).toBe(0)
  })
})


describe("the word after \"per\" is what a figure is grouped by, not the thing asked (purpose.ts)", () => {
  test("\"p99 latency per model …\" is the metrics tool, not a model search", () => {
    // (once: huggingface's `model_search` first, by "model" alone)
    expect(rank(ml, "p99 latency per model over the last 30 days", "langfuse__get_metrics")).toBe(0)
    expect(rank(ml, "p50 latency per model since monday", "langfuse__get_metrics")).toBe(0)
  })
  test("a model asked, not grouped by, still finds the model search", () => {
    expect(rank(ml, "find a model for latency sensitive ocr", "huggingface__model_search")).toBe(0)
  })
})

describe("text / sms / dm a person sends a message (senses.ts)", () => {
  test("\"text my sister …\" is no text-to-image nor a text prompt: they are weak hits", () => {
    // (once: `text_to_image` a strong first hit)
    for (const q of ["text my boss that im stuck in traffic", "text my sister that dinner is at 8", "sms him the address of the venue"]) {
      for (const h of ml.search(q, { limit: 10 })) if (/text/.test(h.tool.name)) expect(h.weak).toBe(true)
    }
    expect(rank(ml, "text to image of a red fox", "huggingface__text_to_image")).toBe(0)
  })
})

describe("a thing moved to a pipeline's stage is advanced, the stage no git add (senses.ts)", () => {
  test("\"move candidate 8812 to the panel stage\" advances the application", () => {
    // (once: `add_note_to_candidate` first, by stage → add)
    expect(rank(ops, "move candidate 8812 to the panel stage", "greenhouse__advance_application")).toBe(0)
    expect(rank(ops, "move jane doe to the phone screen stage", "greenhouse__advance_application")).toBe(0)
  })
})

describe("how much was spent over a span is a total (how-much.ts)", () => {
  test("\"how much did claude cost us today\" is the aggregate, not the list of traces", () => {
    // (once: `list_traces` first)
    expect(rank(ml, "how much did claude cost us today", "langfuse__get_metrics")).toBe(0)
    expect(rank(ml, "how much did the summarizer cost last month", "langfuse__get_metrics")).toBe(0)
  })
  test("a price with no span, or our own spend no tool has, is not made an aggregate", () => {
    expect(rank(ml, "how much does the llama endpoint cost", "langfuse__get_metrics")).not.toBe(0)
  })
})

describe("rolling a thing back to a version puts that version live: an update (senses.ts)", () => {
  test("\"roll back the support-bot prompt to version 3\" sets its labels, reads no history", () => {
    // (once: `get_prompt` first, and "back" brought the run and metric histories)
    expect(rank(ml, "roll back the support-bot prompt to version 3", "langfuse__update_prompt_labels")).toBe(0)
    expect(rank(ml, "roll the summarizer prompt back to v2", "langfuse__update_prompt_labels")).toBe(0)
  })
})
