/** Canonical JSON and its hashes: the run_id, the config hash, the fingerprints of data and modules. */
import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so that two equal values give
 * the same text whatever order their keys were written in. Undefined members
 * are dropped (as JSON.stringify does), so `{a: 1, b: undefined}` equals `{a: 1}`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** sha256 of the text, hex. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** First 12 hex digits of the sha256 of the canonical JSON: the run_id and the config hash. */
export function shortHash(value: unknown): string {
  return sha256(canonicalJson(value)).slice(0, 12);
}
