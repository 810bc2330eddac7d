// What travels between the oilrisk nodes: msg.topic names the kind, msg.payload carries an
// array of the canonical records. The historian routes by topic to its tables.

import type { AlarmEvent, AlarmKpi, Incident } from './alarm.js';
import type { Reading } from './reading.js';
import type { RiskExplanation } from './risk.js';

export type TrafficViolation = 'none' | 'speeding' | 'geofence';

export interface GpsFix {
  vehicle: string;
  lat: number;
  lon: number;
  speedKmh: number;
  ts: number;
  /** The smallest geofence the vehicle is in. */
  geofence?: string;
  violation?: TrafficViolation;
}

export interface SecurityEvent {
  device: string;
  kind: string;
  severity: 'info' | 'low' | 'medium' | 'high';
  ts: number;
  source?: string;
  detail?: string;
}

export interface TopicPayloads {
  readings: Reading[];
  risk: RiskExplanation[];
  alarm: AlarmEvent[];
  incident: Incident[];
  kpi: AlarmKpi[];
  gps: GpsFix[];
  security: SecurityEvent[];
}

export type MessageTopic = keyof TopicPayloads;

export const MESSAGE_TOPICS: readonly MessageTopic[] = ['readings', 'risk', 'alarm', 'incident', 'kpi', 'gps', 'security'];
