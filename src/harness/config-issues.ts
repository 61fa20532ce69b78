/**
 * Turns zod issues into messages a person can act on: the file and line of
 * the offending value, its field path, what was found, what was expected, and
 * close matches for misspelt names and keys.
 */
import type { z } from "zod";
import { isNode, isScalar, LineCounter, type Document } from "yaml";
import { closeMatches } from "../errors.js";

/** Where the config text came from, to point at lines. */
export interface ConfigSource {
  /** File name as shown to the user. */
  file: string;
  doc: Document;
  lines: LineCounter;
  /** JSON Schema of the config (for the keys an object may hold). */
  jsonSchema: Record<string, unknown>;
  /** Paths set by --set, with the flag's text, so their errors name the flag instead of a line. */
  overrides: Array<{ path: PathKey[]; flag: string }>;
}

export type PathKey = string | number;

/** `train.optimizer.lr`, `activations[2]`, `grid["model.hidden"]` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || "(top level)";
}

/** `file:line:col` of the value at path (or of its closest present ancestor), or the --set flag that set it. */
export function locate(src: ConfigSource, path: readonly PropertyKey[]): string {
  for (const o of src.overrides) {
    if (o.path.length <= path.length && o.path.every((k, i) => String(k) === String(path[i]))) return `${src.file} (--set ${o.flag})`;
  }
  for (let n = path.length; n >= 0; n--) {
    const node = src.doc.getIn(path.slice(0, n) as PathKey[], true);
    if (isNode(node) && node.range) {
      const pos = src.lines.linePos(node.range[0]);
      return `${src.file}:${pos.line}:${pos.col}`;
    }
  }
  return src.file;
}

function show(value: unknown, src?: ConfigSource, path?: readonly PropertyKey[]): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) {
    // JSON has no Infinity or NaN (JSON.stringify says null): say what the file wrote (.inf, 1e400, .nan).
    const node = src && path ? src.doc.getIn(path as PathKey[], true) : undefined;
    const written = isScalar(node) && typeof node.source === "string" ? node.source : undefined;
    return written && written !== String(value) ? `${written} (${value})` : String(value);
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per issue, each starting with its location. `prefix` is prepended to the path (grid points). */
export function formatIssues(
  src: ConfigSource,
  issues: readonly z.core.$ZodIssue[],
  opts: { locationPath?: (path: readonly PropertyKey[]) => readonly PropertyKey[]; context?: string } = {},
): string[] {
  return issues.map((issue) => {
    const { path, detail } = describe(src, issue, []);
    const where = locate(src, opts.locationPath ? opts.locationPath(path) : path);
    return `${where}: ${opts.context ?? ""}${formatPath(path)}: ${detail}`;
  });
}

function describe(
  src: ConfigSource,
  issue: z.core.$ZodIssue,
  base: readonly PropertyKey[],
): { path: PropertyKey[]; detail: string } {
  const path = [...base, ...issue.path];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type":
      return { path, detail: `found ${show(input, src, path)}, expected ${article(issue.expected)}` };
    case "invalid_value": {
      const options = issue.values.map((v) => String(v));
      const near = typeof input === "string" ? closeMatches(input, options) : [];
      return {
        path,
        detail: `found ${show(input)}, expected one of ${options.join(", ")}${near.length ? `; did you mean ${near.join(" or ")}?` : ""}`,
      };
    }
    case "unrecognized_keys": {
      const known = keysAt(src.jsonSchema, path);
      const parts = issue.keys.map((k) => {
        const near = closeMatches(k, known);
        return `"${k}"${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}`;
      });
      return {
        path: [...path, issue.keys[0]],
        detail: `unknown key ${parts.join(", ")}; expected keys: ${known.join(", ") || "none"}`,
      };
    }
    case "invalid_union": {
      // The branch that got furthest (deepest first issue) says most about the mistake.
      const branches = issue.errors.filter((e) => e.length > 0);
      const deepest = [...branches].sort((a, b) => maxDepth(b) - maxDepth(a))[0];
      if (deepest && maxDepth(deepest) > 0) return describe(src, deepest[0], path);
      // A branch of the right type that failed a limit (a list of seeds too long) says more than "Invalid input".
      const typed = branches.find((b) => b[0] && b[0].code !== "invalid_type");
      if (typed) return describe(src, typed[0], path);
      const expected = branches.map((b) => (b[0]?.code === "invalid_type" ? b[0].expected : undefined)).filter(Boolean);
      if (expected.length === branches.length && expected.length > 0)
        return { path, detail: `found ${show(input)}, expected ${expected.map((e) => article(String(e))).join(" or ")}` };
      return { path, detail: `found ${show(input)}: ${issue.message}` };
    }
    case "too_small":
    case "too_big":
      return { path, detail: `found ${show(input, src, path)}: ${issue.message.replace(/^Too (small|big): /, "")}` };
    default:
      return { path, detail: input === undefined ? issue.message : `found ${show(input, src, path)}: ${issue.message}` };
  }
}

function maxDepth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(...issues.map((i) => i.path.length + (i.code === "unrecognized_keys" ? 1 : 0)));
}

function article(type: string): string {
  const names: Record<string, string> = { int: "an integer", array: "a list", object: "a mapping", number: "a number", string: "a string", boolean: "true or false" };
  return names[type] ?? type;
}

type JsonSchema = Record<string, unknown>;

/** Subschemas at a path of a JSON Schema, through properties, items, anyOf/oneOf/allOf. */
export function schemasAt(schema: JsonSchema, path: readonly PropertyKey[]): JsonSchema[] {
  let current: JsonSchema[] = expand(schema);
  for (const key of path) {
    const next: JsonSchema[] = [];
    for (const s of current) {
      if (typeof key === "number" || /^\d+$/.test(String(key))) {
        if (s.items && typeof s.items === "object") next.push(...expand(s.items as JsonSchema));
      } else {
        const props = s.properties as Record<string, JsonSchema> | undefined;
        if (props && props[String(key)]) next.push(...expand(props[String(key)]));
        else if (s.additionalProperties && typeof s.additionalProperties === "object")
          next.push(...expand(s.additionalProperties as JsonSchema));
      }
    }
    current = next;
  }
  return current;
}

function expand(s: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [s];
  for (const k of ["anyOf", "oneOf", "allOf"]) {
    const list = s[k];
    if (Array.isArray(list)) for (const sub of list) out.push(...expand(sub as JsonSchema));
  }
  return out;
}

/** Keys an object at this path may hold. */
export function keysAt(schema: JsonSchema, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const props = s.properties as Record<string, unknown> | undefined;
    if (props) for (const k of Object.keys(props)) keys.add(k);
  }
  return [...keys];
}

/** Every dotted path into the schema's objects (for "did you mean" on grid keys). */
export function dottedPaths(schema: JsonSchema, prefix = "", depth = 0): string[] {
  if (depth > 4) return [];
  const out = new Set<string>();
  for (const s of expand(schema)) {
    const props = s.properties as Record<string, JsonSchema> | undefined;
    if (!props) continue;
    for (const [k, sub] of Object.entries(props)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      for (const q of dottedPaths(sub, p, depth + 1)) out.add(q);
    }
  }
  return [...out];
}
