/** Laid-out pages → PDF bytes. The only module that drives pdfkit. */
import PDFDocument from 'pdfkit';
import type { LaidOutDocument, TextRun } from '../layout/model.js';
import type { FontSet } from '../layout/fonts.js';
import { registerFont } from './embed.js';
import { prepareSeal, sealDrawer } from './seal.js';
import { drawQr } from './qr.js';

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
}

const FONT_NAMES = { regular: 'HanjianSerif', bold: 'HanjianSerifBold' } as const;

export async function renderPdf(laid: LaidOutDocument, fonts: FontSet, meta: PdfMeta, options: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
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
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const drawSeal = options.seal ? sealDrawer(doc, await prepareSeal(options.seal)) : null;
  let registered = false;
  for (const page of laid.pages) {
    doc.addPage({ size: [laid.width, laid.height], margin: 0 });
    if (!registered) {
      registerFont(doc, FONT_NAMES.bold, fonts.bold);
      registerFont(doc, FONT_NAMES.regular, fonts.regular);
      registered = true;
    }
    if (options.draft) drawDraftMark(doc, laid, options.draft);
    for (const item of page.items) {
      if (item.type === 'text') drawText(doc, item);
      else if (item.type === 'rule') {
        doc.save().lineWidth(item.width).strokeColor(item.color).moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).stroke().restore();
      } else if (item.type === 'qr') {
        drawQr(doc, item.data, item.x, item.y, item.size);
      } else if (item.type === 'seal' && drawSeal) {
        const r = item.diameter / 2;
        drawSeal(item.cx - r, item.cy - r, item.diameter);
      }
    }
  }
  doc.end();
  return done;
}

function drawText(doc: PDFKit.PDFDocument, t: TextRun): void {
  const width = [...t.text].length; // placeholder: pdfkit only needs textWidth for links/underline
  doc.font(t.face === 'bold' ? FONT_NAMES.bold : FONT_NAMES.regular).fontSize(t.size).fillColor(t.color);
  const gapsEm = t.gaps.map((g) => (g * 1000) / t.size);
  doc.text(t.text, t.x, t.y, { lineBreak: false, textWidth: width, wordCount: 1, features: { hanjianGaps: gapsEm } } as unknown as PDFKit.Mixins.TextOptions);
}

function drawDraftMark(doc: PDFKit.PDFDocument, laid: LaidOutDocument, text: string): void {
  const size = 64;
  doc.save();
  doc.fillColor('#9a9a9a').fillOpacity(0.18);
  doc.rotate(-35, { origin: [laid.width / 2, laid.height / 2] });
  doc.font(FONT_NAMES.bold).fontSize(size);
  const w = doc.widthOfString(text);
  doc.text(text, laid.width / 2 - w / 2, laid.height / 2 - size / 2, { lineBreak: false });
  doc.restore();
}
