/** Laid-out pages → PDF bytes. The only module that drives pdfkit. */
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { FontSet } from '../layout/fonts.js';
import type { LaidOutDocument, TextRun } from '../layout/model.js';
import { CollectingDocument } from './collecting-document.js';
import { ContentBytes, fmt } from './content-bytes.js';
import { DocumentFonts, type FixedChars } from './document-fonts.js';
import { drawQr } from './qr.js';
import { prepareSeal, sealDrawer } from './seal.js';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  producer: string;
  /** Layout engine version (layout/engine.ts), written to the Info dictionary as HanjianLayoutEngine. */
  layoutEngine: number;
  /** The issue date: pdfkit writes it as CreationDate and derives the file ID from it, so output is deterministic. */
  creationDate: Date;
}

export interface PdfOptions {
  seal?: Buffer | null;
  /** Draft marking for previews: a light diagonal mark on every page. */
  draft?: string | null;
  /**
   * Characters the template itself draws, per face: embedded as a subset shared by every
   * letter of the template (built once per process); the rest is subset per letter.
   */
  fixedChars?: FixedChars | null;
}

interface ContentStream {
  write: (chunk: Uint8Array) => void;
  buffer: Uint8Array[];
  data: Record<string, unknown>;
  compress: boolean;
}
interface PageInternals {
  page: { content: ContentStream };
}

/**
 * Deflates the current page's content stream at level 1 and hands pdfkit the finished bytes.
 * Why: pdfkit deflates each page at zlib's default level 6, about 0.25 ms a page for ~10 KB
 * of text operators (a tenth of a render, issue 16); level 1 takes a third of that and the
 * page's stream grows by ~0.5 KB. Called once the page is drawn, before pdfkit ends it.
 */
function deflatePageContent(doc: PDFKit.PDFDocument): void {
  const content = (doc as unknown as PageInternals).page.content;
  if (!content.buffer.length) return;
  content.buffer = [deflateSync(Buffer.concat(content.buffer), { level: 1, memLevel: 9 })];
  content.compress = false;
  content.data.Filter = 'FlateDecode';
}

/**
 * The text operators of the current page, handed to pdfkit's content stream as one buffer
 * before any drawing pdfkit does itself and at the end of the page: handed strings, pdfkit
 * converts each one character by character (~7 % of the PDF stage, issue 16).
 */
function flushText(doc: PDFKit.PDFDocument, out: ContentBytes): void {
  if (out.size) (doc as unknown as PageInternals).page.content.write(out.take());
}

export async function renderPdf(
  laid: LaidOutDocument,
  fonts: FontSet,
  meta: PdfMeta,
  options: PdfOptions = {},
): Promise<Buffer> {
  const doc = new CollectingDocument({
    size: [laid.width, laid.height],
    margin: 0,
    autoFirstPage: false,
    // No default Helvetica: it would cost an AFM parse per document and leave an unused Type 1 font in the file.
    font: '',
    compress: true,
    pdfVersion: '1.7',
    displayTitle: true,
    lang: 'zh-CN',
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords,
      Producer: meta.producer,
      Creator: meta.producer,
      CreationDate: meta.creationDate,
      ModDate: meta.creationDate,
      HanjianLayoutEngine: `v${meta.layoutEngine}`,
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  // The header lines pdfkit's constructor wrote arrive as 'data'; the rest is collected.
  doc.collect();
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat([...chunks, ...doc.collected()])));
    doc.on('error', reject);
  });

  const drawSeal = options.seal ? sealDrawer(doc, await prepareSeal(options.seal)) : null;
  const pdfFonts = new DocumentFonts(doc, fonts, options.fixedChars ?? null);
  const out = new ContentBytes();
  for (const page of laid.pages) {
    doc.addPage({ size: [laid.width, laid.height], margin: 0 });
    pdfFonts.startPage();
    if (options.draft) drawDraftMark(doc, out, pdfFonts, fonts, laid, options.draft);
    let color: string | null = null; // text colour in effect (text runs are not wrapped in q … Q)
    for (const item of page.items) {
      if (item.type === 'text') {
        if (item.color !== color) {
          flushText(doc, out);
          doc.fillColor((color = item.color));
        }
        drawText(out, pdfFonts, fonts, item);
        continue;
      }
      flushText(doc, out);
      color = null; // other drawings save and restore the graphics state
      if (item.type === 'rule') {
        doc
          .save()
          .lineWidth(item.width)
          .strokeColor(item.color)
          .moveTo(item.x1, item.y1)
          .lineTo(item.x2, item.y2)
          .stroke()
          .restore();
      } else if (item.type === 'image') {
        doc.image(item.data, item.x, item.y, { fit: [item.width, item.height], align: 'center' });
      } else if (item.type === 'qr') {
        drawQr(doc, item.data, item.x, item.y, item.size);
      } else if (item.type === 'seal' && drawSeal) {
        const r = item.diameter / 2;
        drawSeal(item.cx - r, item.cy - r, item.diameter);
      }
    }
    flushText(doc, out);
    deflatePageContent(doc);
  }
  pdfFonts.finish();
  doc.end();
  return done;
}

/** Whether pdfkit can place `bytes` as an image (a PNG or JPEG it parses); checked before anything is laid out. */
export function imageReadable(bytes: Buffer): boolean {
  try {
    (new PDFDocument({ autoFirstPage: false }) as unknown as { openImage(b: Buffer): unknown }).openImage(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * One run as BT … ET in pdfkit's top-down page space: the text matrix flips y back, so glyphs
 * stand upright with their baseline `ascender` below the run's top.
 */
function drawText(
  out: ContentBytes,
  pdfFonts: DocumentFonts,
  fonts: FontSet,
  t: Pick<TextRun, 'x' | 'y' | 'size' | 'face' | 'text' | 'gaps'>,
): void {
  if (!t.text) return;
  const baseline = t.y + (fonts[t.face].ascender * t.size) / 1000;
  out.text('BT\n1 0 0 -1 ').text(fmt(t.x)).text(' ').text(fmt(baseline)).text(' Tm\n');
  pdfFonts.showInto(out, t.face, t.text, t.size, t.gaps);
  out.text('ET\n');
}

function drawDraftMark(
  doc: PDFKit.PDFDocument,
  out: ContentBytes,
  pdfFonts: DocumentFonts,
  fonts: FontSet,
  laid: LaidOutDocument,
  text: string,
): void {
  const size = 64;
  doc.save();
  doc.fillColor('#9a9a9a').fillOpacity(0.18);
  doc.rotate(-35, { origin: [laid.width / 2, laid.height / 2] });
  const w = pdfFonts.width('bold', text, size);
  drawText(out, pdfFonts, fonts, {
    x: laid.width / 2 - w / 2,
    y: laid.height / 2 - size / 2,
    size,
    face: 'bold',
    text,
    gaps: [],
  });
  flushText(doc, out);
  doc.restore();
}
