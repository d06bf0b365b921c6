/** QR codes drawn as vector rectangles (one path per row run): sharp at any print resolution. */
import QRCode from 'qrcode';

export function drawQr(doc: PDFKit.PDFDocument, data: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(data, { errorCorrectionLevel: 'M' });
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
