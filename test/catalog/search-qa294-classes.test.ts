/**
 * The classes of miss QA 294's set showed (ML / AI engineering), each as a rule of
 * src/catalog/search, checked with requests that are in no set.
 */
import { describe, expect, test } from "bun:test"
import { declineAt } from "../../src/catalog/search/declined.ts"
import { qa294Fleet } from "./search-qa294-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ml = fleetIndex(qa294Fleet)
const rank = (q: string, tool: string) => ml.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const top = (q: string) => ml.search(q, { limit: 3 }).map((h) => h.tool.name)

describe("a figure that went down is compared, nothing is deleted (declined.ts)", () => {
  test("\"why did the eval drop\" asks scores and history, no delete tool", () => {
    // (once: wandb's `delete_run`, qdrant's `delete_collection` and `delete_points` first: "drop" deleted)
    for (const q of ["why did accuracy drop after the last finetune", "why has the f1 score dropped so much", "recall dropped after yesterday's run", "explain the drop in precision"]) {
      expect(top(q).some((n) => /delete/.test(n))).toBe(false)
    }
    expect(rank("why did the eval scores drop", "langfuse__list_scores")).toBeLessThan(3)
  })
  test("a person dropping a thing, or an object after the verb, still deletes", () => {
    expect(declineAt(["drop", "the", "docs", "collection"])).toBeUndefined()
    expect(declineAt(["we", "dropped", "the", "index", "yesterday"])).toBeUndefined()
    expect(declineAt(["who", "dropped", "the", "table"])).toBeUndefined()
    expect(declineAt(["can", "you", "drop", "the", "old", "collection"])).toBeUndefined()
    expect(declineAt(["did", "the", "metric", "drop"])).toBe("drop")
    expect(declineAt(["latency", "tanked", "overnight"])).toBe("tanked")
    expect(top("drop the products collection")[0]).toBe("qdrant__delete_collection")
  })
})

describe("an ML engineer's words (synonyms.ts)", () => {
  test("ckpt, hparams, preannotate, thumbs down, shut down, hf", () => {
    // (once: each below the tool, or not in the first ten, for a word no tool writes)
    expect(rank("list the ckpts saved by project llm", "wandb__list_artifacts")).toBe(0)
    expect(rank("hparams of 7hq2m1xz", "wandb__get_run")).toBeLessThan(3)
    expect(rank("preannotate project 3 tasks", "label-studio__create_label_studio_prediction")).toBe(0)
    expect(rank("thumbs down on trace 9be1 the answer was wrong", "langfuse__create_score")).toBe(0)
    expect(rank("shut down the idle cluster 0101-000000-xyz", "databricks__terminate_cluster")).toBe(0)
    expect(rank("find an ocr model on hf", "huggingface__model_search")).toBe(0)
  })
})

describe("a thing downloaded or saved as a file format is exported (senses.ts)", () => {
  test("\"download the notebook as ipynb\" is the export, not the import", () => {
    // (once: `import_notebook` first, by "notebook" and the format words both describe)
    expect(rank("download the forecast notebook as ipynb", "databricks__export_notebook")).toBe(0)
    expect(rank("save the cleaning notebook as ipynb", "databricks__export_notebook")).toBe(0)
    // (no format: a download stays a download)
    expect(rank("download ckpt v12 of my-team/vision", "wandb__download_artifact")).toBe(0)
  })
})
