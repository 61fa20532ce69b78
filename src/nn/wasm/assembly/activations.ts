// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript.
/**
 * Elementwise activations on f32x4 lanes: forward a = f(z) and backward
 * dz = g * f'(z), over n floats (n a multiple of 4: batch matrices are
 * rows x P with P padded to 4).
 *
 * The TypeScript registry computes these in float64 and rounds once; here
 * they are float32 with a Cephes-style exp (about 1 ulp), tanh by a rational
 * interpolant (within 3 ulps), and forms chosen so that no result loses
 * relative accuracy to cancellation (sigmoid and 1 - sigmoid from e^-|x|,
 * sech^2 from e^-2|x|, gelu from erfc, expm1 by its series near 0). The two
 * agree to a few float32 ulps, which the tests check.
 *
 * Kind codes must match WASM_ACTIVATIONS in ../kernels.ts. The helpers that
 * learnable.ts shares (sigmoid from e^-|x|, lane select) are exported to it.
 */

export const ONE = f32x4.splat(1);
const HALF = f32x4.splat(0.5);
export const ZERO = f32x4.splat(0);
const SIGN = i32x4.splat(0x80000000);

@inline
export function splat(x: f32): v128 {
  return f32x4.splat(x);
}
@inline
export function fadd(a: v128, b: v128): v128 {
  return f32x4.add(a, b);
}
@inline
export function fmul(a: v128, b: v128): v128 {
  return f32x4.mul(a, b);
}
@inline
function fsub(a: v128, b: v128): v128 {
  return f32x4.sub(a, b);
}
@inline
function fabs(a: v128): v128 {
  return v128.andnot(a, SIGN);
}
/** mask ? a : b */
@inline
export function sel(a: v128, b: v128, mask: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/**
 * e^x, float32, range-reduced by ln 2 with a degree-5 polynomial (Cephes expf);
 * overflow to Inf, underflow to 0. Written with the single-instruction forms
 * V8 has (pmin/pmax rather than min/max, the 1.5 * 2^23 rounding trick rather
 * than nearest + trunc_sat, each of which is a multi-instruction sequence).
 */
@inline
function exp4(x: v128): v128 {
  x = f32x4.pmin(splat(89.0), f32x4.pmax(splat(-104.0), x));
  // j = x log2(e) + 1.5 2^23: its low mantissa bits hold round(x log2 e) as an integer.
  const j = fadd(fmul(x, splat(1.44269504088896341)), splat(12582912.0));
  const n = fsub(j, splat(12582912.0));
  const ni = i32x4.sub(j, f32x4.splat(12582912.0));
  let r = fsub(x, fmul(n, splat(0.693359375)));
  r = fsub(r, fmul(n, splat(-2.12194440e-4)));
  let p = splat(1.9875691500e-4);
  p = fadd(fmul(p, r), splat(1.3981999507e-3));
  p = fadd(fmul(p, r), splat(8.3334519073e-3));
  p = fadd(fmul(p, r), splat(4.1665795894e-2));
  p = fadd(fmul(p, r), splat(1.6666665459e-1));
  p = fadd(fmul(p, r), splat(5.0000001201e-1));
  const y = fadd(fadd(fmul(fmul(p, r), r), r), ONE);
  // 2^n as two factors so that n in [-150, 128] stays within normal exponents.
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return fmul(fmul(y, s1), s2);
}

/** e^x - 1 without cancellation near 0 (series for |x| < 0.5). */
function expm14(x: v128): v128 {
  // Taylor to x^9: truncation below 2e-9 relative for |x| < 0.5.
  let p = splat(1.0 / 362880.0);
  p = fadd(fmul(p, x), splat(1.0 / 40320.0));
  p = fadd(fmul(p, x), splat(1.0 / 5040.0));
  p = fadd(fmul(p, x), splat(1.0 / 720.0));
  p = fadd(fmul(p, x), splat(1.0 / 120.0));
  p = fadd(fmul(p, x), splat(1.0 / 24.0));
  p = fadd(fmul(p, x), splat(1.0 / 6.0));
  p = fadd(fmul(p, x), HALF);
  const small = fadd(fmul(fmul(p, x), x), x);
  const big = fsub(exp4(x), ONE);
  return sel(small, big, f32x4.lt(fabs(x), HALF));
}

/**
 * tanh: Eigen's 13/6-degree rational interpolant (generic_fast_tanh_float) on
 * x clamped to [-9, 9], beyond which tanh is +-1 in float32. Within 3 float32
 * ulps at half the cost of 1 - 2 / (e^2|x| + 1) with a polynomial near 0
 * (1 ulp): the tanh forward pass was a quarter of a small network's
 * training time.
 */
@inline
function tanh4(x0: v128): v128 {
  const x = f32x4.pmax(splat(-9.0), f32x4.pmin(splat(9.0), x0));
  const x2 = fmul(x, x);
  let p = splat(-2.76076847742355e-16);
  p = fadd(fmul(p, x2), splat(2.00018790482477e-13));
  p = fadd(fmul(p, x2), splat(-8.60467152213735e-11));
  p = fadd(fmul(p, x2), splat(5.12229709037114e-8));
  p = fadd(fmul(p, x2), splat(1.48572235717979e-5));
  p = fadd(fmul(p, x2), splat(6.37261928875436e-4));
  p = fadd(fmul(p, x2), splat(4.89352455891786e-3));
  let q = splat(1.19825839466702e-6);
  q = fadd(fmul(q, x2), splat(1.18534705686654e-4));
  q = fadd(fmul(q, x2), splat(2.268434632439e-3));
  q = fadd(fmul(q, x2), splat(4.89352518554385e-3));
  return f32x4.div(fmul(p, x), q);
}

/**
 * 1 - tanh^2 = sech^2 x = 4e / (1 + e)^2 with e = e^-2|x| in (0, 1]: a sum
 * and product of positive terms, so nothing cancels at either end and
 * nothing overflows; tiny values stay accurate until e underflows.
 */
@inline
function tanhDf4(x: v128): v128 {
  const e = expNegAbs(fadd(x, x));
  const e1 = fadd(e, ONE);
  return f32x4.div(fmul(splat(4), e), fmul(e1, e1));
}

// sigmoid(x) and 1 - sigmoid(x), both from e = e^-|x| so neither cancels:
// x >= 0: s = 1 / (1 + e), 1 - s = e / (1 + e); x < 0 the other way round.
@inline
export function expNegAbs(x: v128): v128 {
  return exp4(v128.or(x, SIGN));
}
@inline
export function sigS(x: v128, e: v128): v128 {
  const q = f32x4.div(ONE, fadd(ONE, e));
  return sel(q, fmul(e, q), f32x4.ge(x, ZERO));
}
@inline
export function sigC(x: v128, e: v128): v128 {
  const q = f32x4.div(ONE, fadd(ONE, e));
  return sel(fmul(e, q), q, f32x4.ge(x, ZERO));
}

/** erfc(z) (Numerical Recipes' erfcc, fractional error < 1.2e-7), via exp4. */
function erfc4(z: v128): v128 {
  const az = fabs(z);
  const t = f32x4.div(ONE, fadd(ONE, fmul(HALF, az)));
  let p = splat(0.17087277);
  p = fadd(fmul(p, t), splat(-0.82215223));
  p = fadd(fmul(p, t), splat(1.48851587));
  p = fadd(fmul(p, t), splat(-1.13520398));
  p = fadd(fmul(p, t), splat(0.27886807));
  p = fadd(fmul(p, t), splat(-0.18628806));
  p = fadd(fmul(p, t), splat(0.09678418));
  p = fadd(fmul(p, t), splat(0.37409196));
  p = fadd(fmul(p, t), splat(1.00002368));
  p = fadd(fmul(p, t), splat(-1.26551223));
  const ans = fmul(t, exp4(fsub(p, fmul(az, az))));
  return sel(ans, fsub(splat(2), ans), f32x4.ge(z, ZERO));
}

const SQRT1_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;
const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_KAPPA: f32 = 0.044715;
const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_LAMBDA: f32 = 1.0507009873554805;
const ONE_SIXTH: f32 = <f32>(1.0 / 6.0);

// Inlined with a constant kind into one loop per activation (below), so the switch folds away.
@inline
function f4(kind: i32, x: v128, p: f32): v128 {
  switch (kind) {
    case 0: // identity
      return x;
    case 1: // relu
      return f32x4.pmax(ZERO, x);
    case 2: // leaky_relu (p = alpha)
      return sel(x, fmul(x, splat(p)), f32x4.gt(x, ZERO));
    case 3: // sigmoid
      return sigS(x, expNegAbs(x));
    case 4: // tanh
      return tanh4(x);
    case 5: // gelu: x Phi(x) = x/2 erfc(-x/sqrt 2)
      return fmul(fmul(HALF, x), erfc4(fmul(x, splat(-SQRT1_2))));
    case 6: {
      // gelu_tanh: x/2 (1 + tanh u) = x sigmoid(2u)
      const u = fmul(splat(SQRT_2_OVER_PI), fadd(x, fmul(splat(GELU_KAPPA), fmul(x, fmul(x, x)))));
      const u2 = fadd(u, u);
      return fmul(x, sigS(u2, expNegAbs(u2)));
    }
    case 7: // silu
      return fmul(x, sigS(x, expNegAbs(x)));
    case 8: // elu (p = alpha)
      return sel(x, fmul(splat(p), expm14(x)), f32x4.gt(x, ZERO));
    case 9: // selu
      return fmul(splat(SELU_LAMBDA), sel(x, fmul(splat(SELU_ALPHA), expm14(x)), f32x4.gt(x, ZERO)));
    case 10: // celu (p = alpha)
      return sel(x, fmul(splat(p), expm14(f32x4.div(x, splat(p)))), f32x4.gt(x, ZERO));
    case 11: // softsign
      return f32x4.div(x, fadd(ONE, fabs(x)));
    case 12: // hardtanh
      return f32x4.pmin(ONE, f32x4.pmax(splat(-1), x));
    case 13: // relu6
      return f32x4.pmin(splat(6), f32x4.pmax(ZERO, x));
    case 14: // hardsigmoid: clamp(x + 3, 0, 6) / 6
      return f32x4.div(f32x4.pmin(splat(6), f32x4.pmax(ZERO, fadd(x, splat(3)))), splat(6));
    case 15: {
      // hardswish: -0 at or below -3, x above 3, x (x + 3) / 6 between
      const mid = f32x4.div(fmul(x, fadd(x, splat(3))), splat(6));
      return sel(splat(-0.0), sel(x, mid, f32x4.ge(x, splat(3))), f32x4.le(x, splat(-3)));
    }
  }
  unreachable();
  return x;
}

@inline
function df4(kind: i32, x: v128, p: f32): v128 {
  switch (kind) {
    case 0:
      return ONE;
    case 1:
      return v128.and(ONE, f32x4.gt(x, ZERO));
    case 2:
      return sel(ONE, splat(p), f32x4.gt(x, ZERO));
    case 3: {
      const e = expNegAbs(x);
      return fmul(sigS(x, e), sigC(x, e));
    }
    case 4:
      return tanhDf4(x);
    case 5: {
      const cdf = fmul(HALF, erfc4(fmul(x, splat(-SQRT1_2))));
      const pdf = fmul(splat(INV_SQRT_2PI), exp4(fmul(splat(-0.5), fmul(x, x))));
      return fadd(cdf, fmul(x, pdf));
    }
    case 6: {
      // s + 2 x s (1 - s) sqrt(2/pi) (1 + 3 kappa x^2), s = sigmoid(2u): PyTorch's form with 1 + tanh u = 2s, sech^2 u = 4 s (1 - s).
      const x2 = fmul(x, x);
      const u = fmul(splat(SQRT_2_OVER_PI), fadd(x, fmul(splat(GELU_KAPPA), fmul(x, x2))));
      const u2 = fadd(u, u);
      const e = expNegAbs(u2);
      const s = sigS(u2, e);
      const ss = fmul(s, sigC(u2, e));
      const inner = fmul(splat(2 * SQRT_2_OVER_PI), fadd(ONE, fmul(splat(3 * GELU_KAPPA), x2)));
      const second = fmul(fmul(x, ss), inner);
      // Once saturated the second term is exactly 0 (avoids 0 * Infinity for huge |x|).
      return fadd(s, sel(ZERO, second, f32x4.eq(ss, ZERO)));
    }
    case 7: {
      const e = expNegAbs(x);
      return fmul(sigS(x, e), fadd(ONE, fmul(x, sigC(x, e))));
    }
    case 8:
      return sel(ONE, fmul(splat(p), exp4(x)), f32x4.gt(x, ZERO));
    case 9:
      return sel(splat(SELU_LAMBDA), fmul(splat(SELU_LAMBDA * SELU_ALPHA), exp4(x)), f32x4.gt(x, ZERO));
    case 10:
      return sel(ONE, exp4(f32x4.div(x, splat(p))), f32x4.gt(x, ZERO));
    case 11: {
      const d = fadd(ONE, fabs(x));
      return f32x4.div(ONE, fmul(d, d));
    }
    case 12:
      return v128.and(ONE, v128.and(f32x4.gt(x, splat(-1)), f32x4.lt(x, ONE)));
    case 13:
      return v128.and(ONE, v128.and(f32x4.gt(x, ZERO), f32x4.lt(x, splat(6))));
    case 14:
      return v128.and(splat(ONE_SIXTH), v128.and(f32x4.gt(x, splat(-3)), f32x4.lt(x, splat(3))));
    case 15: {
      const mid = fadd(f32x4.div(x, splat(3)), HALF);
      return sel(ZERO, sel(mid, ONE, f32x4.le(x, splat(3))), f32x4.lt(x, splat(-3)));
    }
  }
  unreachable();
  return x;
}

/** A[i] = f(Z[i]) for i < n (n a multiple of 4). */
export function actForward(kind: i32, Z: usize, A: usize, n: i32, p: f32): void {
  const end: usize = (<usize>n) << 2;
  switch (kind) {
    case 0:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(0, v128.load(Z + o), p));
      break;
    case 1:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(1, v128.load(Z + o), p));
      break;
    case 2:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(2, v128.load(Z + o), p));
      break;
    case 3:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(3, v128.load(Z + o), p));
      break;
    case 4:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(4, v128.load(Z + o), p));
      break;
    case 5:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(5, v128.load(Z + o), p));
      break;
    case 6:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(6, v128.load(Z + o), p));
      break;
    case 7:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(7, v128.load(Z + o), p));
      break;
    case 8:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(8, v128.load(Z + o), p));
      break;
    case 9:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(9, v128.load(Z + o), p));
      break;
    case 10:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(10, v128.load(Z + o), p));
      break;
    case 11:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(11, v128.load(Z + o), p));
      break;
    case 12:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(12, v128.load(Z + o), p));
      break;
    case 13:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(13, v128.load(Z + o), p));
      break;
    case 14:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(14, v128.load(Z + o), p));
      break;
    case 15:
      for (let o: usize = 0; o < end; o += 16) v128.store(A + o, f4(15, v128.load(Z + o), p));
      break;
  }
}

