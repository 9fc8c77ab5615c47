import type { Counter, Gauge, Histogram } from "prom-client";

// The recording side of prom-client's metrics: all a service calls while it works. Reading
// values (`get`, `/metrics`) is the registry's business, and only a served process has one.
type Labels<L extends string> = Partial<Record<L, string | number>>;

export interface CounterRecorder<L extends string> {
  inc(labels: Labels<L>, value?: number): void;
  inc(value?: number): void;
}

export interface GaugeRecorder<L extends string> {
  set(labels: Labels<L>, value: number): void;
  set(value: number): void;
  inc(labels: Labels<L>, value?: number): void;
  inc(value?: number): void;
  dec(labels: Labels<L>, value?: number): void;
  dec(value?: number): void;
}

export interface HistogramRecorder<L extends string> {
  observe(labels: Labels<L>, value: number): void;
  observe(value: number): void;
  zero(labels: Labels<L>): void;
}

/**
 * The recorder of one prom-client metric. Histogram first, then Gauge: a Gauge has every
 * method of a Counter, so the Counter test alone would match it too.
 */
export type Recorder<M> =
  M extends Histogram<infer L> ? HistogramRecorder<L> : M extends Gauge<infer L> ? GaugeRecorder<L> : M extends Counter<infer L> ? CounterRecorder<L> : never;

/** A recorder of every kind that keeps nothing: for metrics no one can read (see unservedMetrics). */
export const DISCARD: CounterRecorder<string> & GaugeRecorder<string> & HistogramRecorder<string> = {
  inc() {},
  set() {},
  dec() {},
  observe() {},
  zero() {},
};
