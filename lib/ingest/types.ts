// The shapes ingestion works with: a site tag bound to a device address and a profile channel,
// and what mapping one device message gives (readings, plus problems that name their source).

import type { Reading } from '../model/reading.js';
import type { SensorChannel } from '../profiles/types.js';

export type Protocol = 'modbus' | 'opcua' | 'mqtt' | 'sparkplug';

export interface BoundTag {
  tag: string;
  /** The tag's unit in the site model; decoded values are converted to it. */
  unit: string;
  channel: SensorChannel;
  protocol: Protocol;
  /** Milliseconds without an update before the tag is stale. */
  staleMs: number;
  /** Diagnostic source written into readings: "modbus:rtu-north:1:0". */
  source: string;
  /** Modbus: device (the modbus-read node's topic), unit id and 0-based register. */
  device?: string;
  unitId?: number;
  register?: number;
  /** MQTT JSON field or Sparkplug metric name. */
  field?: string;
}

/** A problem with one part of a device message: the rest of the message still maps. */
export interface IngestProblem {
  /** "modbus rtu-north", "opcua ns=1;s=SEP-1.PT-101", "mqtt oilrisk/field/gas/GD-H2S-1" */
  source: string;
  message: string;
}

export interface IngestResult {
  readings: Reading[];
  problems: IngestProblem[];
}

export const INGEST_DEFAULTS = {
  /** Seconds without an update before a tag with no staleTimeout and no profile period is stale. */
  staleTimeoutSeconds: 60,
  /** A tag whose profile gives an expected period is stale after this many missed updates. */
  missedPeriods: 6,
  /** How often the node looks for stale tags. */
  staleCheckMs: 1000,
  /** Largest register array accepted from one Modbus read (a Modbus read holds at most 125). */
  maxRegisters: 2000,
  /** Largest number of documents or metrics accepted in one MQTT or Sparkplug message. */
  maxBatch: 10000,
  /** Largest MQTT payload in bytes. */
  maxPayloadBytes: 1 << 20,
};

export type IngestOptions = typeof INGEST_DEFAULTS;
