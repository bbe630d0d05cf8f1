/** Resolves in a task of its own (a macrotask, after the page had a chance to draw). A datasource answer's
 * continuation is one chain of microtasks: the JSON parse and frame decode of the answer, then the panel's own
 * processing of it; awaited between them, they are separate tasks, each short enough not to hold a frame. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
