/**
 * The results schema: what a run records (EpochRecord, LayerRecord) and the
 * columns of the CSV files that hold it, in one place. The store's writer
 * (harness/csvRows.ts) and the report's reader (report/results.ts) both build
 * their rows from these lists, so a field added here is written, read and
 * typed everywhere at once; test/results/schema.test.ts checks that every
 * field an engine records has a column and every column is filled by some
 * engine, and that README.md's column table lists exactly these columns.
 *
 * To add a per-record or per-layer figure: add the field to the record type
 * and its name to CURVE_FIELDS or LAYER_FIELDS (the compiler refuses one
 * without the other), then document it in README.md's table.
 */

/** Per weight layer figures at one record point (layer counts weight layers from 1). */
export interface LayerRecord {
  layer: number;
  units: number;
  grad_norm: number;
  /** grad_norm / sqrt(number of weights): the root-mean-square gradient per weight. */
  grad_rms: number;
  bias_grad_norm: number;
  weight_norm: number;
  /** Mean over the epoch's batches of this layer's weight-gradient norm (when recorded). */
  step_grad_norm?: number;
  // Hidden layers only (undefined on the output layer):
  /** Units whose f'(z) is exactly zero for every probe sample, on a flat piece of f (see LayerActivation.canDie). */
  dead_units?: number;
  dead_frac?: number;
  /** Share of (probe row, unit) pairs with |f'(z)| below 1% of the largest |f'|, not on a flat piece. */
  saturated_frac?: number;
  /** Share of (probe row, unit) pairs with f'(z) exactly 0 on a flat piece of f (relu's x <= 0). */
  inactive_frac?: number;
  act_mean?: number;
  act_std?: number;
  act_p05?: number;
  act_p50?: number;
  act_p95?: number;
  /** Share of (probe row, unit) activations exactly 0 (1: the layer passes nothing on, the output is constant). */
  zero_frac?: number;
  /** Median over the layer's units of each unit's mean activation on the probe set (Clevert et al. 2015's statistic). */
  unit_mean_median?: number;
  /** Mean over probe rows and units of the squared pre-activation z (He et al. 2015's second moment). */
  preact_sq_mean?: number;
}

/**
 * One learnable activation parameter of one layer at one record point
 * (params.csv): statistics over its values, one per unit, or the one value
 * when shared per layer (then std is 0 and min = max = mean).
 */
export interface ParamRecord {
  /** Weight layer whose activation holds the parameter (from 1, as in layers.csv). */
  layer: number;
  /** The parameter's name (PReLU's `slope`, `beta`, `a0`, a mixture's `logit_relu`), or a figure derived from the parameters (a mixture's `weight_relu`). */
  parameter: string;
  mean: number;
  /** Population standard deviation over the units. */
  std: number;
  min: number;
  max: number;
}

/** Figures at one record point. Epoch 0 is the untrained network. */
export interface EpochRecord {
  epoch: number;
  train_loss: number;
  /** Undefined for regression. */
  train_acc?: number;
  val_loss?: number;
  val_acc?: number;
  lr: number;
  /** Training wall time of this epoch in ms (timing column: not compared across runs). */
  wall_ms: number;
  /** Wall time in ms of this record point's evaluation passes over the train and validation splits (timing). */
  eval_ms: number;
  /** Wall time in ms of this record point's per-layer figures on the probe set (timing). */
  probe_ms: number;
  layers: LayerRecord[];
  /** Learned activation parameters (absent when the network has none). */
  params?: ParamRecord[];
}

/** The columns that name the run on every row of runs.csv, curves.csv and layers.csv. */
export const KEY_COLUMNS = ["run_id", "activation", "seed"] as const;

/** curves.csv's columns after the key columns: one per EpochRecord field but `layers`, in this order. */
export const CURVE_FIELDS = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "wall_ms", "eval_ms", "probe_ms"] as const;

/** layers.csv's columns after the key columns and `epoch`: one per LayerRecord field, in this order. */
export const LAYER_FIELDS = [
  "layer",
  "units",
  "grad_norm",
  "grad_rms",
  "bias_grad_norm",
  "weight_norm",
  "step_grad_norm",
  "dead_units",
  "dead_frac",
  "saturated_frac",
  "inactive_frac",
  "act_mean",
  "act_std",
  "act_p05",
  "act_p50",
  "act_p95",
  "zero_frac",
  "unit_mean_median",
  "preact_sq_mean",
] as const;

/** A run's test figures, named as their runs.csv columns (nn/heldOut.ts computes them). */
export interface TestFigures {
  /** The final model's (absent when the run diverged: it has no final model). */
  test_loss?: number;
  test_acc?: number;
  /** The model at best_epoch, the record point validation chose (absent without a validation split). */
  best_test_loss?: number;
  best_test_acc?: number;
}

/** params.csv's columns after the key columns and `epoch`: one per ParamRecord field, in this order. */
export const PARAM_FIELDS = ["layer", "parameter", "mean", "std", "min", "max"] as const;

