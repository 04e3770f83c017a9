/**
 * @module cli/read-input
 * Captured `docker mcp` output a command reads from a file or stdin (`parse KIND FILE`, `plugins
 * test --hook parse --input-file FILE`), read at most `max` bytes: the driver never reads more of a
 * command's output than `DEFAULT_MAX_STDOUT` (32 MiB), so a parser never gets more. Read whole,
 * `--input-file /dev/zero` (or a wrong path to a growing log, `parse servers - < /dev/urandom`)
 * grew the process by ~400 MB a second until the machine ran out of memory. A pipe
 * (`<(docker mcp server ls)`) is read as it comes, as a file is.
 */
import { open } from "node:fs/promises"
import { DEFAULT_MAX_STDOUT } from "../docker/index.ts"

export const MAX_INPUT_BYTES = DEFAULT_MAX_STDOUT

export class InputTooLarge extends Error {
  constructor(
    readonly source: string,
    readonly max: number,
  ) {
    super(`${source} holds more than ${max / 1024 / 1024} MiB (the driver reads at most that much of a docker mcp command's output): name a file holding one captured output`)
  }
}

/** Chunks from `chunks` as one UTF-8 string; `InputTooLarge` once they pass `max` bytes (the rest is not read). */
export async function readCappedChunks(chunks: AsyncIterable<Uint8Array | string>, source: string, max = MAX_INPUT_BYTES): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const c of chunks) {
    const b = typeof c === "string" ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength)
    size += b.byteLength
    if (size > max) throw new InputTooLarge(source, max)
    parts.push(b)
  }
  return Buffer.concat(parts).toString("utf8")
}

/** The file at `path` as UTF-8 text, at most `max` bytes (fs errors as they are: ENOENT, EISDIR…). */
export async function readInputFile(path: string, max = MAX_INPUT_BYTES): Promise<string> {
  const fh = await open(path, "r")
  try {
    return await readCappedChunks(chunksOf(fh), path, max)
  } finally {
    await fh.close()
  }
}

async function* chunksOf(fh: Awaited<ReturnType<typeof open>>): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buf = Buffer.allocUnsafe(1024 * 1024)
    const { bytesRead } = await fh.read(buf, 0, buf.byteLength, null)
    if (bytesRead === 0) return
    yield buf.subarray(0, bytesRead)
  }
}
