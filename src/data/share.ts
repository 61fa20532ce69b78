/**
 * A dataset whose splits live in SharedArrayBuffers. The sweep's main thread
 * loads each dataset once (it must anyway, to report data mistakes before
 * anything is written) and hands the shared copy to every worker with each
 * run: posting a view of shared memory copies no rows, so a worker neither
 * parses MNIST again nor holds its own copy of it. That takes the parse off
 * the first run of every worker and one copy per worker off peak memory.
 * A load makes its splits in shared memory to begin with (scaling.ts), so
 * sharing a loaded dataset copies nothing; a dataset made elsewhere is copied.
 */
import type { Dataset, Split } from "./types.js";

/** A zeroed Float32Array of `length` in shared memory (what a load's splits are made in). */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

function sharedCopy(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = sharedFloat32(a.length);
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
