import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { CollectingDocument } from '../../../src/pipeline/pdf/collecting-document.js';

/** The same drawing, objects and streams, on any pdfkit document; resolves with its bytes. */
function draw(doc: PDFKit.PDFDocument, extra: () => Uint8Array[] = () => []): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat([...chunks, ...extra()]))));
  const internals = doc as unknown as { ref: (data?: object) => { end: (chunk?: Buffer) => void } };
  for (let p = 0; p < 3; p++) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc
      .rect(10 * p, 20, 100, 50)
      .fillColor('#b5121b')
      .fill();
    doc.save().lineWidth(0.5).moveTo(0, 0).lineTo(200, 300).stroke().restore();
    internals
      .ref({ Type: 'Test', N: p, S: new String('函件 ä (x)') as unknown as string })
      .end(Buffer.from([0, 255, 10, 13, 40, 41, p]));
  }
  doc.end();
  return done;
}

const OPTIONS = {
  autoFirstPage: false,
  font: '',
  compress: true,
  info: { CreationDate: new Date(0), Title: '律师函' },
} as PDFKit.PDFDocumentOptions;

describe('CollectingDocument', () => {
  it('writes exactly the bytes pdfkit writes through its stream', async () => {
    const plain = await draw(new PDFDocument(OPTIONS));
    const collecting = new CollectingDocument(OPTIONS);
    collecting.collect();
    const collected = await draw(collecting, () => collecting.collected());
    expect(collected.length).toBe(plain.length);
    expect(collected.equals(plain)).toBe(true);
  });

  it('leaves pdfkit alone until collect() is called', async () => {
    const plain = await draw(new PDFDocument(OPTIONS));
    const untouched = new CollectingDocument(OPTIONS);
    expect((await draw(untouched)).equals(plain)).toBe(true);
    expect(untouched.collected()).toEqual([]);
  });
});
