/**
 * The test split, held out. Nothing in training looks at it: no early
 * stopping, no choice of epoch, no scaling fit (the scaler is fitted on the
 * training split), so its figures estimate how the model does on unseen data.
 * A run reports two models' figures, as papers do: the final model's, and
 * that of the record point validation chooses (results/best.ts). The second
 * is evaluated when that record point is kept as the best so far (its
 * parameters are the compute path's then), so no copy of the weights is
 * kept; those figures are only carried along, never read by anything that
 * chooses.
 */
import type { Split } from "../data/types.js";
import { bestRecord } from "../results/best.js";
import type { EpochRecord, TestFigures } from "../results/schema.js";
import type { Evaluation } from "./probes.js";

export class HeldOutTest {
  private best: { record: EpochRecord; test: Evaluation } | undefined;

  /** `evaluate` evaluates the model the compute path holds now. */
  constructor(
    private readonly test: Split,
    private readonly evaluate: (split: Split) => Evaluation,
  ) {}

  /** At a kept record point, the path holding that record's parameters. */
  keep(record: EpochRecord): void {
    const pick = bestRecord(this.best ? [this.best.record, record] : [record]);
    if (pick === record) this.best = { record, test: this.evaluate(this.test) };
  }

  /**
   * The figures; `final` is the last record point when the run finished (the
   * path holding its parameters), undefined when it diverged.
   */
  figures(final: EpochRecord | undefined): TestFigures {
    const out: TestFigures = {};
    if (final) {
      const e = this.best?.record === final ? this.best.test : this.evaluate(this.test);
      out.test_loss = e.loss;
      if (e.acc !== undefined) out.test_acc = e.acc;
    }
    if (this.best) {
      out.best_test_loss = this.best.test.loss;
      if (this.best.test.acc !== undefined) out.best_test_acc = this.best.test.acc;
    }
    return out;
  }
}
