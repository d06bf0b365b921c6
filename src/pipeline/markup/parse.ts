/**
 * Letter markup → document model. The syntax (templates/README.md) is line-based so that a
 * lawyer can read a template as the letter it produces:
 *   ::title / ::number / ::to / ::heading / ::item <marker> <text> / ::letterhead <name>
 *   ::table <caption>, then rows "| a | b |" ("|# …" header, "|= …" total)
 *   ::signature, then right-aligned lines; "::seal" marks the next line as the seal anchor, "::space" adds an empty line
 *   ::attachments <title>, then one line per attachment
 *   ::pagebreak
 *   ::window, then "::from <sender>", "::postcode <digits>" (optional), "::address <text>", "::name <text>":
 *     the addressee block for a window envelope, right after the letterhead
 * Other lines are paragraph text; consecutive lines join into one paragraph; a blank line ends
 * a block. `\` escapes the next character (input data is always escaped, see escape.ts).
 */
import { HanjianError } from '../../shared/errors.js';
import { unescapeMarkup } from '../templates/escape.js';
import type { Block, LetterDocument, TableRowKind } from './model.js';

export interface ParseSource {
  /** Template file the markup came from, for error messages. */
  file: string;
  /** The template source, to point errors at a template line. */
  templateSource?: string;
}

type Open =
  | { type: 'paragraph'; parts: string[] }
  | { type: 'item'; marker: string; parts: string[] }
  | { type: 'table'; block: Extract<Block, { type: 'table' }> }
  | { type: 'signature'; block: Extract<Block, { type: 'signature' }>; sealNext: boolean }
  | { type: 'attachments'; block: Extract<Block, { type: 'attachments' }> }
  | { type: 'letterhead'; block: Extract<Block, { type: 'letterhead' }> }
  | { type: 'window'; block: Extract<Block, { type: 'window' }>; at: number };

const WINDOW_PARTS = ['from', 'postcode', 'address', 'name'] as const;

const DIRECTIVE = /^::([a-z]+)(?:[ \t]+(.*))?$/;

