// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript.
import { applyRange } from "./optimizer";

/**
 * The three products of one dense layer, on f32x4 lanes, register-blocked.
 *
 * Layout (see ../layout.ts): a layer's weights are held TRANSPOSED, WT[k][j]
 * (inputs x units), with the unit count padded to P, a multiple of 4, the
 * padding columns zero. Batch matrices (Z, A, dZ, dA) are rows x P. With that
 * layout the forward product and the weight gradient are "broadcast one
 * number, multiply a vector of units" loops, and the input gradient is a dot
 * product over the (contiguous) units.
 *
 * Pointers are byte offsets into linear memory; strides are in floats.
 */

/**
 * c + a * b, lane-wise. In the build with relaxed SIMD (mlp-fma.wasm) a fused
 * multiply-add, one rounding instead of two, about 1.5x faster GEMMs on cores
 * with FMA; in the plain SIMD build (mlp.wasm) a multiply then an add. The
 * choice is made at compile time (ASC_FEATURE_RELAXED_SIMD), so it costs nothing.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Z[r][j] = b[j] + sum_k X[r][k] WT[k][j] for r < rows, j < P; when relu is
 * non-zero also A = relu(Z) (fused: the values are still in registers).
 * Blocks of 4 rows x 8 units (8 accumulators: V8 keeps one of the 16 xmm registers as scratch, so 12 would spill); unit blocks outermost so a
 * 12-column slice of WT is reused by every row block while it is in cache.
 */
export function forward(X: usize, xs: i32, rows: i32, K: i32, WT: usize, P: i32, b: usize, Z: usize, A: usize, relu: i32): void {
  const ps: usize = (<usize>P) << 2;
  const xsb: usize = (<usize>xs) << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= P; j += 8) {
    const jb: usize = (<usize>j) << 2;
    const bb0 = v128.load(b + jb);
    const bb1 = v128.load(b + jb, 16);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      let x0 = X + <usize>r * xsb;
      let x1 = x0 + xsb;
      let x2 = x1 + xsb;
      let x3 = x2 + xsb;
      let c00 = bb0, c01 = bb1;
      let c10 = bb0, c11 = bb1;
      let c20 = bb0, c21 = bb1;
      let c30 = bb0, c31 = bb1;
      let w = WT + jb;
      for (let k = 0; k < K; k++) {
        const w0 = v128.load(w);
        const w1 = v128.load(w, 16);
        let a = v128.load32_splat(x0);
        c00 = madd(a, w0, c00);
        c01 = madd(a, w1, c01);
        a = v128.load32_splat(x1);
        c10 = madd(a, w0, c10);
        c11 = madd(a, w1, c11);
        a = v128.load32_splat(x2);
        c20 = madd(a, w0, c20);
        c21 = madd(a, w1, c21);
        a = v128.load32_splat(x3);
        c30 = madd(a, w0, c30);
        c31 = madd(a, w1, c31);
        x0 += 4;
        x1 += 4;
        x2 += 4;
        x3 += 4;
        w += ps;
      }
      const z0 = Z + <usize>r * ps + jb;
      const z1 = z0 + ps;
      const z2 = z1 + ps;
      const z3 = z2 + ps;
      v128.store(z0, c00);
      v128.store(z0, c01, 16);
      v128.store(z1, c10);
      v128.store(z1, c11, 16);
      v128.store(z2, c20);
      v128.store(z2, c21, 16);
      v128.store(z3, c30);
      v128.store(z3, c31, 16);
      if (relu) {
        const a0 = A + <usize>r * ps + jb;
        const a1 = a0 + ps;
        const a2 = a1 + ps;
        const a3 = a2 + ps;
        // pmax(0, z) = z > 0 ? z : 0, exactly relu (NaN -> 0 like the TS loop's comparison).
        v128.store(a0, f32x4.pmax(zero, c00));
        v128.store(a0, f32x4.pmax(zero, c01), 16);
        v128.store(a1, f32x4.pmax(zero, c10));
        v128.store(a1, f32x4.pmax(zero, c11), 16);
        v128.store(a2, f32x4.pmax(zero, c20));
        v128.store(a2, f32x4.pmax(zero, c21), 16);
        v128.store(a3, f32x4.pmax(zero, c30));
        v128.store(a3, f32x4.pmax(zero, c31), 16);
      }
    }
    for (; r < rows; r++) {
      let x0 = X + <usize>r * xsb;
      let c0 = bb0, c1 = bb1;
      let w = WT + jb;
      for (let k = 0; k < K; k++) {
        const a = v128.load32_splat(x0);
        c0 = f32x4.add(c0, f32x4.mul(a, v128.load(w)));
        c1 = f32x4.add(c1, f32x4.mul(a, v128.load(w, 16)));
        x0 += 4;
        w += ps;
      }
      const z0 = Z + <usize>r * ps + jb;
      v128.store(z0, c0);
      v128.store(z0, c1, 16);
      if (relu) {
        const a0 = A + <usize>r * ps + jb;
        v128.store(a0, f32x4.pmax(zero, c0));
        v128.store(a0, f32x4.pmax(zero, c1), 16);
      }
    }
  }
  for (; j < P; j += 4) {
    const jb: usize = (<usize>j) << 2;
    const bb = v128.load(b + jb);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      let x0 = X + <usize>r * xsb;
      let x1 = x0 + xsb;
      let x2 = x1 + xsb;
      let x3 = x2 + xsb;
      let c0 = bb, c1 = bb, c2 = bb, c3 = bb;
      let w = WT + jb;
      for (let k = 0; k < K; k++) {
        const w0 = v128.load(w);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(x0), w0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(x1), w0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(x2), w0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(x3), w0));
        x0 += 4;
        x1 += 4;
        x2 += 4;
        x3 += 4;
        w += ps;
      }
      const z0 = Z + <usize>r * ps + jb;
      v128.store(z0, c0);
      v128.store(z0 + ps, c1);
      v128.store(z0 + 2 * ps, c2);
      v128.store(z0 + 3 * ps, c3);
      if (relu) {
        const a0 = A + <usize>r * ps + jb;
        v128.store(a0, f32x4.pmax(zero, c0));
        v128.store(a0 + ps, f32x4.pmax(zero, c1));
        v128.store(a0 + 2 * ps, f32x4.pmax(zero, c2));
        v128.store(a0 + 3 * ps, f32x4.pmax(zero, c3));
      }
    }
    for (; r < rows; r++) {
      let x0 = X + <usize>r * xsb;
      let c0 = bb;
      let w = WT + jb;
      for (let k = 0; k < K; k++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(x0), v128.load(w)));
        x0 += 4;
        w += ps;
      }
      v128.store(Z + <usize>r * ps + jb, c0);
      if (relu) v128.store(A + <usize>r * ps + jb, f32x4.pmax(zero, c0));
    }
  }
}

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Input gradient dA[r][i] = sum_{j < P} dZ[r][j] WT[i][j] for r < rows,
 * i < K, written with row stride os. When relu is non-zero the previous
 * layer's ReLU backward is fused: out = Zp[r][i] > 0 ? dA : 0, i.e. out is
 * that layer's dZ directly (Zp has row stride os too).
 * Blocks of 2 rows x 4 inputs: 8 accumulators, each row's four reduced
 * across lanes together (reduce4) and stored as one vector, the ReLU mask
 * applied lane-wise (no branch on the sign of each pre-activation).
 */
