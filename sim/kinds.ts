// What the simulator takes each piece of equipment and each tag to be, read from the site
// model's equipment types, sensor profiles and tag ids, so that any site file can be served.

import type { Equipment, Tag } from '../lib/model/index.js';

export type EquipmentRole =
  | 'well' | 'manifold' | 'separator' | 'heater' | 'tank' | 'lact' | 'pump' | 'compressor'
  | 'pipeline' | 'flare' | 'detector' | 'vehicle' | 'network' | 'other';

export type Measurement =
  | 'pressure' | 'inlet-pressure' | 'outlet-pressure' | 'suction-pressure' | 'discharge-pressure'
  | 'flow' | 'inlet-flow' | 'outlet-flow' | 'level' | 'temperature' | 'vibration' | 'current'
  | 'speed' | 'load' | 'position' | 'h2s' | 'lel' | 'running' | 'latitude' | 'longitude'
  | 'packet-loss' | 'latency' | 'signal' | 'heading' | 'uptime' | 'status-word' | 'other';

const ROLE_PATTERNS: Array<[EquipmentRole, RegExp]> = [
  ['detector', /h2s|lel|gas[-_ ]?det|detector/i],
  ['vehicle', /vehicle|truck|gps|tracker/i],
  ['network', /network|switch|router|gateway|firewall|radio|\brtu\b|\bplc\b/i],
  ['separator', /separator|scrubber|knock/i],
  ['heater', /heater|treater/i],
  ['compressor', /compressor/i],
  ['pipeline', /pipeline|flowline|export/i],
  ['lact', /lact|custody/i],
  ['tank', /tank/i],
  ['manifold', /manifold|header/i],
  ['flare', /flare/i],
  ['well', /well|esp|rod[-_ ]?pump|wellhead/i],
  ['pump', /pump/i],
];

export function equipmentRole(equipment: Pick<Equipment, 'type' | 'id'>): EquipmentRole {
  for (const [role, pattern] of ROLE_PATTERNS) if (pattern.test(equipment.type)) return role;
  for (const [role, pattern] of ROLE_PATTERNS) if (pattern.test(equipment.id)) return role;
  return 'other';
}

/** The words that say what a tag measures: profile, the last part of its id, its JSON field or metric. */
function words(tag: Tag): string {
  const local = tag.id.startsWith(`${tag.equipment}.`) ? tag.id.slice(tag.equipment.length + 1) : tag.id;
  return `${tag.profile} ${local} ${tag.binding?.field ?? ''} ${tag.unit}`;
}

const MEASUREMENT_PATTERNS: Array<[Measurement, RegExp]> = [
  ['h2s', /h2s/i],
  ['lel', /\blel\b|lel|combustible|methane|ch4/i],
  ['latitude', /\blat(itude)?\b/i],
  ['longitude', /\blon(g|gitude)?\b/i],
  ['suction-pressure', /suction|\bPT[-_]?S\b|intake/i],
  ['discharge-pressure', /discharge|\bPT[-_]?D\b/i],
  ['inlet-pressure', /(inlet|\bin\b|[-_.]in\b).*(press|PT)|(PT|press).*(inlet|[-_]in\b)/i],
  ['outlet-pressure', /(outlet|\bout\b|[-_.]out\b).*(press|PT)|(PT|press).*(outlet|[-_]out\b)/i],
  ['inlet-flow', /(inlet|[-_.]in\b).*(flow|FT|FI)|(FT|FI|flow).*(inlet|[-_]in\b)/i],
  ['outlet-flow', /(outlet|[-_.]out\b).*(flow|FT|FI)|(FT|FI|flow).*(outlet|[-_]out\b)/i],
  ['status-word', /controller\W(.*\W)?status\b|status[-_ ]?word/i],
  ['uptime', /uptime/i],
  ['heading', /heading|bearing/i],
  ['signal', /rssi|signal|dbm/i],
  ['packet-loss', /loss|packet/i],
  ['latency', /latency|rtt|ping/i],
  ['vibration', /vib|\bVT|\bVE|mm\/s/i],
  ['level', /level|\bLT|\bLI|radar/i],
  ['temperature', /temp|\bTT|\bTI|°?degC|°C/i],
  ['flow', /flow|\bFT|\bFI|bbl|m3\/h|sm3/i],
  ['pressure', /press|\bPT|\bPI|\bbar\b|psi|kpa/i],
  ['current', /current|amp|\bIT\b/i],
  ['speed', /speed|spm|stroke|freq|\bhz\b|rpm|km\/h/i],
  ['load', /load|torque|\bkn\b|lbf/i],
  ['position', /valve|position|\bZT|\bXV|open/i],
  ['running', /run|status|trip|state|alive|on\b/i],
];

export function measurement(tag: Tag): Measurement {
  if (tag.factors.some((f) => f.tripWhen !== undefined)) return 'running';
  const text = words(tag);
  for (const [kind, pattern] of MEASUREMENT_PATTERNS) if (pattern.test(text)) return kind;
  return 'other';
}

/** Gas concentrations sit near zero in normal operation; everything else near its operating point. */
export function isGas(kind: Measurement): boolean {
  return kind === 'h2s' || kind === 'lel';
}
