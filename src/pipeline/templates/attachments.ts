/**
 * The 附件 list of a letter (issue 28 §2): every entry must be something the letter really
 * carries. There are three, and each is carried in one known way:
 *
 * - 欠款明细: the debt table in the letter itself (a `::table` whose caption starts 欠款明细);
 * - 分期还款方案: the attachment section the template prints after a page break
 *   (`::heading 附件：分期还款方案`);
 * - 授权委托书: the engagement's stored mandate, appended as pages after the letter by the
 *   registry when it issues a law firm's letter (letters/letters.ts), before it is signed.
 *
 * Anything else listed (身份证复印件, 合同复印件 …) is attached by nobody, so a template that
 * lists it is refused by the lint (catalogs/lint.ts) rather than printing a promise of pages
 * the debtor never gets.
 */
import type { Block, LetterDocument } from '../markup/model.js';
import type { Manifest } from './manifest.js';

export type AttachmentKind = 'mandate' | 'debt-table' | 'plans';

/** What each kind is called and where it is carried, for the lint's messages. */
export const ATTACHMENT_KINDS: Record<AttachmentKind, { name: string; zh: string; en: string }> = {
  mandate: {
    name: '授权委托书',
    zh: '出具律师函时由登记簿将委托的授权委托书附于函件之后',
    en: "appended after a law firm's letter by the registry from the engagement's stored mandate",
  },
  'debt-table': {
    name: '欠款明细',
    zh: '函件正文中标题以“欠款明细”开头的表格',
    en: 'the table in the letter whose caption starts with 欠款明细',
  },
  plans: {
    name: '分期还款方案',
    zh: '函件之后的“附件：分期还款方案”部分',
    en: 'the section headed 附件：分期还款方案 after the letter',
  },
};

/** The entry without its numbering ("1．授权委托书复印件" → "授权委托书复印件"). */
export function attachmentName(item: string): string {
  return item.replace(/^\s*[（(]?[0-9一二三四五六七八九十]+[）)．.、:：]?\s*/u, '').trim();
}

/** Which known attachment an entry of the 附件 list names, or null for one nobody attaches. */
export function attachmentKind(item: string): AttachmentKind | null {
  const name = attachmentName(item);
  if (/授权委托书|委托书/.test(name)) return 'mandate';
  if (/^欠款明细/.test(name)) return 'debt-table';
  if (/分期还款方案/.test(name)) return 'plans';
  return null;
}

/** The entries of a composed letter's 附件 list, as printed. */
export function attachmentsOf(doc: LetterDocument): string[] {
  return doc.blocks.flatMap((b) => (b.type === 'attachments' ? b.items : []));
}

/** Whether a list of entries names the mandate (the registry then appends it). */
export function listsMandate(items: readonly string[]): boolean {
  return items.some((i) => attachmentKind(i) === 'mandate');
}

/**
 * The lines of a template's `::attachments` block as written (Handlebars and all): whether any
 * branch of the template can list the mandate, known before the letter is composed.
 */
export function templateListsMandate(source: string): boolean {
  const lines = source.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('::attachments')) continue;
    for (let k = i + 1; k < lines.length && lines[k]!.trim() && !lines[k]!.startsWith('::'); k++) out.push(lines[k]!);
  }
  return listsMandate(out.map((l) => l.replace(/\{\{[^}]*\}\}/g, '')));
}

/** One entry a letter lists but does not carry, with why. */
export interface AttachmentProblem {
  item: string;
  /** Nothing the renderer attaches (rather than a known attachment this letter lacks). */
  unknown: boolean;
  zh: string;
  en: string;
}

/**
 * Every entry of the document's 附件 list checked against what the letter carries: an entry
 * nobody attaches, or one whose part is missing from this letter (a 分期还款方案 listed without
 * its section, a 授权委托书 in a letter no law firm sends).
 */
export function attachmentProblems(doc: LetterDocument, manifest: Pick<Manifest, 'sender'>): AttachmentProblem[] {
  const out: AttachmentProblem[] = [];
  const has = (test: (b: Block) => boolean) => doc.blocks.some(test);
  for (const item of attachmentsOf(doc)) {
    const kind = attachmentKind(item);
    if (!kind) {
      out.push({
        item,
        unknown: true,
        zh: `附件“${item}”不是系统附上的内容（只能列明：授权委托书、欠款明细、分期还款方案）`,
        en: `the attachment "${item}" is nothing the renderer attaches (only 授权委托书, 欠款明细, 分期还款方案 are)`,
      });
      continue;
    }
    const present =
      kind === 'mandate'
        ? manifest.sender === 'lawFirm'
        : kind === 'debt-table'
          ? has((b) => b.type === 'table' && b.caption.startsWith('欠款明细'))
          : has((b) => b.type === 'heading' && /^附件[0-9一二三四五六七八九十]*[：:]\s*分期还款方案/.test(b.text));
    if (!present)
      out.push({
        item,
        unknown: false,
        zh: `附件“${item}”列明了，但函件没有附上（应为${ATTACHMENT_KINDS[kind].zh}）`,
        en: `the attachment "${item}" is listed but not carried (${ATTACHMENT_KINDS[kind].en})`,
      });
  }
  return out;
}