/** DZ[i] = G[i] f'(Z[i]) for i < n (n a multiple of 4). */
export function actBackward(kind: i32, Z: usize, G: usize, DZ: usize, n: i32, p: f32): void {
  const end: usize = (<usize>n) << 2;
  switch (kind) {
    case 0:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(0, v128.load(Z + o), p)));
      break;
    case 1:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(1, v128.load(Z + o), p)));
      break;
    case 2:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(2, v128.load(Z + o), p)));
      break;
    case 3:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(3, v128.load(Z + o), p)));
      break;
    case 4:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(4, v128.load(Z + o), p)));
      break;
    case 5:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(5, v128.load(Z + o), p)));
      break;
    case 6:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(6, v128.load(Z + o), p)));
      break;
    case 7:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(7, v128.load(Z + o), p)));
      break;
    case 8:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(8, v128.load(Z + o), p)));
      break;
    case 9:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(9, v128.load(Z + o), p)));
      break;
    case 10:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(10, v128.load(Z + o), p)));
      break;
    case 11:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(11, v128.load(Z + o), p)));
      break;
    case 12:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(12, v128.load(Z + o), p)));
      break;
    case 13:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(13, v128.load(Z + o), p)));
      break;
    case 14:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(14, v128.load(Z + o), p)));
      break;
    case 15:
      for (let o: usize = 0; o < end; o += 16) v128.store(DZ + o, fmul(v128.load(G + o), df4(15, v128.load(Z + o), p)));
      break;
  }
}