/**
 * runs.csv's columns after the key columns (the grid keys' columns come
 * between the key columns and these): the run's outcome, its last record's
 * figures (empty for a run that did not finish), its best record's (the one
 * validation chooses: results/best.ts), and the test split's figures of the
 * final model (test_*) and of the best record's model (best_test_*).
 */
export const RUN_FIELDS = [
  "status",
  "diverged_epoch",
  "message",
  "train_loss",
  "val_loss",
  "val_acc",
  "best_val_acc",
  "best_val_loss",
  "best_epoch",
  // The test split's figures (nn/heldOut.ts): the final model's, and the best_epoch model's.
  "test_loss",
  "test_acc",
  "best_test_loss",
  "best_test_acc",
  "collapsed",
  "wall_s",
] as const;

export const CURVE_COLUMNS = [...KEY_COLUMNS, ...CURVE_FIELDS] as const;
export const LAYER_COLUMNS = [...KEY_COLUMNS, "epoch", ...LAYER_FIELDS] as const;
/** runs.csv without grid keys; runColumns() puts them in. */
export const RUN_COLUMNS = [...KEY_COLUMNS, ...RUN_FIELDS] as const;
export const PARAM_COLUMNS = [...KEY_COLUMNS, "epoch", ...PARAM_FIELDS] as const;
export const ACTIVATION_COLUMNS = ["activation", "x", "f", "df"] as const;

/*
 * Grid columns: every row of runs.csv, curves.csv, layers.csv and params.csv carries its
 * run's grid point, flattened into scalar cells named by dotted key
 * (`dataset.name`, `dataset.n`, `model.hidden` as 32-32; harness/grid-cells.ts),
 * right after the key columns, so that a grid sweep groups and filters
 * without a join on run_id.
 */

/** runs.csv's columns for these grid columns. */
export function runColumns(gridColumns: readonly string[]): string[] {
  return [...KEY_COLUMNS, ...gridColumns, ...RUN_FIELDS];
}

/** curves.csv's columns for these grid columns. */
export function curveColumns(gridColumns: readonly string[]): string[] {
  return [...KEY_COLUMNS, ...gridColumns, ...CURVE_FIELDS];
}

/** layers.csv's columns for these grid columns. */
export function layerColumns(gridColumns: readonly string[]): string[] {
  return [...KEY_COLUMNS, ...gridColumns, "epoch", ...LAYER_FIELDS];
}

/** params.csv's columns for these grid columns. */
export function paramColumns(gridColumns: readonly string[]): string[] {
  return [...KEY_COLUMNS, ...gridColumns, "epoch", ...PARAM_FIELDS];
}

/** Columns whose values depend on the machine and load; everything else compares byte for byte. */
export const TIMING_COLUMNS: ReadonlySet<string> = new Set(["wall_s", "wall_ms", "eval_ms", "probe_ms"]);

/** Columns holding text; every other column holds a number (or is empty). */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set(["run_id", "activation", "status", "message", "parameter"]);

export type RunStatus = "ok" | "diverged" | "failed";
export type CurveField = (typeof CURVE_FIELDS)[number];
export type LayerField = (typeof LAYER_FIELDS)[number];
export type ParamField = (typeof PARAM_FIELDS)[number];
export type RunField = (typeof RUN_FIELDS)[number];

// The compiler checks the lists against the record types both ways: every
// field has a column (Missing is never) and every column names a field.
type Missing<Fields, Listed> = [Exclude<Fields, Listed>] extends [never] ? true : { missingColumnsFor: Exclude<Fields, Listed> };
const curvesComplete: Missing<Exclude<keyof EpochRecord, "layers" | "params">, CurveField> = true;
const layersComplete: Missing<keyof LayerRecord, LayerField> = true;
const paramsComplete: Missing<keyof ParamRecord, ParamField> = true;
const curvesKnown: readonly (keyof EpochRecord)[] = CURVE_FIELDS;
const layersKnown: readonly (keyof LayerRecord)[] = LAYER_FIELDS;
const paramsKnown: readonly (keyof ParamRecord)[] = PARAM_FIELDS;
void [curvesComplete, layersComplete, paramsComplete, curvesKnown, layersKnown, paramsKnown];

/** The key columns as the report reads them. */
export interface RowKey {
  run_id: string;
  activation: string;
  seed: number;
}

/** One row of curves.csv as read back (an empty cell reads as NaN). */
export type CurveRow = RowKey & Record<CurveField, number>;

/** One row of layers.csv as read back (an empty cell reads as NaN). */
export type LayerRow = RowKey & { epoch: number } & Record<LayerField, number>;

/** One row of params.csv as read back. */
export type ParamRow = RowKey & { epoch: number } & Record<Exclude<ParamField, "parameter">, number> & { parameter: string };

/** One row of runs.csv as read back. */
export type RunRow = RowKey &
  Record<Exclude<RunField, "status" | "message">, number> & {
    status: RunStatus;
    message: string;
    /** Grid column (dotted, e.g. `dataset.name`) -> the cell's text. */
    grid: Record<string, string>;
  };

/** One row of activations.csv: an activation and its derivative at x. */
export interface ActivationSample {
  activation: string;
  x: number;
  f: number;
  df: number;
}
