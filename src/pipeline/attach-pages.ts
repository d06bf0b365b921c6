/**
 * A paper the letter lists as 附件 appended to the issued PDF as pages (issue 28 §2: the
 * engagement's 授权委托书 after a lawyer's letter). pdfkit typesets the letter but cannot import
 * another PDF's pages, so pdf-lib copies them: a PDF mandate page for page, a scan (PNG, JPEG)
 * on a page of its own under a heading that names the letter. The registry appends before it
 * signs, so the signature covers the mandate too; and the bytes are a function of the letter's
 * and the mandate's bytes alone (no date, no random identifier is written), so that the
 * registry's re-render check reproduces an issued letter byte for byte.
 */
import { PDFDocument } from 'pdf-lib';
import { HanjianError } from '../shared/errors.js';
import { renderScanPage } from './exhibits.js';

export interface AttachedFile {
  bytes: Buffer;
  /** application/pdf, image/png or image/jpeg (recognised by content when it was stored). */
  type: string;
}

export interface AttachmentLabel {
  /** The heading over a scan: "附件：授权委托书复印件". */
  heading: string;
  /** The letter it belongs to: "律师函（2026）京某律函字第0001号". */
  subheading: string;
  /** The letter's issue date (YYYY-MM-DD): the scan page's creation date, so the bytes never depend on the clock. */
  date: string;
  author: string;
}

const unreadable = (why: string) =>
  new HanjianError({
    code: 'MANDATE_UNREADABLE',
    category: 'invalid_input',
    path: 'mandate',
    zh: `授权委托书 PDF 无法读取（${why}）：请上传未加密、可打开的 PDF，或扫描图片（PNG、JPEG）`,
    en: `the mandate PDF cannot be read (${why}): upload an unencrypted PDF that opens, or a scan (PNG, JPEG)`,
  });

async function loadPdf(bytes: Buffer): Promise<PDFDocument> {
  let doc: PDFDocument;
  let count: number;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
    count = doc.getPageCount(); // a file with no page tree loads, and fails here
  } catch (e) {
    throw unreadable((e as Error).name === 'EncryptedPDFError' ? '已加密 / encrypted' : '已损坏 / malformed');
  }
  if (count === 0) throw unreadable('没有页面 / no pages');
  return doc;
}

/** The pages the file adds to a letter; throws MANDATE_UNREADABLE for a PDF that cannot be appended. */
export async function attachablePages(file: AttachedFile): Promise<number> {
  return file.type === 'application/pdf' ? (await loadPdf(file.bytes)).getPageCount() : 1;
}

/** The letter with the file's pages after its own. */
export async function appendPages(letter: Buffer, file: AttachedFile, label: AttachmentLabel): Promise<Buffer> {
  const out = await PDFDocument.load(letter, { updateMetadata: false });
  const source =
    file.type === 'application/pdf'
      ? await loadPdf(file.bytes)
      : await PDFDocument.load(await renderScanPage({ ...label, data: file.bytes }), { updateMetadata: false });
  for (const page of await out.copyPages(source, source.getPageIndices())) out.addPage(page);
  // Classic cross-reference table, no object streams: the signer adds its field as an incremental update to it.
  return Buffer.from(await out.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
}
