/** The letter as text for a terminal: title centred, paragraphs wrapped to the width, CJK counted as two columns. */

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd) || cp === 0x2014 || cp === 0x2026 || (cp >= 0x201c && cp <= 0x201d)
  );
}

/** Wraps at character boundaries, but never inside a run of Latin letters, digits and separators (numbers, IDs, URLs). */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let cur = indent;
  const tokens = text.match(/[A-Za-z0-9][A-Za-z0-9.,:/\-_%*]*|[\s\S]/gu) ?? [];
  for (const tok of tokens) {
    if (displayWidth(cur + tok) > width && cur.trim() !== '') {
      lines.push(cur.trimEnd());
      cur = '';
      if (tok.trim() === '') continue; // a space where the line breaks is not carried to the next line
    }
    cur += tok;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Lay out plain letter text (one block per line, as renderText gives it) for a terminal. */
export function formatForTerminal(text: string, title: string, width: number): string {
  const w = Math.max(30, Math.min(width, 100));
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === title) {
      const pad = Math.max(0, Math.floor((w - displayWidth(line)) / 2));
      out.push('', ' '.repeat(pad) + line, '');
    } else if (line.length > 20 && !line.includes('\t')) {
      out.push(...wrap(line, w, '    '));
    } else {
      out.push(line.replace(/\t/g, '    '));
    }
  }
  return out.join('\n');
}
