/**
 * What changed between the config a results folder was made by (its
 * manifest's `config`) and the one now given, as the dotted keys that differ
 * with both values: "train.epochs: 30 -> 5". A folder belongs to one config,
 * and a refusal that shows two hashes does not say which edit to undo.
 */

/** One key whose value differs: `before` or `after` is undefined when the key is absent on that side. */
export interface Difference {
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** The leaves where two JSON values differ (lists of different lengths differ as a whole). */
export function differences(before: unknown, after: unknown, path = ""): Difference[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => differences(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length)
    return before.flatMap((v, i) => differences(v, after[i], join(path, i)));
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

function show(v: unknown): string {
  if (v === undefined) return "(none)";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The manifest's activations by label, so a list edit reads as labels and a module edit as its hash. */
function byLabel(acts: unknown): { labels: string[]; modules: Record<string, unknown> } {
  const list = Array.isArray(acts) ? (acts as Array<{ label?: string; module?: unknown }>) : [];
  return { labels: list.map((a) => String(a.label)), modules: Object.fromEntries(list.map((a) => [String(a.label), a.module])) };
}

/**
 * The differences between two manifest configs, at most `max`, as text:
 * "train.epochs: 30 -> 5; activations: relu, tanh -> relu, gelu". The
 * settings and grid come first; the expanded grid points only when nothing
 * else differs. Empty when nothing is found (e.g. a manifest without config).
 */
export function describeChange(before: unknown, after: unknown, max = 6): string {
  if (!isObject(before) || !isObject(after)) return "";
  const { points: pointsBefore, activations: actsBefore, ...restBefore } = before;
  const { points: pointsAfter, activations: actsAfter, ...restAfter } = after;
  const lines: string[] = [];
  const a = byLabel(actsBefore);
  const b = byLabel(actsAfter);
  if (a.labels.join() !== b.labels.join()) lines.push(`activations: ${a.labels.join(", ")} -> ${b.labels.join(", ")}`);
  for (const label of b.labels.filter((l) => a.labels.includes(l)))
    for (const d of differences(a.modules[label], b.modules[label], `activations[${label}].module`))
      lines.push(`${d.path}: ${show(d.before)} -> ${show(d.after)}${d.path.endsWith("sha256") ? " (the module's source changed)" : ""}`);
  let diffs = differences(restBefore, restAfter);
  if (diffs.length === 0 && lines.length === 0) diffs = differences(pointsBefore, pointsAfter, "points");
  lines.push(...diffs.map((d) => `${d.path}: ${show(d.before)} -> ${show(d.after)}`));
  return lines.length > max ? `${lines.slice(0, max).join("; ")}; and ${lines.length - max} more` : lines.join("; ");
}
