/**
 * Activations from the user's own modules: `{module: ./bent-identity.js, name:
 * bent_identity}`. The module exports at least scalar `f(x, p)` and `df(x, p)`;
 * everything else an ActivationDef holds (array forms, parameters, the
 * zero-derivative region, the recommended init) is optional and gets a safe
 * default here. A parameter declared `learnable: true` is trained with the
 * weights like PReLU's slope; the module then exports `dParam: {name(x, p)}`,
 * the derivative of f with respect to it. The module's code runs only in
 * threads of its own (module-check.ts for the import and the derivative
 * check, the pool's workers for the runs), never in the CLI's main thread:
 * there it is a stub (registerModuleStub) that carries what labels and plans
 * need (name, parameters, descriptions) and refuses to evaluate.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { activations, defineActivation } from "../activations/index.js";
import type { Activation, ActivationDef, InitScheme, ParamDef, Params } from "../activations/types.js";
import { UserError } from "../errors.js";
import { initSchemes as INIT_SCHEMES } from "../nn/init.js";
import { sha256 } from "./hash.js";

/** Where a custom activation comes from, as a run carries it to a worker. */
export interface ModuleRef {
  /** The path as the config wrote it (relative to the config file): stable across machines. */
  path: string;
  /** Absolute file URL the main thread and the workers import. */
  url: string;
  /** Name the config gives the activation; it is registered under this name. */
  name: string;
  /** sha256 of the module's source, so that editing the module changes the run ids. */
  sha256: string;
}


/** Modules this thread registered, by activation name -> module URL (registration is once per thread). */
const registered = new Map<string, string>();

/** Hash of a module file's text (read once per load; modules are small). */
export function moduleSha256(url: string): string {
  return sha256(readFileSync(fileURLToPath(url), "utf8"));
}

/**
 * Imports the module and registers its activation under `ref.name` with
 * defineActivation. Idempotent per thread for the same module; refuses a name
 * that a built-in or another module already holds.
 */
export async function registerModuleActivation(ref: Pick<ModuleRef, "url" | "name" | "path">): Promise<ActivationDef> {
  if (claimName(ref)) return activations.get(ref.name)!;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(ref.url)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((err as Error).message).includes(fileURLToPath(ref.url)))
      throw new UserError(`activation module ${ref.path}: file not found (${fileURLToPath(ref.url)})`);
    const hint = /require\(\)|ES Module|import statement outside a module|Unexpected token 'export'/.test(String((err as Error).message))
      ? ` (a module using export/import must be ESM: name it .mjs (.mts), or put {"type": "module"} in a package.json beside it)`
      : "";
    throw new UserError(`activation module ${ref.path}: could not be imported: ${(err as Error).message.split("\n")[0]}${hint}`);
  }
  const def = defineActivation(buildDef(ref, pickExports(mod, ref.name)));
  registered.set(ref.name, ref.url);
  return def;
}

/**
 * True when this thread already registered the module under its name;
 * throws when a built-in or another module holds the name.
 */
export function claimName(ref: Pick<ModuleRef, "url" | "name" | "path">): boolean {
  const previous = registered.get(ref.name);
  if (previous === ref.url) return true;
  if (previous !== undefined || activations.has(ref.name))
    throw new UserError(
      `activation module ${ref.path}: the name "${ref.name}" is already taken by ${previous ?? "a built-in activation"}; give yours another name`,
    );
  return false;
}

/** True for a name this thread registered from a module (a run of it needs the module: its own config entry). */
export function isModuleActivation(name: string): boolean {
  return registered.has(name);
}

/** What the main thread keeps of a module's activation: its definition less the functions (module-check.ts sends it across threads). */
export type ModuleMeta = Pick<ActivationDef, "description" | "source" | "params" | "zeroDerivative" | "canDie" | "init"> & {
  /** The learnable parameters' dParam names. */
  dParam: string[];
};

export function moduleMeta(def: ActivationDef): ModuleMeta {
  const { description, source, params, zeroDerivative, canDie, init } = def;
  return { description, source, params, zeroDerivative, canDie, init, dParam: Object.keys(def.dParam ?? {}) };
}

/**
 * Registers, in this (the main) thread, a module's activation as checked in
 * a thread of its own: the name, parameters and descriptions resolve labels
 * and plans as usual, and every function refuses to run, so that code which
 * would evaluate the user's module here fails loudly instead of running it
 * (a module calling process.exit or looping forever would take the CLI down).
 * Its max |f'| is NaN here: only the runs (in workers) use it.
 */
