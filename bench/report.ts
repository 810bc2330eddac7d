// How every benchmark reports: one JSON object per line on stdout, a readable table on stderr.

export interface BenchFigure {
  bench: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  /** Extra columns for the table only (sizes, targets). */
  note?: string;
}

export interface BenchReporter {
  report(figure: BenchFigure): void;
}

const rows: BenchFigure[] = [];

export const reporter: BenchReporter = {
  report(figure) {
    const line: Record<string, unknown> = { bench: figure.bench, value: round(figure.value), unit: figure.unit };
    if (figure.baseline !== undefined) {
      line.baseline = round(figure.baseline);
      line.ratio = round(figure.ratio ?? figure.value / figure.baseline);
    }
    process.stdout.write(JSON.stringify(line) + '\n');
    rows.push({ ...figure, ratio: line.ratio as number | undefined });
  },
};

function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  const magnitude = Math.abs(n);
  return magnitude >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000;
}

export function printTable(): void {
  const header = ['bench', 'value', 'unit', 'baseline', 'ratio', 'note'];
  const body = rows.map((r) => [r.bench, String(round(r.value)), r.unit, r.baseline === undefined ? '' : String(round(r.baseline)), r.ratio === undefined ? '' : String(r.ratio), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stderr.write('\n' + format(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const b of body) process.stderr.write(format(b) + '\n');
}
