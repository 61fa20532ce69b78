/**
 * Reads an experiment config (YAML or JSON), applies `--set` overrides,
 * validates it, expands the grid and resolves every default, so that the rest
 * of the harness sees one plain, complete Experiment. Every mistake is a
 * UserError naming the file, the line or flag, the field, what was found and
 * what was expected; nothing is run or written before this succeeds.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LineCounter, parse as parseYaml, parseDocument } from "yaml";
import { activationSpecOf, getActivation } from "../activations/index.js";
import type { Activation } from "../activations/types.js";
import { isPerLayer } from "../nn/mlp.js";
import type { ActivationSpec, NetworkActivation } from "../activations/types.js";
import type { DatasetSpec } from "../data/spec.js";
import { closeMatches, UserError } from "../errors.js";
import type { EngineName } from "../nn/names.js";
import type { Head, RunConfig } from "../nn/types.js";
import { configJsonSchema, configSchema, type ParsedConfig } from "./config-schema.js";
import { dottedPaths, formatIssues, formatPath, locate, schemasAt, type ConfigSource, type PathKey } from "./config-issues.js";
import { checkDerivative, moduleSha256, registerModuleActivation, type ModuleRef } from "./custom-activation.js";
import { canonicalJson, shortHash } from "./hash.js";
import { checkClaims } from "../claims/check.js";
import type { Claim } from "../claims/schema.js";
import { DEFAULT_TIMEOUT_S, MAX_RUNS } from "./limits.js";
import { BRAINJS_OPTIMIZERS } from "../nn/names.js";

/** An activation of the experiment, resolved against the registry. */
export interface ExperimentActivation {
  /** What each run config carries: the canonical name, with every parameter when it has any (a mixture's or each layer's likewise). */
  spec: NetworkActivation;
  /** Label in the output files and the report ("leaky_relu(alpha=0.2)"). */
  label: string;
  /** Present for an activation from the user's module. */
  module?: ModuleRef;
}

/** One point of the grid: the settings every run at this point shares. */
export interface GridPoint {
  /** Dotted grid key -> this point's value (empty without a grid). */
  values: Record<string, unknown>;
  engine: EngineName;
  dataset: DatasetSpec;
  model: RunConfig["model"];
  train: RunConfig["train"];
  record: RunConfig["record"];
  /** train.timeout: seconds a run may take (not in the run config: it changes no number, so no run id or config hash). */
  timeout: number;
}

/** A validated experiment with every default filled in. */
export interface Experiment {
  name: string;
  /** Absolute path of the config file. */
  file: string;
  /** Directory that relative paths in the config (modules, CSV files) resolve against. */
  baseDir: string;
  seeds: number[];
  activations: ExperimentActivation[];
  /** Grid keys in the order the config writes them. */
  gridKeys: string[];
  /** Every grid combination, the last key varying fastest; one point without a grid. */
  points: GridPoint[];
  /** Short hash of the resolved experiment: an output folder belongs to one hash. */
  hash: string;
  /** Things the user should know that are not errors (a --set the grid overrides), printed by the CLI. */
  warnings?: string[];
  /** How the report judges the results; not part of the hash (it changes no run). */
  report: { margin?: number };
  /** Hypotheses checked after the sweep, activations as labels (not in the hash: they change no run). */
  claims: Claim[];
}

export interface LoadOptions {
  /** `key=value` overrides; the value is read as YAML (`model.hidden=[64,64]`). */
  set?: readonly string[];
}

/** Keys the grid may not vary: they are axes of the plan already, or name the sweep. */
const NOT_GRIDDABLE = new Set(["name", "seeds", "activations", "grid", "report", "claims"]);

