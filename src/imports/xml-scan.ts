/**
 * A small strict XML tokenizer for the parts of an XLSX workbook: one pass over the bytes, each
 * byte looked at a bounded number of times (every search starts where the last one ended), so
 * the cost is linear in the size of the part whatever it holds. Markup is ASCII, so the bytes
 * are searched for it directly and only text and attribute values are decoded, never the whole
 * part into one string.
 *
 * Strict where a spreadsheet never needs leniency: the part must be UTF-8; every element closed
 * by its own name, at most `maxDepth` deep; one root; attribute values quoted, without `<`, and
 * not repeated; references only to the five predefined entities and to characters XML may hold
 * (so `&#x110000;`, `&#0;` or `&#xD800;` are refused, never turned into a crash). A document
 * type declaration is refused outright: without one no entity can be declared, so there is
 * nothing to expand or fetch (XXE, billion laughs). Comments and processing instructions are
 * skipped; CDATA is text.
 */
import { isUtf8 } from 'node:buffer';

export interface XmlAttr {
  name: string;
  value: string;
}

export interface XmlHandler {
  /** An element starts; `selfClosing` elements get no close() call. `name` keeps any prefix (`x:row`). */
  open(name: string, attrs: XmlAttr[], selfClosing: boolean, at: number): void;
  close(name: string, at: number): void;
  /** Text between tags, references resolved (CDATA as it is). Whitespace-only text is passed too. */
  text(text: string, at: number): void;
  /**
   * Text with a bad reference or character, instead of text(): throw to stop (naming what holds
   * it), or return to drop the text and go on. Without it, the XmlError stops the scan.
   */
  badText?(error: XmlError): void;
}

