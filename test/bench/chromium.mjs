// Part of npm run bench: warm headless Chromium printing the same letter text with the same
// font, justified, on the same page geometry — the baseline issue 16 measures against. Uses
// Debian's /usr/bin/chromium through playwright-core; returns null (and the bench says so)
// when Chromium is absent.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.HANJIAN_BENCH_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The letter as HTML: the first line is the title, lines of body text are paragraphs indented 2 em, justified inter-character. */
export function letterHtml(text, style, fontDir) {
  const [first = '', ...rest] = text.split('\n').filter((l) => l.trim());
  const m = style.marginsMm;
  const font = (file) => pathToFileURL(join(fontDir, file)).href;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face { font-family: 'HanjianSerif'; src: url('${font('NotoSerifCJKsc-Regular.otf')}'); font-weight: 400; }
@font-face { font-family: 'HanjianSerif'; src: url('${font('NotoSerifCJKsc-Bold.otf')}'); font-weight: 700; }
@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
body { margin: 0; font-family: 'HanjianSerif'; font-size: ${style.bodySize}pt; line-height: ${style.linePitch}pt; }
h1 { font-size: ${style.titleSize}pt; text-align: center; margin: 0 0 ${style.linePitch / 2}pt; }
p { margin: 0; text-align: justify; text-justify: inter-character; text-indent: 2em; line-break: strict; }
</style></head><body><h1>${escapeHtml(first)}</h1>${rest.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
}

/**
 * Times `page.pdf()` for each case after one warm-up print per case: `cases` is a list of
 * { id, html }; returns { [id]: { t: ms[], bytes } } or null when Chromium is absent.
 */
export async function chromiumTimes(cases, n) {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'hanjian-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  try {
    const page = await context.newPage();
    const out = {};
    for (const c of cases) {
      // A file:// page, so the @font-face files load (about:blank may not read file:// URLs).
      // Loaded once: each print replaces the body, as a warm print service would, so the
      // 20 MB font is not fetched and sanitised again for every letter.
      const file = join(profile, `${c.id.replace(/[^\w.-]/g, '_')}.html`);
      writeFileSync(file, c.html);
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const body = await page.evaluate(() => document.body.innerHTML);
      const print = async () => {
        const loaded = await page.evaluate((html) => {
          document.body.innerHTML = html;
          return document.fonts.ready.then((f) => [...f].filter((x) => x.status === 'loaded').length);
        }, body);
        if (loaded < 1) throw new Error('Chromium did not load the embedded font');
        return page.pdf({ preferCSSPageSize: true, printBackground: false });
      };
      let last = await print(); // warm: fonts loaded and cached
      const t = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        last = await print();
        t.push(performance.now() - s);
      }
      out[c.id] = { t, bytes: last.length };
    }
    return out;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
