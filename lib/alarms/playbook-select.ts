// Picks the playbook for an alarm from what explains it (the active factors, their tags'
// profiles, the equipment type) and resolves the response for the alarm's warning level.

import { WARNING_LEVELS, type FactorState, type Site, type WarningLevel } from '../model/index.js';
import type { MusterPoint, Playbook, PlaybookContact, PlaybookFile } from './playbook-schema.js';

export interface PlaybookResponse {
  playbook: string;
  title: string;
  /** The level whose response was used: the alarm's, or the nearest defined (more severe first). */
  level: WarningLevel;
  steps: string[];
  roles: Array<{ role: string; contacts: PlaybookContact[] }>;
  muster: MusterPoint[];
}

export interface PlaybookSubject {
  equipment: string;
  level: WarningLevel;
  /** Active factors explaining the alarm (the root cause's when the alarm has none of its own). */
  factors: ReadonlyArray<Pick<FactorState, 'tag' | 'factor'>>;
}

const SCORE = { factor: 8, profile: 4, equipmentType: 2, category: 1 } as const;

function score(playbook: Playbook, subject: PlaybookSubject, site: Site | undefined): number {
  const m = playbook.match;
  const equipment = site?.equipment.find((e) => e.id === subject.equipment);
  let best = m.default ? 0.5 : 0;
  if (equipment && m.equipmentTypes.includes(equipment.type)) best = Math.max(best, SCORE.equipmentType);
  for (const f of subject.factors) {
    if (m.factors.includes(f.factor)) best = Math.max(best, SCORE.factor);
    const tag = site?.tags.find((t) => t.id === f.tag);
    if (tag && m.profiles.includes(tag.profile)) best = Math.max(best, SCORE.profile);
    const factor = tag?.factors.find((x) => x.id === f.factor);
    if (factor && m.categories.includes(factor.consequence.category)) best = Math.max(best, SCORE.category);
  }
  return best;
}

export function selectPlaybook(file: PlaybookFile, subject: PlaybookSubject, site?: Site): Playbook | undefined {
  let chosen: Playbook | undefined;
  let best = 0;
  for (const playbook of file.playbooks) {
    const s = score(playbook, subject, site);
    if (s > best) {
      best = s;
      chosen = playbook;
    }
  }
  return chosen;
}

export function resolveResponse(file: PlaybookFile, playbook: Playbook, level: WarningLevel, area: string | undefined): PlaybookResponse | undefined {
  const rank = Math.max(1, WARNING_LEVELS.indexOf(level));
  // Nearest defined level: the same, then more severe ones, then less severe ones.
  const order = [...WARNING_LEVELS.slice(rank), ...WARNING_LEVELS.slice(1, rank).reverse()] as Array<'I' | 'II' | 'III' | 'IV'>;
  const used = order.find((l) => playbook.responses[l]);
  if (!used) return undefined;
  const response = playbook.responses[used]!;
  const muster = response.muster.length
    ? file.musterPoints.filter((m) => response.muster.includes(m.id))
    : file.musterPoints.filter((m) => area !== undefined && m.areas.includes(area));
  return {
    playbook: playbook.id,
    title: playbook.title,
    level: used,
    steps: [...response.steps],
    roles: response.roles.map((role) => ({ role, contacts: file.contacts[role] ?? [] })),
    muster,
  };
}
