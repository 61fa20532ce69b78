// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript.
/**
 * Elementwise activations with a learnable parameter, on f32x4 lanes over a
 * rows x P batch matrix (P a multiple of 4, padding columns zero): PReLU's
 * negative slope and Swish-beta's beta, one value per unit (a P-long vector,
 * padding zero) or one per layer (a single float, broadcast).
 *
 * They are not further kinds of actForward because their parameter is a
 * vector across the units and the backward pass also reduces over the rows:
 * dL/dparam = sum over rows of g * df/dparam, per unit, or over the whole
 * layer when the value is shared.
 *
 * The reduction runs in float64, in the TypeScript path's order
 * (LayerActivation.backward): per unit over the rows in row order, a shared
 * value as those unit sums added in unit order, each product of the float32
 * g and df/dparam taken in float64. PReLU's forward, dL/dz and dL/dslope are
 * therefore bit for bit the TypeScript engine's (every product there is of
 * two float32 numbers, exact in float64, rounded once); Swish-beta's sigmoid
 * is float32 here (float64 there), the same to float32 rounding.
 *
 * Kind codes must match WASM_LEARNABLE in ../kernels.ts.
 */
import { ONE, ZERO, fadd, fmul, sel, splat, expNegAbs, sigS, sigC } from "./activations";

/** a = f(z; p): kind 0 prelu (p = slope), 1 swish_beta (p = beta). */
@inline
function f4(kind: i32, x: v128, p: v128): v128 {
  if (kind == 0) return sel(x, fmul(x, p), f32x4.gt(x, ZERO));
  const u = fmul(p, x);
  return fmul(x, sigS(u, expNegAbs(u)));
}

/** Stores dz = g f'(z; p) at DZ and returns df/dp at z, lane-wise. */
@inline
function back4(kind: i32, x: v128, p: v128, g: v128, DZ: usize): v128 {
  if (kind == 0) {
    const pos = f32x4.gt(x, ZERO);
    v128.store(DZ, fmul(g, sel(ONE, p, pos)));
    return sel(ZERO, x, pos); // d/dslope = min(x, 0), 0 at x > 0
  }
  // swish_beta with u = beta x, s = sigmoid(u), q = s (1 - s): f' = s + u q, d/dbeta = x^2 q;
  // once q is 0 (saturated) f' is s and d/dbeta is 0 exactly (also where x^2 would overflow).
  const u = fmul(p, x);
  const e = expNegAbs(u);
  const s = sigS(u, e);
  const q = fmul(s, sigC(u, e));
  const flat = f32x4.eq(q, ZERO);
  v128.store(DZ, fmul(g, sel(s, fadd(s, fmul(u, q)), flat)));
  return sel(ZERO, fmul(fmul(x, q), x), flat);
}

/** The parameters of units jb/4 .. jb/4 + 3 (byte offset jb): their own, or the layer's one value. */
@inline
function params4(par: usize, jb: usize, perUnit: i32): v128 {
  return perUnit ? v128.load(par + jb) : splat(load<f32>(par));
}

@inline
function forwardLoop(kind: i32, Z: usize, A: usize, rows: i32, P: i32, par: usize, perUnit: i32): void {
  const ps: usize = (<usize>P) << 2;
  for (let r: usize = 0, row: usize = 0; r < <usize>rows; r++, row += ps)
    for (let jb: usize = 0; jb < ps; jb += 16) v128.store(A + row + jb, f4(kind, v128.load(Z + row + jb), params4(par, jb, perUnit)));
}

@inline
function backwardLoop(kind: i32, Z: usize, G: usize, DZ: usize, rows: i32, P: i32, par: usize, perUnit: i32, GP: usize): void {
  const ps: usize = (<usize>P) << 2;
  const end: usize = <usize>rows * ps;
  let layer: f64 = 0;
  // Unit blocks outermost, rows inside: each lane's float64 sum runs over its unit's rows in order.
  for (let jb: usize = 0; jb < ps; jb += 16) {
    const p = params4(par, jb, perUnit);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (let o: usize = jb; o < end; o += ps) {
      const g = v128.load(G + o);
      const d = back4(kind, v128.load(Z + o), p, g, DZ + o);
      lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(g), f64x2.promote_low_f32x4(d)));
      hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 0, 1)), f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1))));
    }
    const s0 = f64x2.extract_lane(lo, 0);
    const s1 = f64x2.extract_lane(lo, 1);
    const s2 = f64x2.extract_lane(hi, 0);
    const s3 = f64x2.extract_lane(hi, 1);
    if (perUnit) {
      store<f32>(GP + jb, <f32>s0);
      store<f32>(GP + jb + 4, <f32>s1);
      store<f32>(GP + jb + 8, <f32>s2);
      store<f32>(GP + jb + 12, <f32>s3);
    } else layer = layer + s0 + s1 + s2 + s3;
  }
  if (!perUnit) store<f32>(GP, <f32>layer);
}

/** A = f(Z; par) for `rows` rows of P; par holds P values (perUnit) or one. */
export function paramForward(kind: i32, Z: usize, A: usize, rows: i32, P: i32, par: usize, perUnit: i32): void {
  if (kind == 0) forwardLoop(0, Z, A, rows, P, par, perUnit);
  else forwardLoop(1, Z, A, rows, P, par, perUnit);
}

/**
 * DZ = G f'(Z; par), and dL/dpar written (not added) at GP: P floats
 * (perUnit) or one.
 */
export function paramBackward(kind: i32, Z: usize, G: usize, DZ: usize, rows: i32, P: i32, par: usize, perUnit: i32, GP: usize): void {
  if (kind == 0) backwardLoop(0, Z, G, DZ, rows, P, par, perUnit, GP);
  else backwardLoop(1, Z, G, DZ, rows, P, par, perUnit, GP);
}