/** A part that is not well-formed XML: the reason in both languages and the byte offset where it was found. */
export class XmlError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly at: number,
    /** A bad character or entity reference (named by the cell it is in), or bad structure. */
    readonly kind: 'reference' | 'structure' = 'structure',
  ) {
    super(en);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const EQ = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
/** Name characters of the ASCII range, and any byte of a multi-byte UTF-8 character (names in other scripts). */
const isNameByte = (b: number | undefined) =>
  b !== undefined &&
  ((b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x5f ||
    b === 0x3a ||
    b === 0x2d ||
    b === 0x2e ||
    b >= 0x80);
const isNameStart = (b: number | undefined) => isNameByte(b) && !(b! >= 0x30 && b! <= 0x39) && b !== 0x2d && b !== 0x2e;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Characters XML 1.0 cannot hold, raw or by reference (Char production). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Raw text as XML reads it: characters it may hold, line ends as \n (CR LF and CR alone; &#13; stays a CR). */
function checkChars(raw: string, at: number): string {
  if (NOT_XML_CHAR.test(raw))
    throw new XmlError('含有 XML 不允许的控制字符', 'holds a control character XML does not allow', at, 'reference');
  return raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
}

/** Resolves the references of `raw` (found at byte `at`); throws XmlError naming a bad one. */
export function resolveReferences(input: string, at: number): string {
  const raw = checkChars(input, at);
  if (!raw.includes('&')) return raw;
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    out += raw.slice(from, amp);
    // A reference is short: looking further for its ';' would rescan the text after every bare '&'.
    const near = raw.slice(amp, amp + 13).indexOf(';');
    const semi = near > 0 ? amp + near : -1;
    const body = semi > 0 ? raw.slice(amp + 1, semi) : null;
    const shown = body === null ? raw.slice(amp, amp + 12) : `&${body};`;
    let ch: string | undefined;
    if (body !== null && body[0] === '#') {
      const m = /^#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,8}))$/.exec(body);
      const cp = m ? (m[1] ? Number.parseInt(m[1], 16) : Number(m[2])) : -1;
      if (!m || !isXmlChar(cp))
        throw new XmlError(
          `含有无效的字符引用“${shown}”（不是 XML 允许的字符）`,
          `holds an invalid character reference "${shown}" (not a character XML allows)`,
          at,
          'reference',
        );
      ch = String.fromCodePoint(cp);
    } else if (body !== null) ch = ENTITIES[body];
    if (ch === undefined)
      throw new XmlError(
        `含有未定义的实体或未转义的 &：“${shown}”`,
        `holds an undefined entity or an unescaped &: "${shown}"`,
        at,
        'reference',
      );
    out += ch;
    from = semi + 1;
  }
  return out + raw.slice(from);
}

/** The 1-based line of a byte offset, for messages (counted once, when something is refused). */
export function lineAt(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

export interface ScanOptions {
  /** Elements open at once; a spreadsheet part needs fewer than 10. */
  maxDepth: number;
}

/** Scans `bytes` (one XML part), calling `handler` in document order; throws XmlError on the first fault. */
export function scanXml(input: Uint8Array, handler: XmlHandler, options: ScanOptions): void {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (!isUtf8(bytes)) throw new XmlError('不是有效的 UTF-8 编码', 'is not valid UTF-8', 0);
  const n = bytes.length;
  const str = (a: number, b: number) => bytes.toString('utf8', a, b);
  const fail = (zh: string, en: string, at: number): never => {
    throw new XmlError(zh, en, at);
  };
  const stack: string[] = [];
  let rootSeen = false;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;

  // Names and short attribute values repeat (row, c, r, t="s"): decoded once each, not once per use.
  // The table holds ASCII strings only (one byte, one character, as the comparison below assumes).
  const interned = new Map<number, string>();
  const intern = (a: number, b: number, hash: number): string => {
    const known = interned.get(hash);
    if (known !== undefined && known.length === b - a) {
      let k = a;
      while (k < b && known.charCodeAt(k - a) === bytes[k]) k++;
      if (k === b) return known;
    }
    const s = str(a, b);
    if (s.length === b - a && interned.size < 4096) interned.set(hash, s);
    return s;
  };
  const hashOf = (a: number, b: number): number => {
    let h = b - a;
    for (let k = a; k < b; k++) h = (Math.imul(h, 31) + bytes[k]!) | 0;
    return h;
  };
  const readName = (): string => {
    const start = i;
    if (!isNameStart(bytes[i])) fail('此处应为元素或属性名', 'a name was expected here', i);
    let h = 0;
    for (let b = bytes[i]; isNameByte(b); b = bytes[++i]) h = (Math.imul(h, 31) + b!) | 0;
    return i - start > 24 ? str(start, i) : intern(start, i, h);
  };
  const textOf = (raw: string, at: number, cdata = false) => {
    let text: string;
    try {
      text = cdata ? checkChars(raw, at) : resolveReferences(raw, at);
    } catch (e) {
      if (!(e instanceof XmlError) || !handler.badText) throw e;
      handler.badText(e);
      return;
    }
    handler.text(text, at);
  };
  const skipSpace = () => {
    while (isSpace(bytes[i])) i++;
  };

  while (i < n) {
    const lt = bytes.indexOf(LT, i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = str(i, textEnd);
      if (stack.length) textOf(raw, i);
      else if (raw.trim() !== '') fail('根元素之外有文字', 'text outside the root element', i);
      i = textEnd;
    }
    if (lt < 0) break;
    const at = lt;
    const next = bytes[lt + 1];
    if (next === 0x3f) {
      // <? … ?>: the XML declaration or a processing instruction.
      const end = bytes.indexOf('?>', lt + 2);
      if (end < 0) fail('处理指令没有结束', 'an unterminated processing instruction', at);
      i = end + 2;
    } else if (next === 0x21) {
      const head = str(lt, Math.min(n, lt + 9));
      if (head.startsWith('<!--')) {
        const end = bytes.indexOf('-->', lt + 4);
        if (end < 0) fail('注释没有结束', 'an unterminated comment', at);
        i = end + 3;
      } else if (head === '<![CDATA[') {
        if (!stack.length) fail('根元素之外有 CDATA', 'CDATA outside the root element', at);
        const end = bytes.indexOf(']]>', lt + 9);
        if (end < 0) fail('CDATA 没有结束', 'an unterminated CDATA section', at);
        textOf(str(lt + 9, end), lt + 9, true);
        i = end + 3;
      } else {
        // <!DOCTYPE …> (and any other declaration): entities could be declared there; a workbook never has one.
        fail('不允许文档类型声明（DOCTYPE/ENTITY）', 'a document type declaration (DOCTYPE/ENTITY) is not allowed', at);
      }
    } else if (next === SLASH) {
      i = lt + 2;
      const name = readName();
      skipSpace();
      if (bytes[i] !== GT) fail(`结束标签 </${name}> 格式错误`, `a malformed end tag </${name}>`, at);
      i++;
      const open = stack.pop();
      if (open !== name)
        fail(
          open === undefined ? `多余的结束标签 </${name}>` : `<${open}> 没有闭合（遇到 </${name}>）`,
          open === undefined ? `an end tag </${name}> without a start` : `<${open}> is not closed (found </${name}>)`,
          at,
        );
      handler.close(name, at);
    } else {
      i = lt + 1;
      const name = readName();
      if (!stack.length) {
        if (rootSeen) fail('有多个根元素', 'more than one root element', at);
        rootSeen = true;
      }
      const attrs: XmlAttr[] = [];
      let seen: Set<string> | undefined;
      for (;;) {
        const hadSpace = isSpace(bytes[i]);
        skipSpace();
        const b = bytes[i];
        if (b === GT || b === SLASH) break;
        if (b === undefined) fail(`<${name}> 标签没有结束`, `the tag <${name}> is not terminated`, at);
        if (!hadSpace) fail(`<${name}> 的属性之间缺少空格`, `attributes of <${name}> must be separated by spaces`, i);
        const attrAt = i;
        const attr = readName();
        skipSpace();
        if (bytes[i] !== EQ) fail(`<${name}> 的属性 ${attr} 缺少“=”`, `attribute ${attr} of <${name}> has no "="`, i);
        i++;
        skipSpace();
        const quote = bytes[i];
        if (quote !== QUOT && quote !== APOS)
          fail(`<${name}> 的属性 ${attr} 的值没有引号`, `attribute ${attr} of <${name}> is not quoted`, i);
        const end = bytes.indexOf(quote!, i + 1);
        if (end < 0)
          fail(`<${name}> 的属性 ${attr} 的值没有结束`, `attribute ${attr} of <${name}> is not terminated`, i);
        // One look at the value's bytes (not a search to the next '<' of the part, which would rescan it for
        // every attribute): '<' is refused; '&', white space, control and a few other characters send it the
        // slow way, which resolves references and checks every character.
        let plain = true;
        for (let k = i + 1; k < end; k++) {
          const b = bytes[k]!;
          if (b === LT) fail('属性值中不得有“<”', `"<" in the value of attribute ${attr}`, k);
          // 0xEF begins U+FFFE and U+FFFF (and other characters, which the slow way lets through).
          if (b < 0x20 || b === AMP || b === 0xef) plain = false;
        }
        // A tag of a few attributes is checked against them; a tag of many, against a set (linear either way).
        if (
          attrs.length < 8 ? attrs.some((a) => a.name === attr) : (seen ??= new Set(attrs.map((a) => a.name))).has(attr)
        )
          fail(`<${name}> 的属性 ${attr} 重复`, `attribute ${attr} repeated`, attrAt);
        seen?.add(attr);
        const raw = end - i - 1 > 24 ? str(i + 1, end) : intern(i + 1, end, hashOf(i + 1, end));
        // Attribute-value normalisation: white space characters read as spaces.
        const value = plain ? raw : resolveReferences(raw, i + 1).replace(/[\t\n\r]/g, ' ');
        attrs.push({ name: attr, value });
        i = end + 1;
      }
      const selfClosing = bytes[i] === SLASH;
      if (selfClosing) {
        i++;
        if (bytes[i] !== GT) fail(`<${name}> 标签格式错误`, `a malformed tag <${name}>`, at);
      }
      i++;
      if (!selfClosing) {
        if (stack.length >= options.maxDepth)
          fail(
            `元素嵌套超过 ${options.maxDepth} 层（<${name}>）：前面的元素没有闭合`,
            `elements nest deeper than ${options.maxDepth} (<${name}>): earlier elements are not closed`,
            at,
          );
        stack.push(name);
      }
      handler.open(name, attrs, selfClosing, at);
    }
  }
  if (stack.length) fail(`<${stack.at(-1)}> 没有闭合`, `<${stack.at(-1)}> is not closed`, n);
  if (!rootSeen) fail('没有根元素', 'no root element', n);
}