export function inputGrad(DZ: usize, P: i32, rows: i32, WT: usize, K: i32, out: usize, os: i32, Zp: usize, relu: i32): void {
  const ps: usize = (<usize>P) << 2;
  const osb: usize = (<usize>os) << 2;
  let r = 0;
  for (; r + 2 <= rows; r += 2) {
    const d0 = DZ + <usize>r * ps;
    const d1 = d0 + ps;
    const o0 = <usize>r * osb;
    const o1 = o0 + osb;
    let i = 0;
    for (; i + 4 <= K; i += 4) {
      const w0 = WT + <usize>i * ps;
      const w1 = w0 + ps;
      const w2 = w1 + ps;
      const w3 = w2 + ps;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let jb: usize = 0; jb < ps; jb += 16) {
        const a0 = v128.load(w0 + jb);
        const a1 = v128.load(w1 + jb);
        const a2 = v128.load(w2 + jb);
        const a3 = v128.load(w3 + jb);
        let d = v128.load(d0 + jb);
        s00 = madd(d, a0, s00);
        s01 = madd(d, a1, s01);
        s02 = madd(d, a2, s02);
        s03 = madd(d, a3, s03);
        d = v128.load(d1 + jb);
        s10 = madd(d, a0, s10);
        s11 = madd(d, a1, s11);
        s12 = madd(d, a2, s12);
        s13 = madd(d, a3, s13);
      }
      const ib: usize = (<usize>i) << 2;
      storeGrad4(out, Zp, o0 + ib, reduce4(s00, s01, s02, s03), relu);
      storeGrad4(out, Zp, o1 + ib, reduce4(s10, s11, s12, s13), relu);
    }
    for (; i < K; i++) {
      const w0 = WT + <usize>i * ps;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
      for (let jb: usize = 0; jb < ps; jb += 16) {
        const a0 = v128.load(w0 + jb);
        s0 = madd(v128.load(d0 + jb), a0, s0);
        s1 = madd(v128.load(d1 + jb), a0, s1);
      }
      const ib: usize = (<usize>i) << 2;
      storeGrad(out, Zp, o0 + ib, hsum(s0), relu);
      storeGrad(out, Zp, o1 + ib, hsum(s1), relu);
    }
  }
  for (; r < rows; r++) {
    const d0 = DZ + <usize>r * ps;
    for (let i = 0; i < K; i++) {
      const w0 = WT + <usize>i * ps;
      let s0 = f32x4.splat(0);
      for (let jb: usize = 0; jb < ps; jb += 16) s0 = f32x4.add(s0, f32x4.mul(v128.load(d0 + jb), v128.load(w0 + jb)));
      storeGrad(out, Zp, <usize>r * osb + ((<usize>i) << 2), hsum(s0), relu);
    }
  }
}

