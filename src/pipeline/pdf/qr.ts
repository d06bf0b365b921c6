/** QR codes drawn as vector rectangles (one path per row run): sharp at any print resolution. */
import { createRequire } from 'node:module';

/** Loaded on the first issued letter: a preview or an unnumbered render draws no code (issue 31: cold start). */
let qrcode: typeof import('qrcode') | undefined;

export function drawQr(doc: PDFKit.PDFDocument, data: string, x: number, y: number, size: number): void {
  qrcode ??= createRequire(import.meta.url)('qrcode') as typeof import('qrcode');
  const qr = qrcode.create(data, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 0; // the bottom margin around it is the quiet zone
  const cell = size / (n + quiet * 2);
  doc.save().fillColor('#000000');
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      doc.rect(x + (start + quiet) * cell, y + (row + quiet) * cell, (col - start) * cell, cell);
    }
  }
  doc.fill();
  doc.restore();
}
