// A notification: who is to be told about which alarm, why now, and what to do about it;
// shaped to be wired into email, SMS or MQTT nodes as it is.

import { LEVEL_PRIORITY, type AlarmPriority, type RootCause, type WarningLevel } from '../model/index.js';
import type { NotificationReason } from './escalation.js';
import type { Tier } from './options.js';
import type { PlaybookContact } from './playbook-schema.js';
import type { PlaybookResponse } from './playbook-select.js';

export interface AlarmNotification {
  alarm: string;
  equipment: string;
  area?: string;
  level: WarningLevel;
  priority: AlarmPriority;
  /** Who: the escalation tier, and the contacts the playbook file lists for that role. */
  tier: Tier;
  contacts: PlaybookContact[];
  reason: NotificationReason;
  ts: number;
  incident?: string;
  rootCause?: RootCause;
  playbook?: PlaybookResponse;
  acknowledgeUrl?: string;
  /** One line for an SMS or an email subject. */
  message: string;
}

const REASON_TEXT: Readonly<Record<NotificationReason, string>> = {
  new: 'new alarm',
  escalated: 'not acknowledged, escalated',
  repeat: 'still not acknowledged',
  'level-raised': 'warning level raised',
  're-evaluated': 'still active after its root cause cleared',
};

export function notificationMessage(n: Omit<AlarmNotification, 'message'>): string {
  const where = n.area ? `${n.equipment} (${n.area})` : n.equipment;
  const cause = n.rootCause && n.rootCause.equipment !== n.equipment ? `; root cause ${n.rootCause.equipment}` : '';
  const what = n.playbook ? `: ${n.playbook.title}` : '';
  const ack = n.acknowledgeUrl ? `; acknowledge: ${n.acknowledgeUrl}` : '';
  return `Level ${n.level} (${LEVEL_PRIORITY[n.level]}) warning on ${where}${what}, ${REASON_TEXT[n.reason]}${cause}${ack}`;
}
