/**
 * The independent reference for the sign-flip test: a plain recursion over
 * every sign pattern (not the Gray-code walk of src/report/stats.ts).
 */
export function bruteSignFlip(d: number[]): number {
  const obs = Math.abs(d.reduce((a, b) => a + b, 0));
  let hits = 0;
  const walk = (i: number, sum: number): void => {
    if (i === d.length) {
      if (Math.abs(sum) >= obs - 1e-9) hits++;
      return;
    }
    walk(i + 1, sum + d[i]);
    walk(i + 1, sum - d[i]);
  };
  walk(0, 0);
  return hits / 2 ** d.length;
}
