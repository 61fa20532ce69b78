/**
 * A fraction claim's expected value as a formula of the grid point
 * ("1 - (1 - 2^-width)^depth"), read by mathjs's expression parser (no
 * JavaScript is run). mathjs takes a second to load, so it is imported only
 * when a config has such a formula.
 */

/** The variables every formula may use; numeric grid keys add theirs (dots as _). */
export const FORMULA_VARIABLES = ["width", "depth", "lr", "epochs"] as const;

async function mathjs(): Promise<typeof import("mathjs")> {
  return import("mathjs");
}

/** Why the formula cannot be used with these variables, or undefined when it can. */
export async function formulaProblem(expr: string, variables: readonly string[]): Promise<string | undefined> {
  const m = await mathjs();
  let node;
  try {
    node = m.parse(expr);
  } catch (err) {
    return `cannot read the formula "${expr}": ${(err as Error).message}`;
  }
  const unknown = new Set<string>();
  node.traverse((n, path, parent) => {
    if (!(n as { isSymbolNode?: boolean }).isSymbolNode) return;
    if ((parent as { isFunctionNode?: boolean } | null)?.isFunctionNode && path === "fn") return;
    const name = (n as unknown as { name: string }).name;
    if (!variables.includes(name) && !(name in m)) unknown.add(name);
  });
  if (unknown.size > 0) return `the formula "${expr}" uses ${[...unknown].join(", ")}; expected only ${variables.join(", ")} (and functions and constants such as sqrt, exp, pi)`;
  return undefined;
}

/** The formula's value at a grid point: NaN when it is not a finite number. */
export async function evaluateFormula(expr: string, scope: Record<string, number>): Promise<number> {
  const m = await mathjs();
  try {
    const v: unknown = m.evaluate(expr, { ...scope });
    return typeof v === "number" && Number.isFinite(v) ? v : NaN;
  } catch {
    return NaN;
  }
}