export function parseMarkup(markup: string, source: ParseSource = { file: '<markup>' }): LetterDocument {
  const blocks: Block[] = [];
  let open: Open | null = null;
  const lines = markup.split('\n');

  const error = (lineIndex: number, zh: string, en: string): never => {
    const raw = lines[lineIndex] ?? '';
    const where = locate(source, raw, lineIndex);
    throw new HanjianError({
      code: 'MARKUP_SYNTAX',
      category: 'template',
      path: where,
      zh: `${zh}：“${raw.trim()}”`,
      en: `${en}: "${raw.trim()}"`,
    });
  };

  const close = () => {
    if (!open) return;
    if (open.type === 'window') {
      const w = open.block;
      if (!w.address || !w.name)
        error(open.at, '“::window” 需要 ::address 和 ::name', '"::window" needs ::address and ::name');
    }
    if (open.type === 'paragraph') blocks.push({ type: 'paragraph', text: joinParts(open.parts) });
    else if (open.type === 'item') blocks.push({ type: 'item', marker: open.marker, text: joinParts(open.parts) });
    else blocks.push(open.block);
    open = null;
  };

  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\s+$/u, '').replace(/^[ \t]+/, '');
    if (line === '') return close();
    const d = DIRECTIVE.exec(line);
    if (d) {
      const [, name, argRaw] = d;
      const arg = unescapeMarkup((argRaw ?? '').trim());
      if (name === 'space') {
        // An empty line inside a signature block: room between the lawyers' signatures and the sealed firm name.
        if (open?.type !== 'signature')
          error(i, '“::space” 只能用在 ::signature 块内', '"::space" is only allowed inside a ::signature block');
        (open as Extract<Open, { type: 'signature' }>).block.lines.push({ text: '', seal: false });
        return;
      }
      if (name === 'seal') {
        if (open?.type !== 'signature')
          error(i, '“::seal” 只能用在 ::signature 块内', '"::seal" is only allowed inside a ::signature block');
        (open as Extract<Open, { type: 'signature' }>).sealNext = true;
        return;
      }
      if ((WINDOW_PARTS as readonly string[]).includes(name!)) {
        if (open?.type !== 'window')
          error(i, `“::${name}” 只能用在 ::window 块内`, `"::${name}" is only allowed inside a ::window block`);
        (open as Extract<Open, { type: 'window' }>).block[name as (typeof WINDOW_PARTS)[number]] = arg;
        return;
      }
      close();
      const need = (what: string) => {
        if (!arg) error(i, `“::${name}” 需要${what}`, `"::${name}" needs ${what === '文字' ? 'text' : 'an argument'}`);
      };
      switch (name) {
        case 'title':
          need('文字');
          blocks.push({ type: 'title', text: arg });
          return;
        case 'number':
          need('文字');
          blocks.push({ type: 'number', text: arg });
          return;
        case 'to':
          need('文字');
          blocks.push({ type: 'addressee', text: arg });
          return;
        case 'heading':
          need('文字');
          blocks.push({ type: 'heading', text: arg });
          return;
        case 'pagebreak':
          blocks.push({ type: 'pagebreak' });
          return;
        case 'letterhead':
          need('文字');
          open = { type: 'letterhead', block: { type: 'letterhead', name: arg, lines: [] } };
          return;
        case 'window':
          open = { type: 'window', block: { type: 'window', from: '', postcode: '', address: '', name: '' }, at: i };
          return;
        case 'table':
          open = { type: 'table', block: { type: 'table', caption: arg, rows: [] } };
          return;
        case 'signature':
          open = { type: 'signature', block: { type: 'signature', lines: [] }, sealNext: false };
          return;
        case 'attachments':
          need('文字');
          open = { type: 'attachments', block: { type: 'attachments', title: arg, items: [] } };
          return;
        case 'item': {
          const m = /^(\S+)\s+(.+)$/u.exec((argRaw ?? '').trim());
          if (!m)
            error(
              i,
              '“::item” 需要编号和正文，如 “::item 一、 正文”',
              '"::item" needs a marker and text, e.g. "::item 1. text"',
            );
          open = { type: 'item', marker: unescapeMarkup(m![1]!), parts: [m![2]!] };
          return;
        }
        default:
          error(i, `未知的标记指令 “::${name}”`, `unknown markup directive "::${name}"`);
      }
      return;
    }
    const cur = open as Open | null;
    if (line.startsWith('|')) {
      if (cur?.type !== 'table') error(i, '表格行必须位于 ::table 之后', 'a table row must follow ::table');
      const t = cur as Extract<Open, { type: 'table' }>;
      t.block.rows.push(
        parseRow(line, () =>
          error(i, '表格行格式错误，应为 “| 项目 | 金额 |”', 'malformed table row, expected "| item | amount |"'),
        ),
      );
      return;
    }
    if (!cur) {
      open = { type: 'paragraph', parts: [line] };
      return;
    }
    switch (cur.type) {
      case 'paragraph':
      case 'item':
        cur.parts.push(line);
        return;
      case 'signature':
        cur.block.lines.push({ text: unescapeMarkup(line), seal: cur.sealNext });
        cur.sealNext = false;
        return;
      case 'attachments':
        cur.block.items.push(unescapeMarkup(line));
        return;
      case 'letterhead':
        cur.block.lines.push(unescapeMarkup(line));
        return;
      case 'table':
        error(i, '::table 块内只能有表格行', 'only table rows may follow ::table');
        return;
      case 'window':
        error(
          i,
          '::window 块内只能有 ::from、::postcode、::address、::name',
          'only ::from, ::postcode, ::address and ::name may follow ::window',
        );
    }
  });
  close();
  return { blocks };
}

function parseRow(line: string, bad: () => never): { kind: TableRowKind; cells: string[] } {
  let kind: TableRowKind = 'body';
  let body = line.slice(1);
  if (body.startsWith('#')) {
    kind = 'header';
    body = body.slice(1);
  } else if (body.startsWith('=')) {
    kind = 'total';
    body = body.slice(1);
  }
  if (!body.endsWith('|') || body.endsWith('\\|')) bad();
  // Split on unescaped bars.
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length - 1; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      cur += c + body[i + 1];
      i++;
      continue;
    }
    if (c === '|') {
      cells.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  cells.push(cur);
  return { kind, cells: cells.map((c) => unescapeMarkup(c.trim())) };
}

/** Continuation lines join without a space, except between two Latin/digit characters. */
function joinParts(parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (out && /[A-Za-z0-9]$/.test(out) && /^[A-Za-z0-9]/.test(p)) out += ' ';
    out += p;
  }
  return unescapeMarkup(out);
}

/** Point an error at the template line that produced a rendered line (best effort: literal directive text). */
function locate(source: ParseSource, rawLine: string, lineIndex: number): string {
  const needle = rawLine.trim().split(/\s+/)[0] ?? '';
  if (source.templateSource && needle) {
    const idx = source.templateSource.split('\n').findIndex((l) => l.includes(needle));
    if (idx >= 0) return `${source.file}:${idx + 1}`;
  }
  return `${source.file} (rendered line ${lineIndex + 1})`;
}
