/**
 * The activation registry: canonical name -> definition, plus aliases.
 * Open: defineActivation() adds an entry (the harness registers activations
 * that users bring in their own modules this way).
 */
import { UserError, closeMatches } from "../errors.js";
import { adaptiveActivations } from "./adaptive.js";
import { builtinActivations } from "./builtin.js";
import { mixtureDef } from "./mixture.js";
import type { Activation, ActivationDef, ActivationSpec, MixSpec, ParamSharing, Params } from "./types.js";
import { elementwise } from "./elementwise.js";

const registry = new Map<string, ActivationDef>();
const aliases = new Map<string, string>();

/** The registry: canonical name -> definition, in registration order. */
export const activations: ReadonlyMap<string, ActivationDef> = registry;

/** Canonical names in registration order. */
export function activationNames(): string[] {
  return [...registry.keys()];
}

/**
 * Add an activation. Missing array loops are built from the scalar forms;
 * missing metadata gets conservative defaults (zero derivative "unknown",
 * max |f'| found on a grid, He init). Redefining a name replaces it.
 */
export function defineActivation(
  def: Pick<ActivationDef, "name" | "f" | "df"> & Partial<ActivationDef>,
): ActivationDef {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(def.name))
    throw new UserError(`activation name "${def.name}" must be an identifier (letters, digits, _)`);
  if (typeof def.f !== "function" || typeof def.df !== "function")
    throw new UserError(`activation "${def.name}" must have functions f(x) and df(x)`);
  const f = def.f;
  const df = def.df;
  const full: ActivationDef = {
    description: "User-defined activation",
    source: "user module",
    zeroDerivative: "unknown",
    canDie: true,
    init: "he_normal",
    maxAbsDf: gridMax(df),
    fArray: elementwise(f),
    dfArray: elementwise(df),
    ...def,
  } as ActivationDef;
  registry.set(full.name, full);
  for (const a of full.aliases ?? []) aliases.set(a, full.name);
  return full;
}

function gridMax(df: (x: number, p: Params) => number): (p: Params) => number {
  return (p) => {
    let m = 0;
    for (let i = -10000; i <= 10000; i++) {
      const v = Math.abs(df(i / 500, p));
      if (Number.isFinite(v)) m = Math.max(m, v);
    }
    return m;
  };
}

/** The built-in entries as registered; a user module that redefines a name replaces its entry with another object. */
const builtins = new Set<ActivationDef>([...builtinActivations, ...adaptiveActivations].map((def) => defineActivation(def)));

/**
 * True when `def` is the built-in entry of its name. Fast paths keyed by name
 * (the engine's f' from f, the wasm kernels) must check this: a user module
 * may register other formulas under a built-in's name.
 */
export function isBuiltin(def: ActivationDef): boolean {
  return builtins.has(def);
}

