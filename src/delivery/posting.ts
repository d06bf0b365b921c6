/**
 * Posting a batch of letters (交寄): the mailing list a post office takes for bulk registered or
 * EMS mail (交寄清单), the print file (one PDF of all the letters, each starting on an odd page
 * so that duplex printing never puts two debtors' letters on one sheet, in the mailing list's
 * order), and the carrier's tracking sheet read back (函号 → 运单号, later 妥投/拒收/退回 with
 * dates) as the events delivery.ts records.
 *
 * The print file concatenates the stored, issued PDFs page for page (pdf-lib copies pages;
 * pdfkit, which typesets the letters, cannot import them). A signed letter's signature does not
 * survive the merge — the print file is for the printer, the stored PDF stays the original.
 */
import { PDFDocument } from 'pdf-lib';
import type { LetterRecord } from '../letters/letter-store.js';
import { addresseeOf } from '../pipeline/facts/envelope.js';
import { kindTitle } from '../pipeline/schema/kinds.js';

export const MAILING_HEADER = ['序号', '收件人', '地址', '邮编', '电话', '内件', '函号'] as const;

export interface MailingRow {
  seq: number;
  name: string;
  address: string;
  postcode: string;
  phone: string;
  contents: string;
  number: string;
  letterId: string;
}

/**
 * The batch's live letters in posting order (the batch's own order), with the addressee from each
 * letter's stored input. Void letters are not posted; a letter whose input was purged has no
 * address and is listed with its number so that nobody posts it blind.
 */
export function mailingList(
  letters: LetterRecord[],
  inputOf: (l: LetterRecord) => unknown,
): { rows: MailingRow[]; missingAddress: string[] } {
  const rows: MailingRow[] = [];
  const missingAddress: string[] = [];
  for (const l of letters) {
    if (l.status === 'void') continue;
    let debtor: { name?: string; address?: string; postcode?: string; phone?: string } = {};
    try {
      debtor = ((l.inputJson ? inputOf(l) : {}) as { debtor?: typeof debtor }).debtor ?? {};
    } catch {
      debtor = {};
    }
    const name = debtor.name ?? l.debtorMasked;
    // The same addressee the letter's envelope window prints (pipeline/facts/envelope.ts).
    const to = addresseeOf({ name, address: debtor.address, postcode: debtor.postcode });
    if (!to) missingAddress.push(l.number);
    rows.push({
      seq: rows.length + 1,
      name,
      address: to?.address ?? '',
      postcode: to?.postcode ?? '',
      phone: debtor.phone ?? '',
      contents: kindTitle(l.kind),
      number: l.number,
      letterId: l.id,
    });
  }
  return { rows, missingAddress };
}

/** The mailing list as spreadsheet rows: 序号 a number; 邮编 and 电话 text (a postcode may start with 0). */
export function mailingSheetRows(rows: MailingRow[]): (string | number)[][] {
  return rows.map((r) => [r.seq, r.name, r.address, r.postcode, r.phone, r.contents, r.number]);
}

/**
 * One PDF of the letters in the given order, each starting on an odd page: a letter with an odd
 * number of pages is followed by a blank page of its last page's size. Returns the first page of
 * each letter (1-based) as well, for the tests and the page that offers it.
 */
export async function printFile(pdfs: Uint8Array[]): Promise<{ pdf: Uint8Array; starts: number[] }> {
  const out = await PDFDocument.create();
  out.setTitle('打印文件');
  out.setCreator('hanjian');
  // A fixed date: the same letters give the same bytes.
  const fixed = new Date('2026-01-01T00:00:00Z');
  out.setCreationDate(fixed);
  out.setModificationDate(fixed);
  const starts: number[] = [];
  for (const bytes of pdfs) {
    const src = await PDFDocument.load(bytes, { updateMetadata: false });
    starts.push(out.getPageCount() + 1);
    const pages = await out.copyPages(src, src.getPageIndices());
    for (const p of pages) out.addPage(p);
    if (pages.length % 2 === 1) {
      const { width, height } = pages.at(-1)!.getSize();
      out.addPage([width, height]);
    }
  }
  return { pdf: await out.save({ useObjectStreams: false }), starts };
}
