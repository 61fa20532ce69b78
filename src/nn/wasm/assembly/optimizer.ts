// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript.
/**
 * Optimizer updates of one parameter tensor, the same arithmetic as
 * src/nn/optimizer.ts (PyTorch's rules, float64 state and float64 update
 * arithmetic on float32 weights and gradients), two lanes at a time.
 *
 * kind: 0 sgd, 1 momentum, 2 nesterov, 3 adam, 4 adamw (ids in ../kernels.ts).
 * w, g: float32; m, v: float64 state (unused ones may be any pointer).
 */

function ld2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}
function st2(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}

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
  const LR = f64x2.splat(lr);
  const L2 = f64x2.splat(l2);
  const SC = f64x2.splat(scale);
  const MU = f64x2.splat(mu);
  const pairs = n >> 1;
  let i = 0;
  switch (kind) {
    case 0:
      for (; i < pairs; i++) {
        const o4: usize = (<usize>i) << 3;
        const wi = ld2(w + o4);
        const gi = f64x2.add(f64x2.mul(ld2(g + o4), SC), f64x2.mul(L2, wi));
        st2(w + o4, f64x2.sub(wi, f64x2.mul(LR, gi)));
      }
      break;
    case 1:
    case 2:
      for (; i < pairs; i++) {
        const o4: usize = (<usize>i) << 3;
        const o8: usize = (<usize>i) << 4;
        const wi = ld2(w + o4);
        const gi = f64x2.add(f64x2.mul(ld2(g + o4), SC), f64x2.mul(L2, wi));
        const mi = f64x2.add(f64x2.mul(MU, v128.load(m + o8)), gi);
        v128.store(m + o8, mi);
        const step = kind == 1 ? mi : f64x2.add(gi, f64x2.mul(MU, mi));
        st2(w + o4, f64x2.sub(wi, f64x2.mul(LR, step)));
      }
      break;
    default: {
      const B1 = f64x2.splat(b1);
      const B2 = f64x2.splat(b2);
      const NB1 = f64x2.splat(1 - b1);
      const NB2 = f64x2.splat(1 - b2);
      const C1 = f64x2.splat(c1);
      const C2 = f64x2.splat(c2);
      const EPS = f64x2.splat(eps);
      const DEC = f64x2.splat(lr * l2);
      for (; i < pairs; i++) {
        const o4: usize = (<usize>i) << 3;
        const o8: usize = (<usize>i) << 4;
        let wi = ld2(w + o4);
        let gi = f64x2.mul(ld2(g + o4), SC);
        if (kind == 4) wi = f64x2.sub(wi, f64x2.mul(DEC, wi));
        else gi = f64x2.add(gi, f64x2.mul(L2, wi));
        const mi = f64x2.add(f64x2.mul(B1, v128.load(m + o8)), f64x2.mul(NB1, gi));
        const vi = f64x2.add(f64x2.mul(B2, v128.load(v + o8)), f64x2.mul(f64x2.mul(NB2, gi), gi));
        v128.store(m + o8, mi);
        v128.store(v + o8, vi);
        const den = f64x2.add(f64x2.sqrt(f64x2.div(vi, C2)), EPS);
        st2(w + o4, f64x2.sub(wi, f64x2.div(f64x2.mul(LR, f64x2.div(mi, C1)), den)));
      }
    }
  }
  // Odd tail (activation parameters can have an odd count), scalar.
  for (let k = pairs << 1; k < n; k++) {
    const pw = w + ((<usize>k) << 2);
    const pm = m + ((<usize>k) << 3);
    const pv = v + ((<usize>k) << 3);
    let wi = <f64>load<f32>(pw);
    let gi = <f64>load<f32>(g + ((<usize>k) << 2)) * scale;
    if (kind == 0) {
      store<f32>(pw, <f32>(wi - lr * (gi + l2 * wi)));
    } else if (kind == 1 || kind == 2) {
      gi += l2 * wi;
      const mi = mu * load<f64>(pm) + gi;
      store<f64>(pm, mi);
      store<f32>(pw, <f32>(wi - lr * (kind == 1 ? mi : gi + mu * mi)));
    } else {
      if (kind == 4) wi -= lr * l2 * wi;
      else gi += l2 * wi;
      const mi = b1 * load<f64>(pm) + (1 - b1) * gi;
      const vi = b2 * load<f64>(pv) + (1 - b2) * gi * gi;
      store<f64>(pm, mi);
      store<f64>(pv, vi);
      store<f32>(pw, <f32>(wi - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps)));
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
