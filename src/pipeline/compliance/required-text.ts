/**
 * What text a regular expression cannot match without: sets of strings such that every match
 * contains at least one string of each set (conduct.ts skips a pattern for a sentence that
 * lacks one). Why: V8 compiles a regular expression the first time it runs, and the conduct
 * patterns — vocabulary alternations with a negation-aware gap between them — took ~10 % of a
 * cold preview to compile (issue 31), while most sentences of a letter contain none of the words
 * a pattern needs, so most patterns need never run, nor be compiled.
 *
 * Sound by construction, for the syntax it reads: a literal must appear; a sequence needs what
 * each of its parts needs (and consecutive parts that match one of few strings, those strings
 * joined); an alternation needs one of what its branches need; a quantified part with minimum
 * ≥ 1 needs what the part needs; anything else (classes, escapes like \d or \p{…}, assertions,
 * lookarounds, optional parts) needs nothing. Syntax it does not read, or the i flag, gives no
 * requirement at all: the pattern then always runs.
 * test/pipeline/compliance/required-text.test.ts checks it against every match of every pattern
 * over the compliance corpus and over generated sentences.
 */

/** Every set must have one of its strings in the text; none: always run. */
export type Requirement = string[][];

/** The most strings a finite set of matches is kept to; beyond it, the set counts as unknown. */
const LIMIT = 64;

interface Info {
  /** The strings this part can match, when they are few ('' for a zero-width part), else null. */
  exact: string[] | null;
  /** Sets of which the part's match contains a string of each. */
  all: string[][];
}

const ZERO: Info = { exact: [''], all: [] };
const UNKNOWN: Info = { exact: null, all: [] };

const unique = (xs: string[]): string[] => [...new Set(xs)];

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > LIMIT) return null;
  return unique(a.flatMap((x) => b.map((y) => x + y)));
}

/** The most selective set of a part: its longest shortest string, then the fewest strings. */
function best(info: Info): string[] | null {
  const candidates = [...(info.exact && !info.exact.includes('') ? [info.exact] : []), ...info.all];
  let pick: string[] | null = null;
  let score = -1;
  for (const c of candidates) {
    const s = Math.min(...c.map((x) => x.length)) * 10_000 - c.length;
    if (s > score) {
      score = s;
      pick = c;
    }
  }
  return pick;
}

function sequence(items: Info[]): Info {
  const all: string[][] = [];
  for (const it of items) all.push(...it.all);
  let run: string[] = [''];
  const flush = () => {
    if (!run.includes('')) all.push(run);
    run = [''];
  };
  let exact: string[] | null = [''];
  for (const it of items) {
    exact = exact && it.exact ? product(exact, it.exact) : null;
    if (it.exact === null) {
      flush();
      continue;
    }
    const joined = product(run, it.exact);
    if (joined) run = joined;
    else {
      flush();
      run = it.exact;
    }
  }
  flush();
  return { exact, all: [...new Set(all)] }; // a group read once may be in several parts
}

function alternation(branches: Info[]): Info {
  if (branches.length === 1) return branches[0]!;
  let exact: string[] | null = branches.every((b) => b.exact) ? unique(branches.flatMap((b) => b.exact!)) : null;
  if (exact && exact.length > LIMIT) exact = null;
  const picks = branches.map(best);
  return { exact, all: picks.every((p) => p) ? [unique(picks.flatMap((p) => p!))] : [] };
}

function repeat(x: Info, min: number, max: number): Info {
  if (min === 0) return { exact: max === 1 && x.exact ? unique([...x.exact, '']) : null, all: [] };
  let exact: string[] | null = null;
  if (min === max && x.exact) {
    exact = [''];
    for (let k = 0; k < min && exact; k++) exact = product(exact, x.exact);
  }
  const own = x.exact && !x.exact.includes('') ? [x.exact] : [];
  return { exact, all: [...x.all, ...own] };
}

class Unreadable extends Error {}

/** What each group's text needs, whatever pattern it is in. */
const groups = new Map<string, Info>();

