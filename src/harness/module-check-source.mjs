// The module check's thread entry when actbench runs from its TypeScript sources (tsx,
// vitest), as worker-source.mjs is the pool's: it registers tsx's hooks in this thread
// (so a user's .ts module imports too) before loading module-check-worker.ts.
import { register } from "tsx/esm/api";

register();
await import(new URL("./module-check-worker.ts", import.meta.url).href);