export function registerModuleStub(ref: Pick<ModuleRef, "url" | "name" | "path">, meta: ModuleMeta): ActivationDef {
  if (claimName(ref)) return activations.get(ref.name)!;
  const elsewhere = (): never => {
    throw new Error(`activation ${ref.name} (module ${ref.path}) runs only in worker threads, never in the main thread`);
  };
  const { dParam, ...rest } = meta;
  const def = defineActivation({
    name: ref.name,
    ...rest,
    f: elsewhere,
    df: elsewhere,
    fArray: elsewhere,
    dfArray: elsewhere,
    ...(dParam.length ? { dParam: Object.fromEntries(dParam.map((n) => [n, elsewhere])) } : {}),
    maxAbsDf: () => NaN,
  });
  registered.set(ref.name, ref.url);
  return def;
}

/** The export holding the activation: one named like it, else the default export, else the module itself. */
function pickExports(mod: Record<string, unknown>, name: string): Record<string, unknown> {
  for (const candidate of [mod[name], mod.default]) {
    if (candidate !== null && typeof candidate === "object" && typeof (candidate as Record<string, unknown>).f === "function")
      return candidate as Record<string, unknown>;
  }
  return mod;
}

function buildDef(ref: Pick<ModuleRef, "name" | "path">, m: Record<string, unknown>): ActivationDef {
  const where = `activation module ${ref.path}`;
  if (typeof m.f !== "function" || typeof m.df !== "function")
    throw new UserError(
      `${where}: expected exported functions f(x, params) and df(x, params) (or an export "${ref.name}" or a default export holding them); found exports ${JSON.stringify(Object.keys(m))}`,
    );
  const f = m.f as (x: number, p: Params) => number;
  const df = m.df as (x: number, p: Params) => number;
  const params = m.params === undefined ? undefined : checkParams(where, m.params);
  const dParam = checkDParam(where, params ?? [], m.dParam);
  const init = m.init ?? "xavier_normal";
  if (typeof init !== "string" || !(INIT_SCHEMES as readonly string[]).includes(init))
    throw new UserError(`${where}: export init is ${JSON.stringify(init)}, expected one of ${INIT_SCHEMES.join(", ")}`);
  const fArray =
    typeof m.fArray === "function"
      ? (m.fArray as ActivationDef["fArray"])
      : (z: Float32Array, out: Float32Array, p: Params) => {
          for (let i = 0; i < z.length; i++) out[i] = f(z[i], p);
        };
  const dfArray =
    typeof m.dfArray === "function"
      ? (m.dfArray as ActivationDef["dfArray"])
      : (z: Float32Array, out: Float32Array, p: Params) => {
          for (let i = 0; i < z.length; i++) out[i] = df(z[i], p);
        };
  const maxAbsDf =
    typeof m.maxAbsDf === "function"
      ? (m.maxAbsDf as ActivationDef["maxAbsDf"])
      : typeof m.maxAbsDf === "number"
        ? () => m.maxAbsDf as number
        : (p: Params) => sampledMaxAbsDf(where, df, p);
  return {
    name: ref.name,
    description: typeof m.description === "string" ? m.description : `user activation from ${ref.path}`,
    source: typeof m.source === "string" ? m.source : ref.path,
    params,
    f,
    df,
    fArray,
    dfArray,
    ...(dParam ? { dParam } : {}),
    zeroDerivative: typeof m.zeroDerivative === "string" ? m.zeroDerivative : "unknown",
    canDie: m.canDie === true,
    maxAbsDf,
    init: init as InitScheme,
  };
}

function checkParams(where: string, raw: unknown): ParamDef[] {
  if (!Array.isArray(raw)) throw new UserError(`${where}: export params must be an array of {name, default, description}`);
  return raw.map((p, i) => {
    const item = p as Partial<ParamDef>;
    if (typeof item?.name !== "string" || typeof item.default !== "number")
      throw new UserError(`${where}: params[${i}] is ${JSON.stringify(p)}, expected {name: string, default: number}`);
    if (item.min !== undefined && (typeof item.min !== "number" || !(item.default >= item.min)))
      throw new UserError(`${where}: params[${i}] "${item.name}": min must be a number not above the default ${item.default}, found ${JSON.stringify(item.min)}`);
    return {
      name: item.name,
      default: item.default,
      learnable: item.learnable === true,
      ...(typeof item.min === "number" ? { min: item.min } : {}),
      description: item.description ?? "",
    };
  });
}