/** The canonical name for a name or alias; throws a UserError listing close matches. */
export function canonicalName(name: string): string {
  if (registry.has(name)) return name;
  const a = aliases.get(name);
  if (a) return a;
  const known = [...registry.keys(), ...aliases.keys()];
  const near = closeMatches(name, known);
  throw new UserError(
    `unknown activation "${name}"` +
      (near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(", ")}?` : "") +
      ` (known: ${[...registry.keys()].join(", ")})`,
  );
}

/**
 * Resolve a name or `{name, ...params}` against the registry: parameters
 * checked and defaults filled in. `share: layer` (or `unit`, the default) says
 * whether learnable parameters are one per layer or one per unit. Throws a
 * UserError for an unknown name, an unknown parameter or a non-numeric value.
 */
export function getActivation(spec: ActivationSpec): Activation {
  if (spec && typeof spec === "object" && "mix" in spec) return getMixture(spec as MixSpec);
  const raw = typeof spec === "string" ? { name: spec } : (spec as { name: string } & Record<string, unknown>);
  if (!raw || typeof raw.name !== "string") throw new UserError(`an activation needs a name, found ${JSON.stringify(spec)}`);
  const name = canonicalName(raw.name);
  return resolve(def0(name), raw);
}

function def0(name: string): ActivationDef {
  return registry.get(name)!;
}

/** `{mix: [bases], share?}`: a mixture def built for its bases (mixture.ts), its logits starting at 0. */
function getMixture(spec: MixSpec): Activation {
  const extra = Object.keys(spec).filter((k) => k !== "mix" && k !== "share");
  if (extra.length) throw new UserError(`a mixture takes only "mix" (its base activations) and "share", found ${extra.map((k) => `"${k}"`).join(", ")}`);
  if (!Array.isArray(spec.mix) || spec.mix.length === 0) throw new UserError(`mix must list at least one base activation, found ${JSON.stringify(spec.mix)}`);
  const bases = spec.mix.map((b) => getActivation(b));
  const def = mixtureDef(bases);
  const act = resolve(def, { name: "mix", ...(spec.share !== undefined ? { share: spec.share } : {}) });
  const inner = bases.map((b) => b.label).join(",");
  const mix: MixSpec = { mix: bases.map((b) => b.spec), ...(act.share === "layer" ? { share: "layer" as const } : {}) };
  return { ...act, spec: mix, label: act.share === "layer" ? `mix(${inner},share=layer)` : `mix(${inner})` };
}

/** A registry entry (or a mixture's def) with the parameters of `raw` checked and defaults filled in. */
function resolve(def: ActivationDef, raw: { name: string } & Record<string, unknown>): Activation {
  const name = def.name;
  const params: Record<string, number> = {};
  for (const pd of def.params ?? []) params[pd.name] = pd.default;
  const allowed = (def.params ?? []).map((p) => p.name);
  const learnable = (def.params ?? []).some((p) => p.learnable);
  let share: ParamSharing = "unit";
  for (const [k, v] of Object.entries(raw)) {
    if (k === "name" || k === "module") continue;
    if (k === "share") {
      if (v !== "unit" && v !== "layer") throw new UserError(`activation "${name}" share must be "unit" or "layer", found ${JSON.stringify(v)}`);
      if (!learnable) throw new UserError(`activation "${name}" has no learnable parameters to share (share applies to ${learnableNames().join(", ")})`);
      share = v;
      continue;
    }
    if (!allowed.includes(k)) {
      const near = closeMatches(k, allowed);
      throw new UserError(
        `activation "${name}" has no parameter "${k}"` +
          (allowed.length ? ` (it has: ${allowed.join(", ")}${near.length ? `; did you mean "${near[0]}"?` : ""})` : " (it has none)"),
      );
    }
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new UserError(`activation "${name}" parameter "${k}" must be a finite number, found ${JSON.stringify(v)}`);
    const bound = def.params!.find((p) => p.name === k)!.min;
    if (bound !== undefined && v < bound) throw new UserError(`activation "${name}" parameter "${k}" must be at least ${bound}, found ${v}`);
    params[k] = v;
  }
  const frozen = Object.freeze(params);
  const changed = (def.params ?? []).filter((p) => frozen[p.name] !== p.default);
  const parts = changed.map((p) => `${p.name}=${frozen[p.name]}`);
  if (share === "layer") parts.push("share=layer");
  const label = parts.length ? `${name}(${parts.join(",")})` : name;
  const extra: Record<string, number | string> = { ...frozen };
  if (share === "layer") extra.share = "layer";
  return {
    name,
    spec: Object.keys(extra).length > 0 ? { name, ...extra } : name,
    label,
    params: frozen,
    share,
    def,
    f: (x) => atLimit(def.f, x, frozen),
    df: (x) => atLimit(def.df, x, frozen),
    maxAbsDf: def.maxAbsDf(frozen),
  };
}

/** Names of the activations with learnable parameters. */
function learnableNames(): string[] {
  return [...registry.values()].filter((d) => (d.params ?? []).some((p) => p.learnable)).map((d) => d.name);
}

/**
 * The spec a resolved activation is carried as (run configs, model files):
 * the canonical name with every parameter, and `share` when it is `layer`;
 * the bare name when there is nothing else; a mixture's bases likewise.
 * Resolving it gives the same activation.
 */
export function activationSpecOf(act: Activation): ActivationSpec {
  return act.spec;
}

/**
 * At x = +/-Infinity a formula may compute Infinity * 0; the value returned
 * there is the limit, taken as the function's value at +/-1e300 (where every
 * built-in has reached its asymptote in float64), with values beyond 1e299 in
 * magnitude read as +/-Infinity (relu(Infinity) = Infinity, sigmoid(-Infinity) = 0).
 */
function atLimit(fn: (x: number, p: Params) => number, x: number, p: Params): number {
  if (Number.isFinite(x) || Number.isNaN(x)) return fn(x, p);
  const v = fn(x > 0 ? 1e300 : -1e300, p);
  return Math.abs(v) > 1e299 ? Math.sign(v) * Infinity : v;
}
