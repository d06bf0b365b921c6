/** Laid-out pages → PDF bytes. The only module that drives pdfkit. */
import PDFDocument from 'pdfkit';
import type { LaidOutDocument, TextRun } from '../layout/model.js';
import type { FontSet } from '../layout/fonts.js';
import { DocumentFonts, type FixedChars } from './document-fonts.js';
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
  /**
   * Characters the template itself draws, per face: embedded as a subset shared by every
   * letter of the template (built once per process); the rest is subset per letter.
   */
  fixedChars?: FixedChars | null;
}

interface PageInternals { page: { content: { write: (chunk: Uint8Array) => void } } }

/**
 * The text operators of the current page, written to pdfkit's content stream as one latin1
 * buffer before any drawing pdfkit does itself and at the end of the page: handed strings,
 * pdfkit converts each one character by character (~7 % of the PDF stage, issue 16). The
 * bytes are exactly what addContent would write (each operator string plus a newline).
 */
class TextBuffer {
  private pending = '';
  constructor(private readonly doc: PDFKit.PDFDocument) {}
  add(ops: string): void {
    this.pending += ops + '\n';
  }
  flush(): void {
    if (!this.pending) return;
    (this.doc as unknown as PageInternals).page.content.write(Buffer.from(this.pending, 'latin1'));
    this.pending = '';
  }
}

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
  const pdfFonts = new DocumentFonts(doc, fonts, options.fixedChars ?? null);
  const out = new TextBuffer(doc);
  for (const page of laid.pages) {
    doc.addPage({ size: [laid.width, laid.height], margin: 0 });
    pdfFonts.startPage();
    if (options.draft) drawDraftMark(doc, out, pdfFonts, fonts, laid, options.draft);
    let color: string | null = null; // text colour in effect (text runs are not wrapped in q … Q)
    for (const item of page.items) {
      if (item.type === 'text') {
        if (item.color !== color) {
          out.flush();
          doc.fillColor((color = item.color));
        }
        drawText(out, pdfFonts, fonts, item);
        continue;
      }
      out.flush();
      color = null; // other drawings save and restore the graphics state
      if (item.type === 'rule') {
        doc.save().lineWidth(item.width).strokeColor(item.color).moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).stroke().restore();
      } else if (item.type === 'qr') {
        drawQr(doc, item.data, item.x, item.y, item.size);
      } else if (item.type === 'seal' && drawSeal) {
        const r = item.diameter / 2;
        drawSeal(item.cx - r, item.cy - r, item.diameter);
      }
    }
    out.flush();
  }
  pdfFonts.finish();
  doc.end();
  return done;
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * One run as BT … ET in pdfkit's top-down page space: the text matrix flips y back, so glyphs
 * stand upright with their baseline `ascender` below the run's top.
 */
function drawText(out: TextBuffer, pdfFonts: DocumentFonts, fonts: FontSet, t: Pick<TextRun, 'x' | 'y' | 'size' | 'face' | 'text' | 'gaps'>): void {
  if (!t.text) return;
  const baseline = t.y + (fonts[t.face].ascender * t.size) / 1000;
  out.add(`BT\n1 0 0 -1 ${fmt(t.x)} ${fmt(baseline)} Tm\n${pdfFonts.show(t.face, t.text, t.size, t.gaps)}\nET`);
}

function drawDraftMark(doc: PDFKit.PDFDocument, out: TextBuffer, pdfFonts: DocumentFonts, fonts: FontSet, laid: LaidOutDocument, text: string): void {
  const size = 64;
  doc.save();
  doc.fillColor('#9a9a9a').fillOpacity(0.18);
  doc.rotate(-35, { origin: [laid.width / 2, laid.height / 2] });
  const w = pdfFonts.width('bold', text, size);
  drawText(out, pdfFonts, fonts, { x: laid.width / 2 - w / 2, y: laid.height / 2 - size / 2, size, face: 'bold', text, gaps: [] });
  out.flush();
  doc.restore();
}
