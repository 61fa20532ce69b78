/**
 * Output heads: the last layer's nonlinearity with its loss, on a batch of
 * logits z (rows x cols, row-major).
 *
 * Losses are returned as SUMS in float64 with the divisor that makes them the
 * configured mean, so evaluation can add chunks and divide once:
 *   softmax_ce   sum over rows of -log softmax(z)[y]          / rows
 *   linear_mse   sum over rows and outputs of (z - y)^2        / (rows * cols)
 *   sigmoid_bce  sum over rows and outputs of BCE(sigmoid z, y) / (rows * cols)  (PyTorch's mean)
 *   brainjs      sum over rows of 1/2 sum_o (f(z) - y)^2       / rows
 * The gradient written to dz is that of the mean.
 *
 * Targets are either class indices (y[r], one per row; read as one-hot by
 * heads that need rows) or value rows (y[r * cols + c]).
 */
import type { Head } from "./names.js";
import type { LayerActivation } from "./layerActivation.js";

/** How the targets of a batch are laid out. */
export type TargetKind = "class" | "values";

/** Divisor turning a head's loss sum into the mean it reports. */
export function lossDivisor(head: Head, rows: number, cols: number): number {
  return head === "linear_mse" || head === "sigmoid_bce" ? rows * cols : rows;
}

/** Target value of (row r, output c). */
function target(y: Float32Array, kind: TargetKind, r: number, c: number, cols: number): number {
  return kind === "class" ? (y[r] === c ? 1 : 0) : y[r * cols + c];
}

/** One batch through the head: the logits, where the outputs and gradients go, the targets. */
export interface HeadBatch {
  head: Head;
  /** Logits (the output layer's pre-activations), rows x cols. */
  z: Float32Array;
  /** Receives the head's output: probabilities, values, sigmoid, or f(z) for brainjs. */
  out: Float32Array;
  rows: number;
  cols: number;
  y: Float32Array;
  kind: TargetKind;
  /** When given, receives d(mean loss)/dz. */
  dz?: Float32Array | null;
  /** brainjs head: the output layer's activation, and a rows x cols scratch for dL/da. */
  outAct?: LayerActivation | null;
  scratch?: Float32Array;
  /** brainjs head without dz: `out` already holds f(z) (the brain.js network computed it), so outAct is not needed. */
  outGiven?: boolean;
}

/** The head's loss SUM over the batch (see the file comment for the divisor); writes dz when given. */
export function headLoss({ head, z, out, rows, cols, y, kind, dz = null, outAct = null, scratch, outGiven = false }: HeadBatch): number {
  const inv = 1 / lossDivisor(head, rows, cols);
  let sum = 0;
  switch (head) {
    case "softmax_ce":
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        // Stable log-softmax: -log p_c = (m - z_c) + log sum exp(z - m). The difference comes first:
        // (m + log se) - z_c cancels to 0 when |m| swamps log se (logits of 1e30: loss 0 instead of ln K).
        let m = -Infinity;
        for (let c = 0; c < cols; c++) if (z[o + c] > m) m = z[o + c];
        let se = 0;
        for (let c = 0; c < cols; c++) se += Math.exp(z[o + c] - m);
        const logSe = Math.log(se);
        for (let c = 0; c < cols; c++) {
          const p = Math.exp(z[o + c] - m) / se;
          out[o + c] = p;
          const t = target(y, kind, r, c, cols);
          if (t !== 0) sum += t * (m - z[o + c] + logSe);
          if (dz) dz[o + c] = (p - t) * inv; // fused softmax + CE backward
        }
      }
      return sum;
    case "linear_mse":
      for (let r = 0; r < rows; r++)
        for (let c = 0, o = r * cols; c < cols; c++, o++) {
          const e = z[o] - target(y, kind, r, c, cols);
          out[o] = z[o];
          sum += e * e;
          if (dz) dz[o] = 2 * e * inv;
        }
      return sum;
    case "sigmoid_bce":
      for (let r = 0; r < rows; r++)
        for (let c = 0, o = r * cols; c < cols; c++, o++) {
          const x = z[o];
          const t = target(y, kind, r, c, cols);
          // Stable BCE with logits: max(x, 0) - x t + log(1 + e^-|x|).
          sum += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
          const p = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
          out[o] = p;
          if (dz) dz[o] = (p - t) * inv;
        }
      return sum;
    case "brainjs": {
      if (!outGiven) {
        if (!outAct) throw new Error("brainjs head needs the output activation");
        outAct.forward(z, out, rows);
      }
      // scratch holds dL/da; the caller's activation turns it into dL/dz.
      for (let r = 0; r < rows; r++)
        for (let c = 0, o = r * cols; c < cols; c++, o++) {
          const e = out[o] - target(y, kind, r, c, cols);
          sum += 0.5 * e * e;
          if (scratch) scratch[o] = e * inv;
        }
      return sum;
    }
  }
}