/** A reader of the syntax of a u-flag pattern; throws Unreadable for what it does not know. */
class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  pattern(): Info {
    const info = this.alternation();
    if (this.i !== this.s.length) throw new Unreadable();
    return info;
  }

  private peek(k = 0): string | undefined {
    return this.s[this.i + k];
  }

  private eat(text: string): boolean {
    if (!this.s.startsWith(text, this.i)) return false;
    this.i += text.length;
    return true;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.eat('|')) branches.push(this.sequence());
    return alternation(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.i < this.s.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.term());
    return sequence(items);
  }

  private term(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    if (atom === ZERO) throw new Unreadable(); // a quantified assertion: not valid with the u flag
    return repeat(atom, q.min, q.max);
  }

  private quantifier(): { min: number; max: number } | null {
    let q: { min: number; max: number } | null = null;
    const c = this.peek();
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
      if (!m) throw new Unreadable();
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
      this.i += m[0].length - 1;
    }
    if (!q) return null;
    this.i++;
    this.eat('?'); // lazy or greedy: the same text is needed
    return q;
  }

  private atom(): Info {
    const c = this.peek();
    if (c === undefined) throw new Unreadable();
    if (c === '(') return this.group();
    if (c === '[') {
      this.charClass();
      return UNKNOWN;
    }
    if (c === '.') {
      this.i++;
      return UNKNOWN;
    }
    if (c === '^' || c === '$') {
      this.i++;
      return ZERO;
    }
    if (c === '\\') return this.escape();
    if ('*+?{}]'.includes(c)) throw new Unreadable();
    const ch = String.fromCodePoint(this.s.codePointAt(this.i)!);
    this.i += ch.length;
    return { exact: [ch], all: [] }; // a sequence joins it with its neighbours
  }

  /** Where the group opened at `start` closes. */
  private closing(start: number): number {
    let depth = 0;
    for (let i = start; i < this.s.length; i++) {
      const c = this.s[i];
      if (c === '\\') i++;
      else if (c === '[') {
        for (i++; i < this.s.length && this.s[i] !== ']'; i++) if (this.s[i] === '\\') i++;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
    }
    throw new Unreadable();
  }

  private group(): Info {
    // The same groups (a vocabulary list, the gap) recur in many patterns: each is read once.
    const start = this.i;
    const end = this.closing(start);
    const text = this.s.slice(start, end + 1);
    const known = groups.get(text);
    if (known) {
      this.i = end + 1;
      return known;
    }
    const info = this.readGroup();
    if (this.i !== end + 1) throw new Unreadable();
    if (groups.size >= 10_000) groups.clear();
    groups.set(text, info);
    return info;
  }

  private readGroup(): Info {
    this.i++; // (
    let lookaround = false;
    if (this.eat('?')) {
      if (this.eat(':')) lookaround = false;
      else if (this.eat('=') || this.eat('!') || this.eat('<=') || this.eat('<!')) lookaround = true;
      else if (this.eat('<')) {
        const m = /^[A-Za-z_$][\w$]*>/.exec(this.s.slice(this.i));
        if (!m) throw new Unreadable();
        this.i += m[0].length;
      } else throw new Unreadable();
    }
    const inner = this.alternation();
    if (!this.eat(')')) throw new Unreadable();
    return lookaround ? ZERO : inner;
  }

  private charClass(): void {
    this.i++; // [
    while (this.i < this.s.length && this.peek() !== ']') {
      if (this.peek() === '\\') this.escape();
      else this.i += String.fromCodePoint(this.s.codePointAt(this.i)!).length;
    }
    if (!this.eat(']')) throw new Unreadable();
  }

  private escape(): Info {
    this.i++; // \
    const c = this.peek();
    if (c === undefined) throw new Unreadable();
    this.i++;
    if (c === 'b' || c === 'B') return ZERO;
    if ('dDwWsS'.includes(c)) return UNKNOWN;
    if (c === 'p' || c === 'P') {
      const end = this.s.indexOf('}', this.i);
      if (this.peek() !== '{' || end < 0) throw new Unreadable();
      this.i = end + 1;
      return UNKNOWN;
    }
    if (c === 'k' || (c >= '1' && c <= '9')) throw new Unreadable(); // backreferences
    const controls: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
    let ch: string;
    if (controls[c]) ch = controls[c];
    else if (c === '0' && !/\d/.test(this.peek() ?? '')) ch = '\0';
    else if (c === 'u' || c === 'x' || c === 'c') {
      const m =
        c === 'u'
          ? /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{4}))/.exec(this.s.slice(this.i))
          : c === 'x'
            ? /^([0-9A-Fa-f]{2})/.exec(this.s.slice(this.i))
            : null;
      if (!m) throw new Unreadable();
      this.i += m[0].length;
      ch = String.fromCodePoint(Number.parseInt(m[1] ?? m[2]!, 16));
    } else if (/[\^$\\.*+?()[\]{}|/-]/.test(c)) ch = c;
    else throw new Unreadable();
    return { exact: [ch], all: [] };
  }
}

