/**
 * @module pool/ring-buffer
 * A bounded text buffer for a child's stderr: keeps the last `capacity` characters, never blocks.
 */
export class TextRing {
  private chunks: string[] = []
  private size = 0
  private dropped = 0
  constructor(private readonly capacity = 64 * 1024) {}

  push(text: string): void {
    if (text.length >= this.capacity) {
      this.dropped += this.size + text.length - this.capacity
      this.chunks = [text.slice(text.length - this.capacity)]
      this.size = this.capacity
      return
    }
    this.chunks.push(text)
    this.size += text.length
    while (this.size > this.capacity) {
      const first = this.chunks[0]!
      const excess = this.size - this.capacity
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
        this.dropped += first.length
      } else {
        this.chunks[0] = first.slice(excess)
        this.size -= excess
        this.dropped += excess
      }
    }
  }

  /** The last `max` characters. */
  tail(max = 2048): string {
    const all = this.chunks.join("")
    return all.length > max ? all.slice(all.length - max) : all
  }

  get droppedChars(): number {
    return this.dropped
  }
}
