// The dead-letter file: rows QuestDB refused (400 with a line number), kept with the server's
// answer as JSON lines, so that one poison row never blocks the spool and none is lost silently.

import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface DeadLetter {
  /** When it was set aside, ms since the epoch. */
  at: number;
  status: number;
  code?: string;
  message: string;
  errorId?: string;
  /** The refused line, exactly as sent. */
  line: string;
}

export class DeadLetterFile {
  count = 0;

  constructor(readonly path: string) {}

  async add(letters: readonly DeadLetter[]): Promise<void> {
    if (!letters.length) return;
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, letters.map((l) => JSON.stringify(l) + '\n').join(''), { flush: true });
    this.count += letters.length;
  }
}
