/**
 * The workspace's pages: Handlebars views in web/views, kept apart from the letter templates
 * and — unlike them — HTML-escaped: every value a client's spreadsheet put there is text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beijingTime, chineseDate } from './text.js';

/** web/ beside dist/ and src/: the same path from dist/web/views.js and from src/web/views.ts. */
export const WEB_ROOT = join(import.meta.dirname, '..', '..', 'web');

type Template = (context: unknown) => string;

function loadViews(): { hb: typeof Handlebars; pages: Map<string, Template> } {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  // Dates as the letters write them (2026年12月7日), moments in Beijing time: {{date issueDate}}, {{time createdAt}}.
  hb.registerHelper('date', (iso: unknown) => chineseDate(typeof iso === 'string' ? iso : ''));
  hb.registerHelper('time', (iso: unknown) => beijingTime(typeof iso === 'string' ? iso : ''));
  hb.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : '、') : '',
  );
  const dir = join(WEB_ROOT, 'views');
  const pages = new Map<string, Template>();
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.hbs'))
    .sort()) {
    const source = readFileSync(join(dir, f), 'utf8');
    if (f.startsWith('_')) hb.registerPartial(f.slice(1, -4), source);
    else pages.set(f.slice(0, -4), hb.compile(source, { strict: false, noEscape: false }));
  }
  return { hb, pages };
}

let loaded: ReturnType<typeof loadViews> | null = null;

/** A page inside the layout. `page` is the view's file name without .hbs. */
export function renderPage(page: string, context: Record<string, unknown>): string {
  loaded ??= loadViews();
  const view = loaded.pages.get(page);
  const layout = loaded.pages.get('layout');
  if (!view || !layout) throw new Error(`no view ${page}`);
  return layout({ ...context, body: new Handlebars.SafeString(view(context)) });
}
