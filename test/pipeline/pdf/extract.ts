/** Reads a PDF with a real parser (pdfjs-dist) and returns its text lines with glyph positions. */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfLine {
  page: number;
  /** Left edge, right edge and baseline, in points from the top-left of the page. */
  x: number;
  right: number;
  y: number;
  text: string;
  size: number;
}

export interface PdfContent {
  pages: number;
  lines: PdfLine[];
  info: Record<string, unknown>;
  fontTypes: string[];
}

export async function readPdf(pdf: Buffer): Promise<PdfContent> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const lines: PdfLine[] = [];
  const fontTypes = new Set<string>();
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const height = page.view[3]!;
    const content = await page.getTextContent({ disableNormalization: true });
    const ops = await page.getOperatorList();
    for (const key of Object.keys(page.commonObjs as object)) void key;
    void ops;
    const byY = new Map<number, { x: number; right: number; text: string; size: number }[]>();
    for (const item of content.items as { str: string; transform: number[]; width: number; hasEOL?: boolean }[]) {
      if (!item.str) continue;
      const y = Math.round((height - item.transform[5]!) * 10) / 10;
      const size = Math.abs(item.transform[3]!);
      const list = byY.get(y) ?? [];
      list.push({ x: item.transform[4]!, right: item.transform[4]! + item.width, text: item.str, size });
      byY.set(y, list);
    }
    for (const [y, parts] of [...byY].sort((a, b) => a[0] - b[0])) {
      parts.sort((a, b) => a.x - b.x);
      lines.push({
        page: p,
        y,
        x: parts[0]!.x,
        right: Math.max(...parts.map((q) => q.right)),
        text: parts.map((q) => q.text).join(''),
        size: parts[0]!.size,
      });
    }
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages: doc.numPages, lines, info: meta.info as Record<string, unknown>, fontTypes: [...fontTypes] };
}

/** Font subtypes straight from the PDF bytes (uncompressed object dictionaries). */
export function fontSubtypes(pdf: Buffer): string[] {
  const s = pdf.toString('latin1');
  return [
    ...new Set(
      [...s.matchAll(/\/Subtype \/(Type0|Type1|Type3|TrueType|CIDFontType0|CIDFontType2)/g)].map((m) => m[1]!),
    ),
  ];
}
