// The Reading: one value of one tag at one time, the unit every node passes downstream.
// Ingestion produces Readings, the risk engine consumes them, the historian stores them.

export type Quality = 'good' | 'uncertain' | 'bad';

export const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];

export interface Reading {
  /** Tag id from the site model, e.g. "SEP-1.PT-101". */
  tag: string;
  /** Engineering value after decoding and scaling; booleans for trips and switches; null when no value could be read. */
  value: number | boolean | null;
  quality: Quality;
  /** Time of the measurement, milliseconds since the epoch. */
  ts: number;
  /** Where it came from, for diagnostics: "modbus:10.0.0.5:502/40001", "opcua:ns=2;s=SEP1.PT", "mqtt:site/gas/H2S-1". */
  source?: string;
}
