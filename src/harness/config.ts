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
import type { z } from "zod";
import { activationItem, configJsonSchema, configSchema, type ParsedConfig } from "./config-schema.js";
import { dottedPaths, formatIssues, formatPath, locate, schemasAt, type ConfigSource, type PathKey } from "./config-issues.js";
import type { CurvePoint } from "../activations/curve.js";
import { claimName, isModuleActivation, moduleSha256, registerModuleStub, type ModuleRef } from "./custom-activation.js";
import { checkModule } from "./module-check.js";
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
  /** A module's curve for activations.csv, sampled in the thread that checked it (its code never runs in the main thread). */
  samples?: CurvePoint[];
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
  // Every mistake is collected and reported at once, so that one round of edits fixes a config;
  // only a later stage that needs an earlier one's result (the grid points need a valid base) waits.
  const problems: string[] = [];
  for (const flag of opts.set ?? []) {
    try {
      applySet(config, flag, src);
    } catch (err) {
      problems.push(userMessage(err));
    }
  }

  const parsed = configSchema.safeParse(config, { reportInput: true });
  if (!parsed.success) problems.push(...formatIssues(src, parsed.error.issues));
  const baseDir = dirname(abs);

  const rawGrid = config.grid !== null && typeof config.grid === "object" && !Array.isArray(config.grid) ? (config.grid as Record<string, unknown>) : {};
  const gridKeys = Object.keys(rawGrid);
  const keyProblems = gridKeys.map((key) => gridKeyProblem(key, src)).filter((p): p is string => p !== undefined);
  problems.push(...keyProblems);
  const warnings = overriddenByGrid(src, gridKeys);
  const gridOk = parsed.success && keyProblems.length === 0;
  // A sweep too large is refused before its grid is expanded.
  if (gridOk) checkRunCount(parsed.data, gridKeys, src);
  const points = gridOk ? expandGrid(config, parsed.data, gridKeys, src, problems) : [];

  let seeds: number[] = [];
  if (parsed.success) {
    seeds = typeof parsed.data.seeds === "number" ? Array.from({ length: parsed.data.seeds }, (_, i) => i) : parsed.data.seeds;
    const seen = new Set<number>();
    const dupSeed = seeds.find((s) => seen.size === seen.add(s).size);
    if (dupSeed !== undefined) problems.push(`${locate(src, ["seeds"])}: seeds: found ${dupSeed} twice; each seed once`);
  }

  // Activations are resolved even when other sections are wrong: each item of the right shape is looked up.
  const items = parsed.success ? parsed.data.activations : Array.isArray(config.activations) ? config.activations : [];
  const found = await resolveActivations(items, baseDir, src, problems);
  checkEngineSupport(found, points, src, problems);
  problems.push(...new Set(points.flatMap((p) => brainjsIssues(p, src))));
  if (problems.length > 0) throw configError(file, inFileOrder(src, problems));
  const acts = found.map((f) => f.act);

  const base = parsed.data!;
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

/** The message of a UserError (a mistake to report with the others); anything else is a bug and propagates. */
function userMessage(err: unknown): string {
  if (err instanceof UserError) return err.message;
  throw err;
}

