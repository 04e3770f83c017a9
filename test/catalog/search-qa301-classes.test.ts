/**
 * The classes of miss QA 294's and QA 286's sets still showed after QA 298, each as a rule of
 * src/catalog/search, checked with requests that are in no set (QA 301).
 */
import { describe, expect, test } from "bun:test"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { qa294Fleet } from "./search-qa294-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ml = fleetIndex(qa294Fleet)
const ops = fleetIndex(qa286Fleet)
const rank = (ix: typeof ml, q: string, tool: string) => ix.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a how-to question naming a library a docs tool documents goes to that docs tool (docs-named.ts)", () => {
  test("\"how do i … with trl / accelerate / diffusers\" is Hugging Face's doc search, whatever verb it says", () => {
    // (once: `set_registered_model_alias` first by "set", a sessions list by "use")
    for (const q of ["how do i set up dpo training with trl", "how can i use accelerate for multi gpu", "how do i set a scheduler in diffusers"]) {
      expect(rank(ml, q, "huggingface__hf_doc_search")).toBe(0)
    }
  })
  test("a how-to question naming no library a docs tool names is ranked by its words", () => {
    expect(rank(ml, "how do i set a model alias", "mlflow__set_registered_model_alias")).toBe(0)
    expect(rank(ops, "how do i void an envelope", "docusign__void_envelope")).toBe(0)
  })
})

describe("a removal of a thing only one store says is that store's delete tool (removal-thing.ts)", () => {
  test("\"delete the vectors tagged draft\" is the vector store's delete, not a run's", () => {
    // (once: Weights & Biases' `delete_run` first, by "delete" alone)
    for (const q of ["delete the vectors tagged draft", "wipe all vectors where lang = de", "purge the vectors with label spam"]) {
      expect(ml.search(q, { limit: 1 })[0]?.tool.name).toBe("qdrant__delete_points")
    }
  })
  test("a removal of a thing the run store says still deletes the run", () => {
    expect(rank(ml, "delete run abc123", "wandb__delete_run")).toBe(0)
    expect(rank(ml, "delete the collection docs_v1", "qdrant__delete_collection")).toBe(0)
  })
})

describe("the delete tool of the store whose word the removal types is strong (removal-thing.ts)", () => {
  test("\"wipe all vectors where lang = de\" finds delete_points strong though it says \"points\"", () => {
    // (once: a weak hit, "vectors" unsaid by the tool itself)
    for (const q of ["wipe all vectors where lang = de", "remove the vectors where origin = test"]) {
      const first = ml.search(q, { limit: 1 })[0]
      expect(first?.tool.name).toBe("qdrant__delete_points")
      expect(first?.weak).toBeFalsy()
    }
  })
})

describe("a question asking a thing's state is no tool acting on the things not in it yet (state-question.ts)", () => {
  test("\"did the envelope get signed yet\" reads the envelope, resends nothing", () => {
    // (once: `resend_envelope` first, by "not signed yet" in its description)
    for (const q of ["did the envelope get signed yet", "has the envelope been signed", "who still needs to sign the envelope for globex"]) {
      const first = ops.search(q, { limit: 1 })[0]?.tool.name
      expect(["docusign__get_envelope", "docusign__list_recipients", "docusign__list_envelopes"]).toContain(first!)
      expect(rank(ops, q, "docusign__resend_envelope")).toBeGreaterThan(1)
    }
  })
  test("asked for, the reminder is still first", () => {
    expect(rank(ops, "resend the envelope to whoever has not signed yet", "docusign__resend_envelope")).toBe(0)
    expect(rank(ops, "nudge the signers on envelope 8812", "docusign__resend_envelope")).toBe(0)
  })
})
