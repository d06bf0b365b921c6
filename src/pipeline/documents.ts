/**
 * Documents other than letters, typeset by the same pipeline (markup → layout → PDF): the
 * evidence cover sheet (送达证据清单). The text is built here, not by a letter template, and
 * every value is escaped so data can never become markup.
 */

import { VERSION } from '../shared/version.js';
import { layoutDocument } from './layout/document.js';
import { LAYOUT_ENGINE_VERSION } from './layout/engine.js';
import { getFonts } from './layout/fonts.js';
import { documentMissingGlyphs, glyphMissingError } from './layout/glyphs.js';
import { parseMarkup } from './markup/parse.js';
import { renderPdf } from './pdf/render.js';
import { getCatalog } from './templates/catalog.js';
import { escapeMarkup } from './templates/escape.js';

export interface DocumentSection {
  heading: string;
  lines: string[];
}

/**
 * A simple document: a title, paragraphs, a heading with numbered items, on the page style
 * of the reminder template. `date` (YYYY-MM-DD) fixes the PDF's creation date: same content,
 * same bytes.
 */
export async function renderSimpleDocument(doc: {
  title: string;
  intro: string[];
  heading: string;
  items: string[];
  closing: string[];
  date: string;
  author: string;
}): Promise<Buffer> {
  const e = escapeMarkup;
  const markup = [
    `::title ${e(doc.title)}`,
    '',
    ...doc.intro.flatMap((p) => [e(p), '']),
    `::heading ${e(doc.heading)}`,
    '',
    ...doc.items.flatMap((item, i) => [`::item ${i + 1}． ${e(item)}`, '']),
    ...doc.closing.flatMap((p) => [e(p), '']),
  ].join('\n');
  const document = parseMarkup(markup, { file: '<document>' });
  const fonts = getFonts();
  const missing = documentMissingGlyphs(document, fonts);
  if (missing.length) throw glyphMissingError(missing);
  const style = getCatalog().versions.find((v) => v.id === 'reminder@1')!.manifest.style;
  const laid = layoutDocument(document, style, fonts);
  return renderPdf(laid, fonts, {
    title: doc.title,
    author: doc.author,
    subject: doc.title,
    keywords: 'hanjian; evidence',
    producer: `hanjian ${VERSION}`,
    layoutEngine: LAYOUT_ENGINE_VERSION,
    creationDate: new Date(`${doc.date}T00:00:00+08:00`),
  });
}
