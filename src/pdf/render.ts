/** Laid-out pages → PDF bytes. The only module that drives pdfkit. */
import PDFDocument from 'pdfkit';
import type { LaidOutDocument, TextRun } from '../layout/model.js';
import { advance, type FontSet } from '../layout/fonts.js';
import { registerFont } from './embed.js';
import { fixedFace, fixedSubset, useFixedSubset, type FixedSubset } from './fixed-font.js';
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
  /** The template's source: its characters are drawn from a subset made once per process (fixed-font.ts). */
  fixedText?: string;
}

const FONT_NAMES = { regular: 'HanjianSerif', bold: 'HanjianSerifBold', fixed: 'HanjianSerifFixed' } as const;

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
  let fixed: FixedSubset | null = null;
  for (const page of laid.pages) {
    doc.addPage({ size: [laid.width, laid.height], margin: 0 });
    if (!registered) {
      registerFont(doc, FONT_NAMES.bold, fonts.bold);
      registerFont(doc, FONT_NAMES.regular, fonts.regular);
      fixed = options.fixedText ? fixedSubset(fonts.regular, options.fixedText, regularCodePoints(laid)) : null;
      if (fixed) {
        registerFont(doc, FONT_NAMES.fixed, fixedFace(fonts.regular));
        useFixedSubset(doc, fixed);
      }
      registered = true;
    }
    if (options.draft) drawDraftMark(doc, laid, options.draft);
    for (const item of page.items) {
      if (item.type === 'text') drawText(doc, item, item.face === 'regular' ? fixed : null, fonts);
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

function* regularCodePoints(laid: LaidOutDocument): Generator<number> {
  for (const p of laid.pages) for (const item of p.items) if (item.type === 'text' && item.face === 'regular') for (const ch of item.text) yield ch.codePointAt(0)!;
}

/** A run of regular text is drawn in pieces: fixed characters with the fixed font, the others with the per-document one. */
function drawText(doc: PDFKit.PDFDocument, t: TextRun, fixed: FixedSubset | null, fonts: FontSet): void {
  const face = t.face === 'bold' ? FONT_NAMES.bold : FONT_NAMES.regular;
  if (!fixed) return drawPiece(doc, face, t, t.text, t.x, t.gaps);
  const chars = [...t.text];
  let x = t.x;
  let start = 0;
  let pieceX = x;
  for (let i = 0; i <= chars.length; i++) {
    const inFixed = i < chars.length && fixed.codePoints.has(chars[i]!.codePointAt(0)!);
    if (i > start && (i === chars.length || inFixed !== fixed.codePoints.has(chars[start]!.codePointAt(0)!))) {
      const name = fixed.codePoints.has(chars[start]!.codePointAt(0)!) ? FONT_NAMES.fixed : FONT_NAMES.regular;
      drawPiece(doc, name, t, chars.slice(start, i).join(''), pieceX, t.gaps.slice(start, i));
      start = i;
      pieceX = x;
    }
    if (i < chars.length) x += (advance(fonts.regular, chars[i]!.codePointAt(0)!) * t.size) / 1000 + (t.gaps[i] ?? 0);
  }
}

function drawPiece(doc: PDFKit.PDFDocument, font: string, t: TextRun, text: string, x: number, gaps: number[]): void {
  const width = [...text].length; // placeholder: pdfkit only needs textWidth for links/underline
  doc.font(font).fontSize(t.size).fillColor(t.color);
  const gapsEm = gaps.map((g) => (g * 1000) / t.size);
  doc.text(text, x, t.y, { lineBreak: false, textWidth: width, wordCount: 1, features: { hanjianGaps: gapsEm } } as unknown as PDFKit.Mixins.TextOptions);
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
