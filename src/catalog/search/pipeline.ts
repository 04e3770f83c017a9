/**
 * @module catalog/search/pipeline
 * A shell pipeline asks for what its first command does: the commands after a pipe (`| grep node`,
 * `| head -20`, `| jq .name`) only filter or shape what it prints. "ps aux | grep node" lists
 * processes (a tool that searches code does not answer it); the filter's operands stay arguments.
 * `&&`, `||` and `;` chain commands that each are asked.
 */

/** A part of a command line and whether it is a filter (it reads the output piped into it). */
export interface Segment {
  text: string
  filter: boolean
}

/** `ps aux | grep node && df -h` → ps aux (asked), grep node (a filter), df -h (asked). */
export function segments(line: string): Segment[] {
  const out: Segment[] = []
  let filter = false
  for (const part of line.split(/\s*(\|\||&&|[|;])\s*/)) {
    if (part === "|") filter = true
    else if (part === "||" || part === "&&" || part === ";") filter = false
    else out.push({ text: part, filter })
  }
  return out
}
