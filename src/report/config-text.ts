/**
 * Config values as short readable text for the report ({name: adam, lr: 0.01}
 * rather than JSON with quotes). A `name` key goes first: it is what a reader
 * looks for in a dataset or optimizer.
 */
export function configText(v: unknown): string {
  if (v === undefined || v === null) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(configText).join(", ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    entries.sort(([a], [b]) => (a === "name" ? -1 : b === "name" ? 1 : 0));
    return `{${entries.map(([k, x]) => `${k}: ${configText(x)}`).join(", ")}}`;
  }
  return String(v);
}

/** A grid cell of runs.csv (JSON text for objects and lists, else plain) as configText. */
export function gridValueText(cell: string): string {
  const t = cell.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return configText(JSON.parse(t));
    } catch {
      return cell;
    }
  }
  return cell;
}
