/**
 * What `--target` may be: the validation accuracy (classification) or loss
 * (regression) whose first epoch the report gives per activation. A value the
 * metric cannot take (2 for an accuracy, a negative loss) would make every
 * row "not reached"; it is refused, naming the range, before anything runs.
 */
import type { Task } from "../data/types.js";
import { builtinDataset } from "../data/catalog.js";
import type { DatasetSpec } from "../data/spec.js";
import { UserError } from "../errors.js";

/** Throws UserError when the target cannot be reached by the sweep's metric. */
export function checkTarget(target: number, task: Task, flag = "--target"): void {
  if (!Number.isFinite(target)) throw new UserError(`${flag}: found ${target}, expected a number (a validation accuracy, or a loss for regression)`);
  if (task === "classification" && (target < 0 || target > 1))
    throw new UserError(`${flag}: found ${target}, but the sweep is judged by validation accuracy, which lies between 0 and 1 (e.g. --target 0.9 for 90%)`);
  if (task === "regression" && target < 0)
    throw new UserError(`${flag}: found ${target}, but the sweep is judged by validation loss, which is never negative`);
}

/**
 * The task the report judges a sweep by, from its datasets before they are
 * loaded: classification when any grid point classifies (the report's rule:
 * accuracy when any run has one), else regression.
 */
export function sweepTask(datasets: readonly DatasetSpec[]): Task {
  const taskOf = (d: DatasetSpec): Task | undefined => d.csv?.task ?? (d.name === undefined ? undefined : builtinDataset(d.name)?.task);
  return datasets.some((d) => taskOf(d) === "classification") ? "classification" : "regression";
}
