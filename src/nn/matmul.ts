/**
 * The engine's one matrix kernel, C = A B^T (+ bias), and a transpose.
 *
 * Every product the MLP needs is of this "rows dot rows" form once the right
 * operand is laid out with the reduction index innermost:
 *   forward      Z  = X  W^T + b     (W is units x inputs, as brain.js stores it)
 *   input grad   dX = dZ (W^T)^T     (B = W^T, transposed once per batch)
 *   weight grad  dW = dZ^T (X^T)^T   (A = dZ^T, B = X^T, transposed per batch)
 * so one well-tuned loop serves them all. The loop is register-blocked
 * 4 rows x 2 columns: per step of k it loads 6 numbers for 8 multiply-adds,
 * accumulating in float64 locals, stored once as float32.
 */

/**
 * C[r][j] = bias[j] + sum_k A[r][k] B[j][k] for r < rows, j < cols.
 * A is rows x K, B is cols x K, C is rows x cols, all row-major.
 */
export function gemmABt(
  A: Float32Array,
  rows: number,
  K: number,
  B: Float32Array,
  cols: number,
  C: Float32Array,
  bias: Float32Array | null,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a0 = r * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    const c0 = r * cols;
    const c1 = c0 + cols;
    const c2 = c1 + cols;
    const c3 = c2 + cols;
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const b0 = j * K;
      const b1 = b0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < K; k++) {
        const w0 = B[b0 + k];
        const w1 = B[b1 + k];
        const x0 = A[a0 + k];
        const x1 = A[a1 + k];
        const x2 = A[a2 + k];
        const x3 = A[a3 + k];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s20 += x2 * w0;
        s21 += x2 * w1;
        s30 += x3 * w0;
        s31 += x3 * w1;
      }
      const bj0 = bias ? bias[j] : 0;
      const bj1 = bias ? bias[j + 1] : 0;
      C[c0 + j] = s00 + bj0;
      C[c0 + j + 1] = s01 + bj1;
      C[c1 + j] = s10 + bj0;
      C[c1 + j + 1] = s11 + bj1;
      C[c2 + j] = s20 + bj0;
      C[c2 + j + 1] = s21 + bj1;
      C[c3 + j] = s30 + bj0;
      C[c3 + j + 1] = s31 + bj1;
    }
    for (; j < cols; j++) {
      const b0 = j * K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const w = B[b0 + k];
        s0 += A[a0 + k] * w;
        s1 += A[a1 + k] * w;
        s2 += A[a2 + k] * w;
        s3 += A[a3 + k] * w;
      }
      const bj = bias ? bias[j] : 0;
      C[c0 + j] = s0 + bj;
      C[c1 + j] = s1 + bj;
      C[c2 + j] = s2 + bj;
      C[c3 + j] = s3 + bj;
    }
  }
  for (; r < rows; r++) {
    const a0 = r * K;
    const c0 = r * cols;
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const b0 = j * K;
      const b1 = b0 + K;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < K; k++) {
        const x = A[a0 + k];
        s0 += x * B[b0 + k];
        s1 += x * B[b1 + k];
      }
      C[c0 + j] = s0 + (bias ? bias[j] : 0);
      C[c0 + j + 1] = s1 + (bias ? bias[j + 1] : 0);
    }
    for (; j < cols; j++) {
      const b0 = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
      C[c0 + j] = s + (bias ? bias[j] : 0);
    }
  }
}

/** T = M^T for an m x n row-major M (T is n x m). */
export function transpose(M: Float32Array, m: number, n: number, T: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) T[j * m + i] = M[row + j];
  }
}