/** The module's dParam: a function for every learnable parameter (and only for parameters it declares learnable). */
function checkDParam(where: string, params: readonly ParamDef[], raw: unknown): ActivationDef["dParam"] | undefined {
  const learnable = params.filter((p) => p.learnable).map((p) => p.name);
  if (raw === undefined) {
    if (learnable.length)
      throw new UserError(
        `${where}: learnable parameter${learnable.length > 1 ? "s" : ""} ${learnable.map((n) => `"${n}"`).join(", ")} need${learnable.length > 1 ? "" : "s"} export dParam: {${learnable.map((n) => `${n}(x, params)`).join(", ")}}, the derivative of f with respect to each`,
      );
    return undefined;
  }
  if (raw === null || typeof raw !== "object") throw new UserError(`${where}: export dParam must be an object of functions {name(x, params)}, found ${typeof raw}`);
  const d = raw as Record<string, unknown>;
  for (const name of learnable)
    if (typeof d[name] !== "function")
      throw new UserError(`${where}: parameter "${name}" is learnable but dParam.${name} is ${d[name] === undefined ? "missing" : typeof d[name]}; expected a function (x, params) => df/d${name}`);
  for (const name of Object.keys(d))
    if (!learnable.includes(name)) throw new UserError(`${where}: dParam.${name} is given but "${name}" is not a learnable parameter (learnable: ${learnable.join(", ") || "none"})`);
  return d as ActivationDef["dParam"];
}

/**
 * Largest |df| on a fine grid over [-20, 20]: the saturation threshold needs
 * a bound, and a module that does not give one gets this estimate. A df that
 * throws there (beyond the derivative check's [-5, 5]) is the module's
 * mistake: a UserError naming the point, not a stack trace.
 */
function sampledMaxAbsDf(where: string, df: (x: number, p: Params) => number, p: Params): number {
  let max = 0;
  for (let i = 0; i <= 4000; i++) {
    const x = -20 + i * 0.01;
    let v: number;
    try {
      v = Math.abs(df(x, p));
    } catch (err) {
      throw new UserError(
        `${where}: df threw at x=${Number(x.toFixed(2))} while its largest |df| on [-20, 20] was sampled (export maxAbsDf to give that bound instead): ${(err as Error)?.message ?? String(err)}`,
      );
    }
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

/** The grid the derivative check samples: [-5, 5], offset so that no point sits on a kink at 0 or an integer. */
export function derivativeCheckGrid(): number[] {
  const xs: number[] = [];
  for (let i = 0; i < 200; i++) xs.push(-5 + (i + Math.SQRT1_2) * 0.05);
  return xs;
}

/**
 * Checks df, and the derivative with respect to each learnable parameter,
 * against central finite differences of f on the grid, with float64
 * arithmetic (step 1e-5: truncation ~1e-10 times the third derivative,
 * rounding ~1e-11 times |f|), at the parameters' starting values. Throws a
 * UserError naming the derivative and the worst point when they disagree by
 * more than 1e-5 (1 + |finite difference|).
 */
export function checkDerivative(act: Activation, where: string): void {
  const h = 1e-5;
  const p = act.params;
  const checks: Array<{ what: string; d: (x: number) => number; fd: (x: number) => number }> = [
    { what: "df", d: (x) => act.df(x), fd: (x) => (act.f(x + h) - act.f(x - h)) / (2 * h) },
  ];
  for (const pd of act.def.params ?? []) {
    const dp = act.def.dParam?.[pd.name];
    if (!pd.learnable || !dp) continue;
    const at = (v: number) => ({ ...p, [pd.name]: v });
    checks.push({
      what: `dParam.${pd.name}`,
      d: (x) => dp(x, p),
      fd: (x) => (act.def.f(x, at(p[pd.name] + h)) - act.def.f(x, at(p[pd.name] - h))) / (2 * h),
    });
  }
  for (const { what, d: derivative, fd: difference } of checks) {
    let worst: { x: number; d: number; fd: number; err: number } | undefined;
    for (const x of derivativeCheckGrid()) {
      let d: number;
      let fd: number;
      try {
        d = derivative(x);
        fd = difference(x);
      } catch (err) {
        throw new UserError(`${where}: f or ${what} threw at x=${x}: ${(err as Error).message}`);
      }
      const err = Number.isFinite(d) && Number.isFinite(fd) ? Math.abs(d - fd) / (1 + Math.abs(fd)) : Infinity;
      if (worst === undefined || err > worst.err) worst = { x, d, fd, err };
    }
    if (worst !== undefined && !(worst.err <= 1e-5)) {
      const lhs = what === "df" ? "df(x)" : `${what}(x)`;
      const rhs = what === "df" ? "(f(x+h)-f(x-h))/2h" : `the central difference in ${what.slice("dParam.".length)}`;
      throw new UserError(
        `${where}: ${what} disagrees with the central finite difference of f; worst at x=${worst.x.toPrecision(6)}: ${lhs}=${worst.d}, ${rhs}=${worst.fd} (h=1e-5, relative error ${worst.err.toPrecision(3)}, tolerance 1e-5)`,
      );
    }
  }
}
