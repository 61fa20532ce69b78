/**
 * Which record point is a run's best: the one validation chooses (highest
 * val_acc; for regression, lowest val_loss; the first on ties). One rule for
 * runs.csv's best_* columns and for the model whose test figures the run
 * reports (nn/heldOut.ts), so best_epoch and best_test_acc always mean the
 * same record point.
 */
import type { EpochRecord } from "./schema.js";

type Scored = Pick<EpochRecord, "val_acc" | "val_loss">;

/** The record validation chooses, or undefined when no record has a validation figure. */
export function bestRecord<R extends Scored>(records: readonly R[]): R | undefined {
  let pick: R | undefined;
  const hasAcc = records.some((r) => Number.isFinite(r.val_acc));
  for (const r of records) {
    if (hasAcc) {
      if (Number.isFinite(r.val_acc) && (pick === undefined || r.val_acc! > pick.val_acc!)) pick = r;
    } else if (Number.isFinite(r.val_loss) && (pick === undefined || r.val_loss! < pick.val_loss!)) pick = r;
  }
  return pick;
}
