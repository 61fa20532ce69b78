// The worker's entry when actbench runs from its TypeScript sources (tsx,
// vitest); the compiled package uses worker.js directly. It registers tsx's
// hooks in this thread before loading worker.ts: on Node 20 a `--import tsx`
// worker flag covers a module's static imports but not its dynamic ones (the
// brain.js engine, a user's .ts activation module), while register() does.
import { register } from "tsx/esm/api";

register();
const worker = await import(new URL("./worker.ts", import.meta.url).href);
export default worker.default;
