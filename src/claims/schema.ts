/**
 * The form of a config's `claims:` list (zod): hypotheses about the sweep's
 * results that actbench checks once the sweep is done. Four kinds, each an
 * object with `kind` and the fields below; every kind may carry `says` (the
 * claim in words, e.g. the paper's) and `where` (grid values the claim is
 * about). The README's "Claims" section documents the form.
 */
import { z } from "zod";

/** Which record points a figure is read at: an epoch, each run's last, the mean over the curve, or over a range. */
const epochSelector = z
  .union([
    z.number().int().min(0),
    z.literal("last"),
    z.literal("mean"),
    z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  ])
  .describe("an epoch number, last, mean (every record point after epoch 0) or [from, to] (the mean over that range)");

/** Which layers a layers.csv figure is read at (layers count weight layers from 1). */
const layerSelector = z
  .union([
    z.literal("hidden"),
    z.array(z.number().int().positive()).min(1),
    z.strictObject({ from: z.number().int().positive(), to: z.number().int().positive().optional() }),
  ])
  .describe("hidden (every hidden layer), a list of layers, or {from, to} (to: the last hidden layer when left out)");

const common = {
  says: z.string().optional().describe("the claim in words (shown with its verdict)"),
  source: z.string().optional().describe("where the claim comes from (paper, section, figure)"),
  their: z.string().optional().describe("the source's own figure, for comparison"),
  where: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("grid key -> value: the claim is about these grid points only (default: each grid point)"),
};

const metric = z.string().min(1).describe("a curves.csv column (train_loss, val_acc, ...) or a layers.csv column (act_mean, dead_frac, ...)");

export const orderClaimSchema = z.strictObject({
  kind: z.literal("order"),
  ...common,
  activations: z.array(z.string().min(1)).min(2).describe("activation labels, from the lowest metric to the highest (see direction)"),
  metric,
  direction: z.enum(["ascending", "descending"]).default("ascending").describe("ascending: the first has the lowest value"),
  epoch: epochSelector.default("last"),
  layers: layerSelector.optional().describe("for a layers.csv metric: the layers averaged (default hidden)"),
  abs: z.boolean().default(false).describe("compare absolute values (e.g. closeness of a mean to 0)"),
});

export const boundsClaimSchema = z.strictObject({
  kind: z.literal("bounds"),
  ...common,
  activation: z.string().min(1),
  epoch: epochSelector.default(0),
  layers: layerSelector.default("hidden"),
  within: z
    .record(z.string(), z.tuple([z.number(), z.number()]))
    .refine((r) => Object.keys(r).length > 0, "name at least one column")
    .describe("column -> [low, high]: a layers.csv column's mean over seeds at each selected layer, or a runs.csv column's (test_acc, best_val_acc, ...: one value per run; epoch and layers do not apply), must lie in it"),
  ratio: z
    .strictObject({ of: z.number().int().positive(), to: z.number().int().positive(), log2: z.boolean().default(false) })
    .optional()
    .describe("bound the per-seed ratio of the layers.csv column at layer `of` to layer `to` (log2 of it with log2: true) instead of the layers' values"),
});

export const trendClaimSchema = z.strictObject({
  kind: z.literal("trend"),
  ...common,
  activation: z.string().min(1),
  metric,
  over: z.string().min(1).describe("a grid key (its values ascending when numbers, else in the grid's order), or layer"),
  direction: z.enum(["rising", "falling"]),
  epoch: epochSelector.default("last"),
  layers: layerSelector.optional().describe("the layers: averaged for a grid-key trend, the trend's steps for over: layer (default hidden)"),
});

export const fractionClaimSchema = z.strictObject({
  kind: z.literal("fraction"),
  ...common,
  activation: z.string().min(1),
  figure: z.enum(["collapsed", "diverged"]).describe("collapsed (runs.csv's column) or diverged (status diverged)"),
  expected: z
    .union([z.number().min(0).max(1), z.string().min(1)])
    .describe("the expected fraction, or a formula of the grid point: width, depth (model.hidden), lr, epochs, and each numeric grid key with _ for ."),
  within: z.number().positive().default(3).describe("allowed distance in binomial standard errors (of the expected fraction)"),
});

export const claimSchema = z.discriminatedUnion("kind", [orderClaimSchema, boundsClaimSchema, trendClaimSchema, fractionClaimSchema]);
export const claimsSchema = z.array(claimSchema).default([]).describe("hypotheses checked after the sweep (see README, Claims)");

export type Claim = z.output<typeof claimSchema>;
export type OrderClaim = z.output<typeof orderClaimSchema>;
export type BoundsClaim = z.output<typeof boundsClaimSchema>;
export type TrendClaim = z.output<typeof trendClaimSchema>;
export type FractionClaim = z.output<typeof fractionClaimSchema>;
export type EpochSelector = z.output<typeof epochSelector>;
export type LayerSelector = z.output<typeof layerSelector>;
