/**
 * A dataset whose splits live in SharedArrayBuffers. The sweep's main thread
 * loads each dataset once (it must anyway, to report data mistakes before
 * anything is written) and hands the shared copy to every worker with each
 * run: posting a view of shared memory copies no rows, so a worker neither
 * parses MNIST again nor holds its own copy of it. That takes the parse off
 * the first run of every worker and one copy per worker off peak memory.
 */
import type { Dataset, Split } from "./types.js";

function sharedCopy(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Float32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

function shareSplit(s: Split): Split {
  return { n: s.n, x: sharedCopy(s.x), y: sharedCopy(s.y) };
}

/** The same dataset with every split's rows in shared memory (read-only by convention, like the cache's). */
export function shareDataset(d: Dataset): Dataset {
  return {
    ...d,
    train: shareSplit(d.train),
    ...(d.val ? { val: shareSplit(d.val) } : {}),
    ...(d.test ? { test: shareSplit(d.test) } : {}),
  };
}