/** A set without the strings that contain another of it: containing one means containing the other. */
function minimal(set: string[]): string[] {
  const all = new Set(set);
  return [...all].filter((s) => {
    for (let a = 0; a < s.length; a++)
      for (let b = a + 1; b <= s.length; b++) if (b - a < s.length && all.has(s.slice(a, b))) return false;
    return true;
  });
}

/**
 * The analysis itself, as text: part of the name a requirement is kept under in the disk cache
 * (conduct-rules.ts), so that a change to how requirements are found never reads one found
 * the old way.
 */
export const ANALYSIS = (): string =>
  [LIMIT, unique, product, best, sequence, alternation, repeat, Reader, minimal, requiredText, ZERO, UNKNOWN]
    .map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)))
    .join('\n');

/** What any match of `re` contains (see above); [] when nothing is known. */
export function requiredText(re: RegExp): Requirement {
  if (re.flags.includes('i') || !re.flags.includes('u')) return [];
  let info: Info;
  try {
    info = new Reader(re.source).pattern();
  } catch (e) {
    if (e instanceof Unreadable) return [];
    throw e;
  }
  const sets = [...info.all, ...(info.exact ? [info.exact] : [])]
    .filter((set) => set.length && !set.includes(''))
    .map((set) => minimal(set).sort());
  // A set every string of another set contains a string of says nothing more: dropped.
  const implied = (weak: string[], strong: string[]) => strong.every((t) => weak.some((w) => t.includes(w)));
  const kept: string[][] = [];
  sets.forEach((set, i) => {
    const redundant = sets.some(
      (other, j) => j !== i && implied(set, other) && (!implied(other, set) || j < i), // of two equivalent sets, the first stays
    );
    if (!redundant) kept.push(set);
  });
  return kept;
}

/**
 * Many patterns' requirements, checked together in one pass over a text: each required string
 * is looked for once, from an index by its first character.
 */
export class RequiredText {
  private readonly strings: string[] = [];
  private readonly setsOf: number[][] = [];
  private readonly byFirst = new Map<number, number[]>();
  private sets = 0;
  /** Per pattern, the ids of its sets. */
  private readonly needs: number[][] = [];

  constructor(requirements: Requirement[]) {
    const ids = new Map<string, number>();
    for (const requirement of requirements) {
      const own: number[] = [];
      for (const set of requirement) {
        const setId = this.sets++;
        own.push(setId);
        for (const s of set) {
          let id = ids.get(s);
          if (id === undefined) {
            id = this.strings.length;
            ids.set(s, id);
            this.strings.push(s);
            this.setsOf.push([]);
            const first = s.charCodeAt(0);
            const list = this.byFirst.get(first);
            if (list) list.push(id);
            else this.byFirst.set(first, [id]);
          }
          this.setsOf[id]!.push(setId);
        }
      }
      this.needs.push(own);
    }
  }

  /** Which patterns (by their index in the constructor's list) may match `text`. */
  scan(text: string): (pattern: number) => boolean {
    const met = new Uint8Array(this.sets);
    for (let i = 0; i < text.length; i++) {
      const candidates = this.byFirst.get(text.charCodeAt(i));
      if (!candidates) continue;
      for (const id of candidates)
        if (text.startsWith(this.strings[id]!, i)) for (const set of this.setsOf[id]!) met[set] = 1;
    }
    return (pattern) => this.needs[pattern]!.every((set) => met[set] === 1);
  }
}
