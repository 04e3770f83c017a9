/**
 * The fleet of QA 294's held-out set (test/fixtures/search-queries-qa294.json): an ML / AI
 * engineer's servers, a domain no other set covers as a whole — the Hugging Face Hub (models,
 * datasets, Spaces, papers, repos, Inference Providers, Inference Endpoints), an experiment tracker
 * (Weights & Biases: runs, metric history, artifacts, sweeps, reports, Weave traces), a model
 * registry (MLflow: experiments, runs, metrics, registered models, stages, aliases), a vector
 * database (Qdrant: collections, points, payload indexes, snapshots), a compute service
 * (Databricks: clusters, jobs and their runs, notebooks, serving endpoints), LLM observability
 * (Langfuse: traces, sessions, metrics, scores, prompts, datasets) and a labeling tool (Label
 * Studio: projects, tasks, annotations, predictions). Where each came from:
 * tool-defs-qa294/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa294", `${file}.json`), "utf8")) as ToolDef[]

export const qa294Fleet: Array<[string, ToolDef[]]> = ["huggingface", "wandb", "mlflow", "qdrant", "databricks", "langfuse", "label-studio"].map((s): [string, ToolDef[]] => [s, read(s)])
