/** What a model learns to predict. */
export type Task = "classification" | "regression";

/** One split of a dataset, in row-major Float32Arrays. */
export interface Split {
  /** Number of rows. */
  n: number;
  /** Features, n x features, row-major. */
  x: Float32Array;
  /**
   * Targets. Classification: the class index of each row (length n).
   * Regression: n x outputs, row-major.
   */
  y: Float32Array;
}

/** A dataset ready for training: split, scaled, targets encoded. */
export interface Dataset {
  /** Name as the config gives it (or the CSV file's base name). */
  name: string;
  task: Task;
  /** Features per row. */
  features: number;
  /** Classes (classification) or 0 (regression). */
  classes: number;
  /** Output units the model needs: classes for classification, target columns for regression. */
  outputs: number;
  /** Class names in index order when the labels were strings or named; else undefined. */
  classLabels?: string[];
  train: Split;
  val?: Split;
  test?: Split;
  /** Where the data comes from (generator, package and license, or file path). */
  source: string;
  /** Feature names when the data names them (a CSV header); else undefined. */
  featureNames?: string[];
  /**
   * How the features were scaled, fitted on the training split only:
   * x' = (x - offset[j]) / scale[j] for feature j. Lets a model saved with the
   * run be applied to raw data later.
   */
  scaling?: { method: "standardize" | "minmax" | "none"; offset: number[]; scale: number[] };
}