/** Problems sorted by the line they point at (those naming a flag or no line keep their order, last). */
function inFileOrder(src: ConfigSource, problems: readonly string[]): string[] {
  const lineOf = (p: string): number => {
    if (!p.startsWith(`${src.file}:`)) return Infinity;
    const m = /^(\d+):(\d+)/.exec(p.slice(src.file.length + 1));
    return m ? Number(m[1]) * 1e6 + Number(m[2]) : Infinity;
  };
  return problems
    .map((p, i) => ({ p, i, at: lineOf(p) }))
    .sort((a, b) => (a.at === b.at ? a.i - b.i : a.at - b.at))
    .map((x) => x.p);
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

/** What is wrong with a grid key, or undefined when it names a config key the grid may vary. */
function gridKeyProblem(key: string, src: ConfigSource): string | undefined {
  const segments = key.split(".");
  const where = locate(src, ["grid", key]);
  if (NOT_GRIDDABLE.has(segments[0]))
    return `${where}: grid["${key}"]: "${segments[0]}" cannot be a grid key (activations and seeds are axes of every sweep already); expected a key under engine, dataset, model, train or record`;
  if (schemasAt(src.jsonSchema, segments).length === 0) {
    const candidates = dottedPaths(src.jsonSchema).filter((p) => !NOT_GRIDDABLE.has(p.split(".")[0]));
    const near = closeMatches(key, candidates);
    return `${where}: grid["${key}"]: no such config key${near.length ? `; did you mean ${near.join(" or ")}?` : ""} (grid keys are dotted paths like train.optimizer.lr)`;
  }
  return undefined;
}

/**
 * Every combination of grid values, each applied to the raw config and
 * validated as a whole. A problem is added to `problems` once, however many
 * points share it (a bad value of one key is in every combination).
 */
function expandGrid(config: Record<string, unknown>, base: ParsedConfig, keys: string[], src: ConfigSource, problems: string[]): GridPoint[] {
  const combos: Array<Array<{ key: string; index: number; value: unknown }>> = [[]];
  for (const key of keys) {
    const next: typeof combos = [];
    for (const combo of combos) base.grid[key].forEach((value, index) => next.push([...combo, { key, index, value }]));
    combos.length = 0;
    for (const c of next) combos.push(c);
  }
  const seen = new Set<string>();
  const report = (key: string, message: string): void => {
    if (!seen.has(key)) problems.push(message);
    seen.add(key);
  };
  const points: GridPoint[] = [];
  for (const combo of combos) {
    const values = Object.fromEntries(combo.map(({ key, value }) => [key, value]));
    let data: ParsedConfig = base;
    if (combo.length > 0) {
      const point = structuredClone({ ...config, grid: {} });
      for (const { key, value } of combo) setPath(point, key.split("."), value);
      const parsed = configSchema.safeParse(point, { reportInput: true });
      if (!parsed.success) {
        // Point at the grid value that made the point invalid, when the issue lies under a grid key.
        const locationPath = (path: readonly PropertyKey[]): readonly PropertyKey[] => {
          const dotted = path.map(String).join(".");
          const hit = combo.find(({ key }) => dotted === key || dotted.startsWith(`${key}.`));
          return hit ? ["grid", hit.key, hit.index] : path;
        };
        const keysOf = formatIssues(src, parsed.error.issues, { locationPath });
        formatIssues(src, parsed.error.issues, { locationPath, context: `grid point ${canonicalJson(values)}: ` }).forEach((m, i) => report(keysOf[i], m));
        continue;
      }
      data = parsed.data;
    }
    try {
      points.push(toPoint(data, values));
    } catch (err) {
      const message = userMessage(err);
      report(message, message);
    }
  }
  return points;
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

/**
 * Looks each activation up in the registry (the user's modules imported and
 * their derivatives checked in threads of their own, module-check.ts). Items of the wrong shape are skipped (the
 * schema reports them); each problem goes to `problems` and the item is left
 * out. Each activation comes with its index in the config's list.
 */
async function resolveActivations(
  items: readonly unknown[],
  baseDir: string,
  src: ConfigSource,
  problems: string[],
): Promise<Array<{ act: ExperimentActivation; index: number }>> {
  const out: Array<{ act: ExperimentActivation; index: number }> = [];
  const seen = new Map<string, number>();
  for (const [i, rawItem] of items.entries()) {
    const shaped = activationItem.safeParse(rawItem);
    if (!shaped.success) continue;
    try {
      const act = await resolveActivation(shaped.data, i, baseDir, src);
      const key = canonicalJson(act.spec);
      if (seen.has(key)) throw new UserError(`${locate(src, ["activations", i])}: ${formatPath(["activations", i])}: ${act.label} is listed twice (also activations[${seen.get(key)}])`);
      seen.set(key, i);
      out.push({ act, index: i });
    } catch (err) {
      problems.push(userMessage(err));
    }
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
function checkEngineSupport(found: ReadonlyArray<{ act: ExperimentActivation; index: number }>, points: GridPoint[], src: ConfigSource, problems: string[]): void {
  for (const { act: a, index: i } of found) {
    const at = `${locate(src, ["activations", i])}: ${formatPath(["activations", i])}: ${a.label}`;
    const spec = a.spec as Record<string, unknown>;
    const perLayer = typeof a.spec === "object" && "layers" in a.spec;
    // One problem per entry and kind, however many grid points share it.
    const seen = new Set<string>();
    const report = (message: string) => {
      if (!seen.has(message)) problems.push(message);
      seen.add(message);
    };
    for (const p of points) {
      const hidden = p.model.hidden.length;
      if (perLayer && (spec.layers as unknown[]).length > hidden)
        report(`${at}: lists ${(spec.layers as unknown[]).length} activations but model.hidden ${JSON.stringify(p.model.hidden)} has ${hidden} hidden layer${hidden === 1 ? "" : "s"}; give at most one per hidden layer (the last one also runs deeper layers)`);
      if (p.engine !== "brainjs") continue;
      const why = perLayer
        ? "runs one activation on every layer (layers needs engine native)"
        : typeof a.spec === "object" && "mix" in a.spec
          ? "runs registry activations only (mix needs engine native)"
          : spec.share === "layer"
            ? "keeps learnable activation parameters per unit (share: layer needs engine native)"
            : null;
      if (why) report(`${at}: engine brainjs ${why}`);
    }
  }
}

/** One activation item: its registry definition (per layer, or from the user's module, when it says so). Throws UserError naming the item. */
async function resolveActivation(item: z.output<typeof activationItem>, i: number, baseDir: string, src: ConfigSource): Promise<ExperimentActivation> {
  const where = locate(src, ["activations", i]);
  const field = formatPath(["activations", i]);
  let module: ModuleRef | undefined;
  let samples: CurvePoint[] | undefined;
  let spec = item as NetworkActivation;
  if (typeof item === "object" && "module" in item && item.module !== undefined) {
    const { module: path, ...rest } = item as { module: string; name: string };
    const abs = isAbsolute(path) ? path : resolve(baseDir, path);
    const url = pathToFileURL(abs).href;
    let sha: string;
    try {
      sha = moduleSha256(url);
    } catch {
      throw new UserError(`${where}: ${field}.module: file not found: ${path} (resolved to ${abs}, relative to the config file)`);
    }
    module = { path, url, name: rest.name, sha256: sha };
    spec = rest as ActivationSpec;
    try {
      // The module is imported and checked in a thread of its own; this thread keeps a stub (labels, parameters).
      claimName(module);
      const checked = await checkModule(module, spec);
      registerModuleStub(module, checked.meta);
      samples = checked.samples;
    } catch (err) {
      throw rewrap(err, where, field);
    }
  }
  try {
    let resolved: ExperimentActivation;
    if (isPerLayer(spec)) {
      // One activation per hidden layer: each resolved like a plain entry.
      const layers = spec.layers.map((s) => hiddenLayerActivation(s));
      resolved = { spec: { layers: layers.map((a) => activationSpecOf(a)) }, label: `layers(${layers.map((a) => a.label).join(",")})`, module };
    } else {
      const act = hiddenLayerActivation(spec as ActivationSpec);
      resolved = { spec: activationSpecOf(act), label: act.label, module, ...(samples ? { samples } : {}) };
    }
    // A run imports one module, its entry's: a module's activation named elsewhere would reach no worker.
    const borrowed = module ? [] : [...new Set(namesOf(resolved.spec).filter(isModuleActivation))];
    if (borrowed.length)
      throw new UserError(
        `${borrowed.join(", ")} ${borrowed.length > 1 ? "come from activation modules" : "comes from an activation module"}: such an activation runs only as its own entry ({module: ..., name: ...}), not by name in another entry, a mix or layers`,
      );
    return resolved;
  } catch (err) {
    throw rewrap(err, where, field);
  }
}

/** The registry names a resolved activation uses: its own, a mixture's bases', each layer's. */
function namesOf(spec: NetworkActivation): string[] {
  if (typeof spec === "string") return [spec];
  if ("layers" in spec) return (spec.layers as NetworkActivation[]).flatMap(namesOf);
  if ("mix" in spec) return (spec.mix as NetworkActivation[]).flatMap(namesOf);
  return [String((spec as { name: unknown }).name)];
}

/** A UserError from the registry or a module check, prefixed with the item's line and field. */
function rewrap(err: unknown, where: string, field: string): Error {
  if (err instanceof UserError) return new UserError(`${where}: ${field}: ${err.message}`);
  return err as Error;
}
