// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript.
/**
 * Optimizer updates, the same arithmetic as src/nn/optimizer.ts (PyTorch's
 * rules, float64 state and float64 update arithmetic on float32 weights and
 * gradients), two lanes at a time.
 *
 * kind: 0 sgd, 1 momentum, 2 nesterov, 3 adam, 4 adamw (ids in ../kernels.ts).
 * w, g: float32; m, v: float64 state (unused ones may be any pointer).
 *
 * setHyper() fixes the hyperparameters of the next updates; update() runs one
 * tensor; gemm.ts's weightGrad applies applyRange to each block of rows of
 * the weight gradient while it is in L1 (the fused path, used when no
 * global-norm clipping needs every gradient first).
 */

let KIND: i32 = 0;
let LR: v128 = f64x2.splat(0);
let L2: v128 = f64x2.splat(0);
let SC: v128 = f64x2.splat(1);
let MU: v128 = f64x2.splat(0);
let B1: v128 = f64x2.splat(0);
let B2: v128 = f64x2.splat(0);
let NB1: v128 = f64x2.splat(0);
let NB2: v128 = f64x2.splat(0);
let EPS: v128 = f64x2.splat(0);
let KEEP: v128 = f64x2.splat(1);
let STEP: v128 = f64x2.splat(0);
let C2S: v128 = f64x2.splat(1);
/** No clipping scale and no weight decay in this step: the common case gets loops without their two multiplies. */
let PLAIN: bool = false;

export function setHyper(kind: i32, lr: f64, l2: f64, scale: f64, mu: f64, b1: f64, b2: f64, eps: f64, c1: f64, c2: f64): void {
  KIND = kind;
  LR = f64x2.splat(lr);
  L2 = f64x2.splat(l2);
  SC = f64x2.splat(scale);
  MU = f64x2.splat(mu);
  B1 = f64x2.splat(b1);
  B2 = f64x2.splat(b2);
  NB1 = f64x2.splat(1 - b1);
  NB2 = f64x2.splat(1 - b2);
  EPS = f64x2.splat(eps);
  KEEP = f64x2.splat(1 - lr * l2);
  STEP = f64x2.splat(lr / c1);
  C2S = f64x2.splat(Math.sqrt(c2));
  PLAIN = l2 == 0 && scale == 1;
}

/** New values of two weights w (f64x2) from their raw gradients g (f64x2); updates the state at m, v. */
@inline
function ld2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

@inline
function st2(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}

/** One tensor of n float32s: w updated from g (the step's hyperparameters as arguments, see setHyper). */
export function update(
  kind: i32,
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f64,
  l2: f64,
  scale: f64,
  mu: f64,
  b1: f64,
  b2: f64,
  eps: f64,
  c1: f64,
  c2: f64,
): void {
  setHyper(kind, lr, l2, scale, mu, b1, b2, eps, c1, c2);
  applyRange(w, g, m, v, n);
}

/** The update of setHyper's step over n float32 weights at w from the gradients at g (state at m, v). */
export function applyRange(w: usize, g: usize, m: usize, v: usize, n: i32): void {
  const kind = KIND;
  if (PLAIN && kind <= 2) {
    // Hyperparameters in locals (registers) and one loop per rule: no global read per element.
    const lr = LR;
    const mu = MU;
    // g * 1 + 0 * w is g for every finite w, so these loops give the general ones'
    // numbers (up to the sign of a zero); a non-finite w stops the run either way.
    // Four weights a round: one load of w and of g, one store of w.
    const quads = n >> 2;
    if (kind == 1) {
      for (let i = 0; i < quads; i++) {
        const o4: usize = (<usize>i) << 4;
        const o8: usize = (<usize>i) << 5;
        const w4 = v128.load(w + o4);
        const g4 = v128.load(g + o4);
        const mlo = f64x2.add(f64x2.mul(mu, v128.load(m + o8)), f64x2.promote_low_f32x4(g4));
        const mhi = f64x2.add(f64x2.mul(mu, v128.load(m + o8, 16)), f64x2.promote_low_f32x4(v128.shuffle<i32>(g4, g4, 2, 3, 0, 1)));
        v128.store(m + o8, mlo);
        v128.store(m + o8, mhi, 16);
        const wlo = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(w4), f64x2.mul(lr, mlo)));
        const whi = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<i32>(w4, w4, 2, 3, 0, 1)), f64x2.mul(lr, mhi)));
        v128.store(w + o4, v128.shuffle<i32>(wlo, whi, 0, 1, 4, 5));
      }
    } else {
      for (let i = 0; i < quads; i++) {
        const o4: usize = (<usize>i) << 4;
        const o8: usize = (<usize>i) << 5;
        const w4 = v128.load(w + o4);
        const g4 = v128.load(g + o4);
        const glo = f64x2.promote_low_f32x4(g4);
        const ghi = f64x2.promote_low_f32x4(v128.shuffle<i32>(g4, g4, 2, 3, 0, 1));
        let slo = glo;
        let shi = ghi;
        if (kind == 2) {
          const mlo = f64x2.add(f64x2.mul(mu, v128.load(m + o8)), glo);
          const mhi = f64x2.add(f64x2.mul(mu, v128.load(m + o8, 16)), ghi);
          v128.store(m + o8, mlo);
          v128.store(m + o8, mhi, 16);
          slo = f64x2.add(glo, f64x2.mul(mu, mlo));
          shi = f64x2.add(ghi, f64x2.mul(mu, mhi));
        }
        const wlo = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(w4), f64x2.mul(lr, slo)));
        const whi = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<i32>(w4, w4, 2, 3, 0, 1)), f64x2.mul(lr, shi)));
        v128.store(w + o4, v128.shuffle<i32>(wlo, whi, 0, 1, 4, 5));
      }
    }
    // The last n % 4 weights by the general loops below.
    const done = quads << 2;
    if (done < n) applyGeneral(w + ((<usize>done) << 2), g + ((<usize>done) << 2), m + ((<usize>done) << 3), v + ((<usize>done) << 3), n - done);
    return;
  }
  applyGeneral(w, g, m, v, n);
}

