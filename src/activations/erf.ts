/**
 * The error function in float64. JavaScript has no Math.erf, and exact GELU
 * needs one accurate to about 1e-15, so this is W. J. Cody's rational
 * Chebyshev approximation: W. J. Cody, "Rational Chebyshev approximations for
 * the error function", Math. Comp. 23 (1969) 631-637, with the coefficients
 * of his SPECFUN routine CALERF (netlib, 1990). Maximal relative error about
 * 1e-16 on each of its three intervals.
 */

const A = [3.1611237438705656, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.2368334391704];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247,
  3439.3676741437216, 1230.3393548037495,
];
const P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 6.587491615298378e-4, 0.016315387137302097];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const SQRPI = 0.5641895835477563; // 1 / sqrt(pi)
const THRESH = 0.46875;
const XBIG = 26.543; // erfc(x) underflows beyond this

/** erfc(y) for y > THRESH, by Cody's second and third intervals. */
function erfcPositive(y: number): number {
  if (y >= XBIG) return 0;
  let r: number;
  if (y <= 4) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]) * y;
      xden = (xden + D[i]) * y;
    }
    r = (xnum + C[7]) / (xden + D[7]);
  } else {
    const ysq = 1 / (y * y);
    let xnum = P[5] * ysq;
    let xden = ysq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]) * ysq;
      xden = (xden + Q[i]) * ysq;
    }
    r = (ysq * (xnum + P[4])) / (xden + Q[4]);
    r = (SQRPI - r) / y;
  }
  // exp(-y^2) split as exp(-ysq^2) exp(-del) to keep the product accurate (Cody).
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del) * r;
}

/** erf(x), float64, relative error about 1e-16. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= THRESH) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let xnum = A[4] * ysq;
    let xden = ysq;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + A[i]) * ysq;
      xden = (xden + B[i]) * ysq;
    }
    return (x * (xnum + A[3])) / (xden + B[3]);
  }
  const r = 1 - erfcPositive(y);
  return x < 0 ? -r : r;
}

/** erfc(x) = 1 - erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erf(x);
  const r = erfcPositive(y);
  return x < 0 ? 2 - r : r;
}
