/**
 * `actbench bench activations`: the compute cost of each activation, as ns
 * per element of its Float32Array loops (f and df) over a large array, the
 * median of several timed passes after a warm-up. This is the report's
 * "compute cost" column.
 */
import { activations, getActivation } from "./registry.js";

export interface ActivationCost {
  name: string;
  /** ns per element of fArray. */
  f_ns: number;
  /** ns per element of dfArray (for softmax: the row-wise forward and JVP over rows of 10). */
  df_ns: number;
}

export function benchActivations(names?: string[], opts: { n?: number; passes?: number } = {}): ActivationCost[] {
  const n = opts.n ?? 1 << 20;
  const passes = opts.passes ?? 5;
  const z = new Float32Array(n);
  // Pre-activations spread over [-6, 6] by a fixed low-discrepancy sequence: no RNG needed, same every time.
  for (let i = 0; i < n; i++) z[i] = ((i * 0.6180339887498949) % 1) * 12 - 6;
  const out = new Float32Array(n);
  const out2 = new Float32Array(n);
  return (names ?? [...activations.keys()]).map((name) => {
    const a = getActivation(name);
    const d = a.def;
    const cols = 10;
    const rows = Math.floor(n / cols);
    const fwd = d.vector ? () => d.vector!.forward(z, out, rows, cols) : () => d.fArray(z, out, a.params);
    const bwd = d.vector ? () => d.vector!.backward(out, z, out2, rows, cols) : () => d.dfArray(z, out2, a.params);
    return { name: a.label, f_ns: timeNs(fwd, passes) / n, df_ns: timeNs(bwd, passes) / n };
  });
}

/** Median wall time in ns of `passes` calls, after one untimed warm-up call. */
function timeNs(fn: () => void, passes: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
