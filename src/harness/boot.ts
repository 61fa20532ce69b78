/**
 * A pool worker's word that it has booted: its module graph is loaded and
 * evaluated. The pool waits for it before tearing a thread down (pool.ts):
 * terminating a thread while V8 instantiates its modules can abort the whole
 * process (FATAL ERROR ... IsGraphAsync, exit 134), and piscina counts its
 * first threads ready (its workerCreate event) before they have loaded
 * anything, so only the thread itself can say. The message goes through
 * parentPort, which piscina passes on as the pool's 'message' event.
 */
import { parentPort, threadId } from "node:worker_threads";

const BOOTED = "actbench:booted";

/** Called by a worker module once its imports are done (worker.ts, at its top level). */
export function announceBoot(): void {
  parentPort?.postMessage({ [BOOTED]: threadId });
}

/** The thread id a boot message announces, or undefined for any other message. */
export function bootedThread(message: unknown): number | undefined {
  const id = message !== null && typeof message === "object" ? (message as Record<string, unknown>)[BOOTED] : undefined;
  return typeof id === "number" ? id : undefined;
}