/** [sum a, sum b, sum c, sum d]: the lanes of four vectors summed pairwise, in one vector. */
@inline
function reduce4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 2, 6), v128.shuffle<f32>(a, b, 1, 5, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 2, 6), v128.shuffle<f32>(c, d, 1, 5, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** Four outputs at once; with relu, zero where Zp <= 0 (or NaN), as storeGrad. */
@inline
function storeGrad4(out: usize, Zp: usize, off: usize, s: v128, relu: i32): void {
  v128.store(out + off, relu ? v128.and(s, f32x4.gt(v128.load(Zp + off), f32x4.splat(0))) : s);
}

@inline
function storeGrad(out: usize, Zp: usize, off: usize, s: f32, relu: i32): void {
  if (relu) store<f32>(out + off, load<f32>(Zp + off) > 0 ? s : 0);
  else store<f32>(out + off, s);
}

/**
 * Weight gradient, transposed like the weights: GW[i][j] = sum_r X[r][i] dZ[r][j]
 * for i < K, j < P. Blocks of 4 inputs x 8 units, the reduction over the
 * batch rows innermost.
 *
 * With fused non-zero GW is scratch for 4 rows (4 P floats): each block of
 * 4 gradient rows goes from there, still in L1, into the optimizer update
 * (optimizer.ts applyRange with the hyperparameters of setHyper) of the
 * weights at W, their float64 state at M and V; the full gradient is never
 * stored. Callers must have used W for the input gradient first.
 */
export function weightGrad(X: usize, xs: i32, rows: i32, K: i32, DZ: usize, P: i32, GW: usize, W: usize, M: usize, V: usize, fused: i32): void {
  const ps: usize = (<usize>P) << 2;
  const xsb: usize = (<usize>xs) << 2;
  let i = 0;
  for (; i + 4 <= K; i += 4) {
    const xi = X + ((<usize>i) << 2);
    const g0: usize = fused ? GW : GW + <usize>i * ps;
    let j = 0;
    for (; j + 8 <= P; j += 8) {
      const jb: usize = (<usize>j) << 2;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let x = xi;
      let d = DZ + jb;
      for (let r = 0; r < rows; r++) {
        const d0 = v128.load(d);
        const d1 = v128.load(d, 16);
        let a = v128.load32_splat(x);
        c00 = madd(a, d0, c00);
        c01 = madd(a, d1, c01);
        a = v128.load32_splat(x, 4);
        c10 = madd(a, d0, c10);
        c11 = madd(a, d1, c11);
        a = v128.load32_splat(x, 8);
        c20 = madd(a, d0, c20);
        c21 = madd(a, d1, c21);
        a = v128.load32_splat(x, 12);
        c30 = madd(a, d0, c30);
        c31 = madd(a, d1, c31);
        x += xsb;
        d += ps;
      }
      const o0 = g0 + jb;
      const o1 = o0 + ps;
      const o2 = o1 + ps;
      const o3 = o2 + ps;
      v128.store(o0, c00);
      v128.store(o0, c01, 16);
      v128.store(o1, c10);
      v128.store(o1, c11, 16);
      v128.store(o2, c20);
      v128.store(o2, c21, 16);
      v128.store(o3, c30);
      v128.store(o3, c31, 16);
    }
    for (; j < P; j += 4) {
      const jb: usize = (<usize>j) << 2;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let x = xi;
      let d = DZ + jb;
      for (let r = 0; r < rows; r++) {
        const d0 = v128.load(d);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(x), d0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(x, 4), d0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(x, 8), d0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(x, 12), d0));
        x += xsb;
        d += ps;
      }
      const o0 = g0 + jb;
      v128.store(o0, c0);
      v128.store(o0 + ps, c1);
      v128.store(o0 + 2 * ps, c2);
      v128.store(o0 + 3 * ps, c3);
    }
    if (fused) applyRange(W + <usize>i * ps, GW, M + ((<usize>i * ps) << 1), V + ((<usize>i * ps) << 1), 4 * P);
  }
  for (; i < K; i++) {
    const xi = X + ((<usize>i) << 2);
    const g0: usize = fused ? GW : GW + <usize>i * ps;
    for (let jb: usize = 0; jb < ps; jb += 16) {
      let c0 = f32x4.splat(0);
      let x = xi;
      let d = DZ + jb;
      for (let r = 0; r < rows; r++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(x), v128.load(d)));
        x += xsb;
        d += ps;
      }
      v128.store(g0 + jb, c0);
    }
    if (fused) applyRange(W + <usize>i * ps, GW, M + ((<usize>i * ps) << 1), V + ((<usize>i * ps) << 1), P);
  }
}

/** Bias gradient: gb[j] = sum_r dZ[r][j] for j < P. */
export function biasGrad(DZ: usize, P: i32, rows: i32, gb: usize): void {
  const ps: usize = (<usize>P) << 2;
  for (let jb: usize = 0; jb < ps; jb += 16) {
    let s = f32x4.splat(0);
    let d = DZ + jb;
    for (let r = 0; r < rows; r++) {
      s = f32x4.add(s, v128.load(d));
      d += ps;
    }
    v128.store(gb + jb, s);
  }
}
