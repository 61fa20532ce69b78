/**
 * An activation's curve as activations.csv holds it (and the report charts
 * it): f and f' at 201 points on [-5, 5]. One home, because a user's module
 * is sampled in the thread that checks it (harness/module-check.ts) and every
 * other activation in the main thread, and both must give the same rows.
 */
import type { Activation } from "./types.js";

/** One point of an activation's curve. */
export interface CurvePoint {
  x: number;
  f: number;
  df: number;
}

/** f and f' on [-5, 5] in steps of 0.05 (201 points, x exact decimals: -5, -4.95, ...). */
export function activationCurve(act: Pick<Activation, "f" | "df">): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let i = 0; i <= 200; i++) {
    const x = (i - 100) / 20;
    points.push({ x, f: act.f(x), df: act.df(x) });
  }
  return points;
}
