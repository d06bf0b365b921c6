/**
 * A client's own column headers mapped to ours. A header the import does not know (未还利息(元),
 * 放款日期, 客户经理) is never dropped silently: the user maps it to a field of the letter or
 * says it is not to be imported, helped by a suggestion from synonyms; the workspace keeps the
 * choices per client (web/store.ts) and hands them back here on the client's next file.
 *
 * Several columns may fill one amount of the debt (利息 and 未还利息(元)): their cells are added.
 * Any other field takes one column.
 */
import { foldFullWidth } from './cells.js';
import { COLUMNS, type Column, normalizeHeader, PREFIX, SYNONYMS } from './columns.js';

/** A column's decision: the letter field (a Column's path) its cells fill, or not imported. */
export type MappingTarget = string;
export const IGNORE = 'ignore';

/** Saved decisions by header key (headerKey). */
export type ColumnMapping = ReadonlyMap<string, MappingTarget>;

/** The key a header's decision is kept under: full-width folded, without spaces (未还利息（元） = 未还利息(元)). */
export const headerKey = (h: string): string => foldFullWidth(h).replace(/\s+/g, '').slice(0, 60);

/** As a header is shown and kept in a row's cells: trimmed, bounded. */
export const headerLabel = (h: string): string => h.trim().slice(0, 30);

/** The amounts of the debt whose columns add up when several fill one (not the stated total). */
export const summable = (c: Column): boolean => c.kind === 'money' && c.path !== 'debt.total';

export const columnOfTarget = (target: MappingTarget): Column | undefined => COLUMNS.find((c) => c.path === target);

/**
 * Headers the import did not recognise that look like money (未还利息(元), 罚息, 应还金额…): such a
 * column left out would make the letter's total wrong, so it is never ignored without the user's choice.
 */
export function looksLikeAmount(h: string): boolean {
  return /元|金额|利息|息费|罚息|本金|违约金|滞纳金|费用|欠款|余额|应还|未还|已还|还款额|本息/u.test(h);
}

/** The field a header probably means, from the aliases and the synonyms above; undefined when nothing fits. */
export function suggestColumn(header: string): Column | undefined {
  const name = normalizeHeader(foldFullWidth(header));
  const exact = (n: string) => COLUMNS.find((c) => c.header === n || c.aliases.includes(n));
  const direct = exact(name) ?? exact(name.replace(PREFIX, ''));
  if (direct) return direct;
  for (const [re, path] of SYNONYMS) if (re.test(name)) return columnOfTarget(path);
  return undefined;
}

/** A column of the client's sheet that is not one of ours. */
export interface UnknownColumn {
  index: number;
  header: string;
  key: string;
  amountLike: boolean;
  /** The saved decision for this client, when there is one that still applies to this file. */
  saved: MappingTarget | null;
  /** The suggested field (not already filled by a column of ours it cannot be added to). */
  suggestion: string | null;
}

export interface ColumnPlan {
  /** Spreadsheet column index → the column it holds (a mapped one keeps the client's header). */
  columns: Map<number, Column>;
  /** The client's columns read into a field by the mapping. */
  mapped: { header: string; path: string }[];
  /** Headers not imported: ignored by the user's choice, or not decided yet. */
  ignored: string[];
  /** Those columns by index, with their header: their cells go back into the fix-up sheet as they came. */
  extra: Map<number, string>;
  /** Every header that is not ours, with what is known of it: what a mapping step shows. */
  unknown: UnknownColumn[];
  /** Unknown headers without an applicable decision. */
  undecided: string[];
  /** Required fields no column fills. */
  missing: Column[];
  /** A column of ours that appears twice. */
  duplicate: Column | null;
}

/**
 * The header row against our columns and a client's saved decisions. The fix-up sheet's own
 * columns (`skip`: 原行号, 问题) are passed over. A saved decision that no longer fits the file
 * (a second column for a field that takes one) counts as undecided.
 */
export function planColumns(header: string[], mapping: ColumnMapping = new Map(), skip: string[] = []): ColumnPlan {
  const columns = new Map<number, Column>();
  const unknownAt: { index: number; header: string }[] = [];
  let duplicate: Column | null = null;
  header.forEach((h, i) => {
    const name = normalizeHeader(h);
    if (!name || skip.includes(name)) return;
    const c = COLUMNS.find((x) => x.header === name || x.aliases.includes(name));
    if (!c) unknownAt.push({ index: i, header: headerLabel(h) });
    else if ([...columns.values()].includes(c)) duplicate ??= c;
    else columns.set(i, c);
  });
  const filled = new Set([...columns.values()].map((c) => c.path));
  const taken = (c: Column) => filled.has(c.path) && !summable(c);
  const plan: ColumnPlan = {
    columns,
    mapped: [],
    ignored: [],
    extra: new Map(),
    unknown: [],
    undecided: [],
    missing: [],
    duplicate,
  };
  const seen = new Set<string>();
  for (const { index, header: h } of unknownAt) {
    const key = headerKey(h);
    const suggested = suggestColumn(h);
    let saved = mapping.get(key) ?? null;
    const target = saved && saved !== IGNORE ? columnOfTarget(saved) : undefined;
    if (saved && saved !== IGNORE && (!target || taken(target))) saved = null;
    // The same header twice is one decision (the first column); the second is kept, not imported.
    const again = seen.has(key);
    seen.add(key);
    plan.unknown.push({
      index,
      header: h,
      key,
      amountLike: looksLikeAmount(h),
      saved,
      suggestion: suggested && !taken(suggested) ? suggested.path : null,
    });
    if (target && saved && !again) {
      columns.set(index, { ...target, header: h, aliases: [] });
      filled.add(target.path);
      plan.mapped.push({ header: h, path: target.path });
      continue;
    }
    if (!saved && !again) plan.undecided.push(h);
    plan.ignored.push(h);
    if (![...plan.extra.values()].includes(h)) plan.extra.set(index, h);
  }
  plan.missing = COLUMNS.filter((c) => c.required && !filled.has(c.path));
  return plan;
}