/** applyRange for any step (clipping scale, weight decay, every rule). */
function applyGeneral(w: usize, g: usize, m: usize, v: usize, n: i32): void {
  const kind = KIND;
  const pairs = n >> 1;
  const lr = LR;
  const l2 = L2;
  const sc = SC;
  const mu = MU;
  if (kind == 0) {
    for (let i = 0; i < pairs; i++) {
      const o4: usize = (<usize>i) << 3;
      const wi = ld2(w + o4);
      const gi = f64x2.add(f64x2.mul(ld2(g + o4), sc), f64x2.mul(l2, wi));
      st2(w + o4, f64x2.sub(wi, f64x2.mul(lr, gi)));
    }
  } else if (kind <= 2) {
    const nesterov = kind == 2;
    for (let i = 0; i < pairs; i++) {
      const o4: usize = (<usize>i) << 3;
      const o8: usize = (<usize>i) << 4;
      const wi = ld2(w + o4);
      const gi = f64x2.add(f64x2.mul(ld2(g + o4), sc), f64x2.mul(l2, wi));
      const mi = f64x2.add(f64x2.mul(mu, v128.load(m + o8)), gi);
      v128.store(m + o8, mi);
      st2(w + o4, f64x2.sub(wi, f64x2.mul(lr, nesterov ? f64x2.add(gi, f64x2.mul(mu, mi)) : mi)));
    }
  } else {
    const decoupled = kind == 4;
    const b1 = B1;
    const b2 = B2;
    const nb1 = NB1;
    const nb2 = NB2;
    const step = STEP;
    const c2s = C2S;
    const eps = EPS;
    const keep = KEEP;
    for (let i = 0; i < pairs; i++) {
      const o4: usize = (<usize>i) << 3;
      const o8: usize = (<usize>i) << 4;
      let wi = ld2(w + o4);
      let gi = f64x2.mul(ld2(g + o4), sc);
      if (decoupled) wi = f64x2.mul(wi, keep);
      else gi = f64x2.add(gi, f64x2.mul(l2, wi));
      const mi = f64x2.add(f64x2.mul(b1, v128.load(m + o8)), f64x2.mul(nb1, gi));
      const vi = f64x2.add(f64x2.mul(b2, v128.load(v + o8)), f64x2.mul(f64x2.mul(nb2, gi), gi));
      v128.store(m + o8, mi);
      v128.store(v + o8, vi);
      const den = f64x2.add(f64x2.div(f64x2.sqrt(vi), c2s), eps);
      st2(w + o4, f64x2.sub(wi, f64x2.mul(step, f64x2.div(mi, den))));
    }
  }
  // Odd tail (activation parameters can have an odd count), scalar.
  for (let k = pairs << 1; k < n; k++) {
    const pw = w + ((<usize>k) << 2);
    const pm = m + ((<usize>k) << 3);
    const pv = v + ((<usize>k) << 3);
    const lr = f64x2.extract_lane(LR, 0);
    const l2 = f64x2.extract_lane(L2, 0);
    const mu = f64x2.extract_lane(MU, 0);
    const b1 = f64x2.extract_lane(B1, 0);
    const b2 = f64x2.extract_lane(B2, 0);
    const step = f64x2.extract_lane(STEP, 0);
    const c2s = f64x2.extract_lane(C2S, 0);
    const eps = f64x2.extract_lane(EPS, 0);
    let wi = <f64>load<f32>(pw);
    let gi = <f64>load<f32>(g + ((<usize>k) << 2)) * f64x2.extract_lane(SC, 0);
    if (kind == 0) {
      store<f32>(pw, <f32>(wi - lr * (gi + l2 * wi)));
    } else if (kind == 1 || kind == 2) {
      gi += l2 * wi;
      const mi = mu * load<f64>(pm) + gi;
      store<f64>(pm, mi);
      store<f32>(pw, <f32>(wi - lr * (kind == 1 ? mi : gi + mu * mi)));
    } else {
      if (kind == 4) wi *= f64x2.extract_lane(KEEP, 0);
      else gi += l2 * wi;
      const mi = b1 * load<f64>(pm) + (1 - b1) * gi;
      const vi = b2 * load<f64>(pv) + (1 - b2) * gi * gi;
      store<f64>(pm, mi);
      store<f64>(pv, vi);
      store<f32>(pw, <f32>(wi - step * (mi / (Math.sqrt(vi) / c2s + eps))));
    }
  }
}

/** sum of g[i]^2 over n float32s, in float64 (for clipping by the global norm). */
export function sumSquares(g: usize, n: i32): f64 {
  let s = f64x2.splat(0);
  const pairs = n >> 1;
  for (let i = 0; i < pairs; i++) {
    const x = ld2(g + ((<usize>i) << 3));
    s = f64x2.add(s, f64x2.mul(x, x));
  }
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (n & 1) {
    const x = <f64>load<f32>(g + ((<usize>(n - 1)) << 2));
    t += x * x;
  }
  return t;
}