/** Loads, validates and resolves a config file. Throws UserError on any mistake. */
export async function loadExperiment(file: string, opts: LoadOptions = {}): Promise<Experiment> {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (err) {
    throw new UserError(`config ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new UserError(
      doc.errors
        .map((e) => {
          const pos = e.linePos?.[0];
          return `${file}${pos ? `:${pos.line}:${pos.col}` : ""}: ${e.message.split("\n")[0]}`;
        })
        .join("\n"),
    );
  }
  let raw: unknown;
  try {
    // yaml refuses documents whose aliases expand past this (a "billion laughs" bomb) instead of building them.
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message.split("\n")[0]} (YAML aliases expanding to too many values; write the values out, or use fewer aliases)`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new UserError(`${file}: expected a mapping of config keys (name, activations, dataset, ...), found ${raw === null ? "an empty file" : typeof raw}`);
  const jsonSchema = configJsonSchema();
  const src: ConfigSource = { file, doc, lines, jsonSchema, overrides: [] };
  const config = raw as Record<string, unknown>;
  for (const flag of opts.set ?? []) applySet(config, flag, src);

  const parsed = configSchema.safeParse(config, { reportInput: true });
  if (!parsed.success) throw configError(file, formatIssues(src, parsed.error.issues));
  const base = parsed.data;
  const baseDir = dirname(abs);

  const gridKeys = Object.keys(base.grid);
  for (const key of gridKeys) checkGridKey(key, src);
  const warnings = overriddenByGrid(src, gridKeys);
  checkRunCount(base, gridKeys, src);
  const points = expandGrid(config, base, gridKeys, src);

  const seeds = typeof base.seeds === "number" ? Array.from({ length: base.seeds }, (_, i) => i) : base.seeds;
  const seen = new Set<number>();
  const dupSeed = seeds.find((s) => seen.size === seen.add(s).size);
  if (dupSeed !== undefined) throw configError(file, [`${locate(src, ["seeds"])}: seeds: found ${dupSeed} twice; each seed once`]);

  const acts = await resolveActivations(base.activations, baseDir, src);
  checkEngineSupport(acts, points, src);
  const unsupported = points.flatMap((p) => brainjsIssues(p, src));
  if (unsupported.length > 0) throw configError(file, [...new Set(unsupported)]);
  const name = base.name ?? basename(abs, extname(abs));
  const checked = await checkClaims(base.claims, {
    activations: acts.map((a) => ({ label: a.label, name: typeof a.spec === "string" ? a.spec : "name" in a.spec ? String(a.spec.name) : a.label })),
    gridKeys,
    numericGridKeys: gridKeys.filter((k) => base.grid[k].every((v) => typeof v === "number")),
    locate: (path) => locate(src, path),
  });
  if (checked.problems.length > 0) throw configError(file, checked.problems);
  const resolved = {
    name,
    seeds,
    activations: acts.map((a) => ({ spec: a.spec, label: a.label, module: a.module && { path: a.module.path, sha256: a.module.sha256 } })),
    gridKeys,
    // The time limit changes no number: a folder made with another one is the same sweep.
    points: points.map(({ timeout: _, ...p }) => p),
  };
  return { name, file: abs, baseDir, seeds, activations: acts, gridKeys, points, hash: shortHash(resolved), report: base.report, claims: checked.claims, warnings };
}

/** The files a sweep reads (the config, its data files, its activation modules): never to be outputs. */
export function experimentInputs(exp: Experiment): Array<{ what: string; path: string }> {
  const inputs = [{ what: `config ${exp.file}`, path: exp.file }];
  for (const point of exp.points)
    for (const which of ["train", "val", "test"] as const) {
      const path = point.dataset.csv?.[which];
      if (path !== undefined) inputs.push({ what: `data file dataset.csv.${which} ${path}`, path: resolve(exp.baseDir, path) });
    }
  for (const act of exp.activations) if (act.module) inputs.push({ what: `activation module ${act.module.path}`, path: fileURLToPath(act.module.url) });
  return inputs;
}

/** Warnings for --set keys the grid also varies: the grid's values win at every point, so the flag does nothing there. */
function overriddenByGrid(src: ConfigSource, gridKeys: readonly string[]): string[] {
  const out: string[] = [];
  for (const { path, flag } of src.overrides) {
    if (path[0] === "grid") continue;
    const dotted = path.join(".");
    const key = gridKeys.find((k) => dotted === k || dotted.startsWith(`${k}.`) || k.startsWith(`${dotted}.`));
    if (key !== undefined) out.push(`--set ${flag}: the grid varies ${key}, so the grid's values override it at every grid point`);
  }
  return out;
}


/**
 * What engine brainjs cannot do, as config errors: it trains one sample at a
 * time and has only brain.js's optimizers. Checked here so that validate says
 * so, instead of run writing a folder where every run failed.
 */
function brainjsIssues(p: GridPoint, src: ConfigSource): string[] {
  if (p.engine !== "brainjs") return [];
  const at = (path: PathKey[]) => `${locate(src, gridKeyOf(p, path) ?? path)}: ${Object.keys(p.values).length ? `grid point ${canonicalJson(p.values)}: ` : ""}${formatPath(path)}`;
  const out: string[] = [];
  if (p.train.batchSize !== 1)
    out.push(`${at(["train", "batchSize"])}: found ${p.train.batchSize}; engine brainjs trains one sample at a time, as brain.js does: set train.batchSize: 1 (or use engine native)`);
  const o = p.train.optimizer;
  if (!(BRAINJS_OPTIMIZERS as readonly string[]).includes(o.name))
    out.push(`${at(["train", "optimizer", "name"])}: found ${o.name}; engine brainjs has brain.js's optimizers ${BRAINJS_OPTIMIZERS.join(", ")} (or use engine native)`);
  for (const key of ["weightDecay", "clipNorm"] as const)
    if (o[key]) out.push(`${at(["train", "optimizer", key])}: found ${o[key]}; engine brainjs has no ${key} (brain.js has none; use engine native)`);
  return out;
}

/** The grid entry that sets `path` at this point (its line is where the value came from), if any. */
function gridKeyOf(p: GridPoint, path: PathKey[]): PathKey[] | undefined {
  const dotted = path.join(".");
  const key = Object.keys(p.values).find((k) => dotted === k || dotted.startsWith(`${k}.`));
  return key === undefined ? undefined : ["grid", key];
}

/** Refuses a sweep of more than MAX_RUNS runs before the grid is expanded (a grid of 5 keys x 20 values is 3.2M points). */
function checkRunCount(base: ParsedConfig, gridKeys: readonly string[], src: ConfigSource): void {
  const seeds = typeof base.seeds === "number" ? base.seeds : base.seeds.length;
  const points = gridKeys.reduce((n, key) => n * base.grid[key].length, 1);
  const runs = points * seeds * base.activations.length;
  if (runs > MAX_RUNS)
    throw configError(src.file, [
      `${locate(src, gridKeys.length ? ["grid"] : ["seeds"])}: ${gridKeys.length ? `grid (${gridKeys.map((k) => `${k}: ${base.grid[k].length}`).join(" x ")} = ${points} points) x ` : ""}seeds (${seeds}) x activations (${base.activations.length}) = ${runs} runs; at most ${MAX_RUNS} runs in one sweep: split the config, or shard it`,
    ]);
}

function configError(file: string, lines: string[]): UserError {
  return new UserError(`invalid config ${file}:\n  ${lines.join("\n  ")}`);
}

/** `key=value` -> sets the (dotted) key of the raw config; `grid.<dotted key>=[...]` sets a grid entry. */
function applySet(config: Record<string, unknown>, flag: string, src: ConfigSource): void {
  const eq = flag.indexOf("=");
  if (eq <= 0) throw new UserError(`--set ${flag}: expected key=value (e.g. --set train.epochs=5)`);
  const key = flag.slice(0, eq).trim();
  let value: unknown;
  try {
    value = parseYaml(flag.slice(eq + 1));
  } catch (err) {
    throw new UserError(`--set ${flag}: the value is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const path: PathKey[] = key.startsWith("grid.") ? ["grid", key.slice(5)] : key.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  if (path[0] !== "grid" && schemasAt(src.jsonSchema, path).length === 0) {
    const near = closeMatches(key, dottedPaths(src.jsonSchema));
    throw new UserError(`--set ${flag}: no such config key "${key}"${near.length ? `; did you mean ${near.join(" or ")}?` : ""} (keys are dotted paths like train.epochs, list items by index like model.hidden.0)`);
  }
  setPath(config, path, value);
  src.overrides.push({ path, flag });
}

function setPath(target: Record<string, unknown>, path: readonly PathKey[], value: unknown): void {
  let obj: Record<string | number, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = obj[path[i]];
    if (next === null || typeof next !== "object") obj[path[i]] = typeof path[i + 1] === "number" ? [] : {};
    obj = obj[path[i]] as Record<string | number, unknown>;
  }
  obj[path[path.length - 1]] = value;
}

function checkGridKey(key: string, src: ConfigSource): void {
  const segments = key.split(".");
  const where = locate(src, ["grid", key]);
  if (NOT_GRIDDABLE.has(segments[0]))
    throw configError(src.file, [
      `${where}: grid["${key}"]: "${segments[0]}" cannot be a grid key (activations and seeds are axes of every sweep already); expected a key under engine, dataset, model, train or record`,
    ]);
  if (schemasAt(src.jsonSchema, segments).length === 0) {
    const candidates = dottedPaths(src.jsonSchema).filter((p) => !NOT_GRIDDABLE.has(p.split(".")[0]));
    const near = closeMatches(key, candidates);
    throw configError(src.file, [
      `${where}: grid["${key}"]: no such config key${near.length ? `; did you mean ${near.join(" or ")}?` : ""} (grid keys are dotted paths like train.optimizer.lr)`,
    ]);
  }
}

/** Every combination of grid values, each applied to the raw config and validated as a whole. */
function expandGrid(config: Record<string, unknown>, base: ParsedConfig, keys: string[], src: ConfigSource): GridPoint[] {
  const combos: Array<Array<{ key: string; index: number; value: unknown }>> = [[]];
  for (const key of keys) {
    const next: typeof combos = [];
    for (const combo of combos) base.grid[key].forEach((value, index) => next.push([...combo, { key, index, value }]));
    combos.length = 0;
    for (const c of next) combos.push(c);
  }
  return combos.map((combo) => {
    if (combo.length === 0) return toPoint(base, {});
    const point = structuredClone({ ...config, grid: {} });
    for (const { key, value } of combo) setPath(point, key.split("."), value);
    const parsed = configSchema.safeParse(point, { reportInput: true });
    const values = Object.fromEntries(combo.map(({ key, value }) => [key, value]));
    if (!parsed.success) {
      // Point at the grid value that made the point invalid, when the issue lies under a grid key.
      const locationPath = (path: readonly PropertyKey[]): readonly PropertyKey[] => {
        const dotted = path.map(String).join(".");
        const hit = combo.find(({ key }) => dotted === key || dotted.startsWith(`${key}.`));
        return hit ? ["grid", hit.key, hit.index] : path;
      };
      throw configError(src.file, formatIssues(src, parsed.error.issues, { locationPath, context: `grid point ${canonicalJson(values)}: ` }));
    }
    return toPoint(parsed.data, values);
  });
}

const LOSS_HEAD: Record<string, Head> = { cross_entropy: "softmax_ce", mse: "linear_mse", bce: "sigmoid_bce" };

function toPoint(c: ParsedConfig, values: Record<string, unknown>): GridPoint {
  const { loss, timeout, ...train } = c.train;
  let head: Head | "auto" = c.model.head;
  if (loss !== "auto") {
    const implied = LOSS_HEAD[loss];
    if (head === "auto") head = implied;
    else if (head !== implied && !(head === "brainjs" && loss === "mse"))
      throw new UserError(`config: train.loss ${loss} does not go with model.head ${head} (${loss} implies head ${implied}); set one of them to auto`);
  }
  return {
    values,
    engine: c.engine,
    dataset: c.dataset,
    model: { ...c.model, head },
    train,
    record: c.record,
    timeout: timeout ?? DEFAULT_TIMEOUT_S,
  };
}

async function resolveActivations(items: ParsedConfig["activations"], baseDir: string, src: ConfigSource): Promise<ExperimentActivation[]> {
  const out: ExperimentActivation[] = [];
  const seen = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const where = locate(src, ["activations", i]);
    const field = formatPath(["activations", i]);
    let module: ModuleRef | undefined;
    let spec = item as NetworkActivation;
    if (typeof item === "object" && "module" in item && item.module !== undefined) {
      const { module: path, ...rest } = item as { module: string; name: string };
      const abs = isAbsolute(path) ? path : resolve(baseDir, path);
      const url = pathToFileURL(abs).href;
      let sha: string;
      try {
        sha = moduleSha256(url);
      } catch {
        throw configError(src.file, [`${where}: ${field}.module: file not found: ${path} (resolved to ${abs}, relative to the config file)`]);
      }
      module = { path, url, name: rest.name, sha256: sha };
      try {
        await registerModuleActivation(module);
      } catch (err) {
        throw rewrap(err, src.file, where, field);
      }
      spec = rest as ActivationSpec;
    }
    let resolvedSpec: NetworkActivation;
    let label: string;
    try {
      if (isPerLayer(spec)) {
        // One activation per hidden layer: each resolved like a plain entry.
        const layers = spec.layers.map((s) => hiddenLayerActivation(s));
        resolvedSpec = { layers: layers.map((a) => activationSpecOf(a)) };
        label = `layers(${layers.map((a) => a.label).join(",")})`;
      } else {
        const act = hiddenLayerActivation(spec as ActivationSpec);
        if (module) checkDerivative(act, `activation module ${module.path}`);
        resolvedSpec = activationSpecOf(act);
        label = act.label;
      }
    } catch (err) {
      throw rewrap(err, src.file, where, field);
    }
    const key = canonicalJson(resolvedSpec);
    if (seen.has(key)) throw configError(src.file, [`${where}: ${field}: ${label} is listed twice (also activations[${seen.get(key)}])`]);
    seen.set(key, i);
    out.push({ spec: resolvedSpec, label, module });
  }
  return out;
}

/** An activation for hidden layers: resolved against the registry, and elementwise. */
function hiddenLayerActivation(spec: ActivationSpec): Activation {
  const act = getActivation(spec);
  if (act.def.vector) throw new UserError(`${act.name} is a vector activation (output heads only); expected an elementwise activation for hidden layers`);
  return act;
}

/**
 * What every grid point's network must allow: a per-layer entry lists at
 * most one activation per hidden layer; the brainjs engine runs brain.js's own
 * network (one registry activation on every layer, learnable parameters per
 * unit). Refused here, before any run, naming the entry.
 */
function checkEngineSupport(acts: ExperimentActivation[], points: GridPoint[], src: ConfigSource): void {
  acts.forEach((a, i) => {
    const at = `${locate(src, ["activations", i])}: ${formatPath(["activations", i])}: ${a.label}`;
    const spec = a.spec as Record<string, unknown>;
    const perLayer = typeof a.spec === "object" && "layers" in a.spec;
    for (const p of points) {
      const hidden = p.model.hidden.length;
      if (perLayer && (spec.layers as unknown[]).length > hidden)
        throw configError(src.file, [`${at}: lists ${(spec.layers as unknown[]).length} activations but model.hidden ${JSON.stringify(p.model.hidden)} has ${hidden} hidden layer${hidden === 1 ? "" : "s"}; give at most one per hidden layer (the last one also runs deeper layers)`]);
      if (p.engine !== "brainjs") continue;
      const why = perLayer
        ? "runs one activation on every layer (layers needs engine native)"
        : typeof a.spec === "object" && "mix" in a.spec
          ? "runs registry activations only (mix needs engine native)"
          : spec.share === "layer"
            ? "keeps learnable activation parameters per unit (share: layer needs engine native)"
            : null;
      if (why) throw configError(src.file, [`${at}: engine brainjs ${why}`]);
    }
  });
}

function rewrap(err: unknown, file: string, where: string, field: string): Error {
  if (err instanceof UserError) return configError(file, [`${where}: ${field}: ${err.message}`]);
  return err as Error;
}
