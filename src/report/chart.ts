/**
 * What a report chart is: its spec (vega-lite) with the words around it, and
 * once rendered its SVG. One home for the shape, shared by the chart builders
 * (charts.ts, boundaries.ts) and the document that places them.
 */
import type { TopLevelSpec } from "vega-lite";

/** One chart, rendered. */
export interface Chart {
  /** File stem and HTML id (`loss` -> charts/loss.svg). */
  id: string;
  title: string;
  /** One or two sentences: what is drawn and how to read it. */
  caption: string;
  /** Number of activations drawn (= legend entries). */
  series: number;
  /** Activation labels drawn, in legend order. */
  labels: string[];
  spec: TopLevelSpec;
  svg: string;
}

/** A chart before rendering. */
export type ChartSpec = Omit<Chart, "svg">;
