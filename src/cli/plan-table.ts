/**
 * The plan's table: accounts per letter kind, grouped by their main reason. Reasons that differ
 * only in their figures (days, amounts, dates) are one row, and each figure is shown as the
 * range seen — "逾期 8–20 天" — never masked: a reader checks the policy against real numbers.
 */
import { wrap } from './terminal-text.js';

/** A date, or a number with optional thousands separators and decimals: one figure each. */
const FIGURE = /\d{4}-\d{2}-\d{2}|\d[\d,]*(?:\.\d+)?/g;
const SLOT = '\u0000';

interface Group {
  count: number;
  min: string[];
  max: string[];
}

const numeric = (s: string) => (s.includes('-') ? NaN : Number(s.replace(/,/g, '')));
function less(a: string, b: string): boolean {
  const [x, y] = [numeric(a), numeric(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? a < b : x < y;
}

export class ReasonTable {
  private groups = new Map<string, Map<string, Group>>();
  private counts = new Map<string, number>();

  add(kind: string, reason: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    const zh = reason.split(' / ')[0]!;
    const figures = zh.match(FIGURE) ?? [];
    const pattern = zh.replace(FIGURE, SLOT);
    const byReason = this.groups.get(kind) ?? new Map<string, Group>();
    this.groups.set(kind, byReason);
    const g = byReason.get(pattern);
    if (!g) {
      byReason.set(pattern, { count: 1, min: [...figures], max: [...figures] });
      return;
    }
    g.count++;
    figures.forEach((f, i) => {
      if (less(f, g.min[i]!)) g.min[i] = f;
      if (less(g.max[i]!, f)) g.max[i] = f;
    });
  }

  /** One row per kind and reason, wrapped so that no line is wider than `width` columns. */
  lines(width: number): string[] {
    const KIND = 15,
      N = 8;
    const indent = KIND + 1 + N + 2;
    const room = Math.max(20, width - indent);
    const out = [`${'letter'.padEnd(KIND)} ${'accounts'.padStart(N)}  main reason`];
    for (const kind of ['reminder', 'demand', 'lawyer-letter', 'none']) {
      const n = this.counts.get(kind);
      if (!n) continue;
      const reasons = [...(this.groups.get(kind) ?? new Map<string, Group>())].sort((a, b) => b[1].count - a[1].count);
      const countWidth = String(reasons[0]?.[1].count ?? 0).length;
      reasons.forEach(([pattern, g], i) => {
        let k = 0;
        const text = pattern.replace(/\u0000/g, () => {
          const [lo, hi] = [g.min[k]!, g.max[k]!];
          k++;
          return lo === hi ? lo : `${lo}–${hi}`;
        });
        const head = i === 0 ? `${kind.padEnd(KIND)} ${String(n).padStart(N)}  ` : ' '.repeat(indent);
        const count = `${String(g.count).padStart(countWidth)} × `;
        wrap(text, Math.max(10, room - count.length)).forEach((l, j) =>
          out.push((j === 0 ? head + count : ' '.repeat(indent + count.length)) + l),
        );
      });
    }
    return out;
  }
}
