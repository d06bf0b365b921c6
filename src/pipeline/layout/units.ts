/**
 * Splitting text into the units a line may break between (typesetting.md "Lines"):
 * each Han character or mark is a unit (surrogate pairs kept whole); Latin words, numbers
 * with separators, identifiers and dates are one unit; "……" and "——" are one unit.
 */
export const NO_LINE_START = new Set([...'，。、；：？！）］｝〕〉》」』】”’…—％‰℃·,.;:?!)]}%']);
export const NO_LINE_END = new Set([...'（［｛〔〈《「『【“‘([{¥$']);

/** Full-width marks whose ink sits in the left half (blank right) and in the right half (blank left), in the SC face. */
const BLANK_RIGHT = new Set([...'，。、；：！？）］｝〕〉》」』】”’']);
const BLANK_LEFT = new Set([...'（［｛〔〈《「『【“‘']);

export interface Unit {
  text: string;
  /** Code points, to place per-glyph gaps. */
  chars: string[];
  width: number;
  /**
   * Space taken back after this unit when another unit follows it on the line: adjacent
   * full-width punctuation is set half-width (标点挤压, clreq 3.1.6), so "”）" or "。”" do
   * not leave a full em of white between their marks.
   */
  squeeze: number;
  /**
   * Space a line may take back when this unit ends it (a closing mark set half-width at the
   * line end) or starts it (an opening mark set half-width at the line start): the shrink the
   * total-fit breaker may use, never applied unless a line needs it.
   */
  endShrink: number;
  startShrink: number;
  /**
   * Space this mark may give up inside a line when the line is too long by a little: its blank
   * half (clreq 3.5 挤压处理 of 标点符号的调整空间), used after the line-end and line-start
   * marks' and at a higher cost. Zero for a mark already squeezed against its neighbour.
   */
  midShrink: number;
  space: boolean;
  noStart: boolean;
  noEnd: boolean;
  /**
   * What a break before this unit costs on top of the lines' own demerits (totalfit.ts): 0
   * for an ordinary break, DATE_BREAK between the parts of a date ("2026年 / 12月15日"),
   * which total-fit takes only where every other choice stretches a line past 0.25 em.
   */
  penalty: number;
  /**
   * Room the gap before this unit has to grow before the space between ideographs does (pt):
   * clreq's adjustable spaces (行内调整). A change of script (an ideograph beside a number or a
   * Latin word) may take up to SCRIPT_GAP_EM, the blank half of a punctuation mark up to
   * PUNCTUATION_GAP_EM. Used only when a line has slack to spread (totalfit.ts).
   */
  adjust: number;
}

/**
 * clreq and JIS X 4051 set a quarter em between Han and Western text and let it grow to half
 * an em when a line is justified; here there is none unless a line has slack to spread.
 */
export const SCRIPT_GAP_EM = 0.5;
/** How much a punctuation mark's blank half may grow when a line is justified (clreq 3.1.6.1). */
export const PUNCTUATION_GAP_EM = 0.25;

/** Demerits of breaking a date between its 年, 月 and 日 parts: less than one loose line (totalfit.ts LOOSE). */
export const DATE_BREAK = 1e6;

const WORD_CHAR = /[A-Za-z0-9]/;
const WORD_JOINER = /[.,\-/:_'’@+#]/;
const DIGIT = /[0-9]/;
/**
 * What may follow a number as its unit ("12,444.00元", "29天", "第0140号", "3个月", "30号楼"):
 * bound to the number, so a line never ends "截至2026年12" and the next begins "月15日".
 * Longer units first.
 */
const UNITS_AFTER_NUMBER = [
  '个工作日',
  '个月',
  '工作日',
  '周岁',
  '万元',
  '亿元',
  ...'年月日号条款项天元角万亿千百个期次倍岁时分秒页份笔名位张件户周届级楼层室',
];
const DATE_PART = /^[0-9]+[年月日]$/;

/** One unit's text and the cost of a break before it (see Unit.penalty). */
export interface Piece {
  text: string;
  penalty: number;
}

/**
 * The units of `text`, as strings: Han characters one each, Latin words and numbers (with
 * their separators, a trailing %, a leading 第 and a following unit) one each; a date's parts
 * ("2026年", "12月", "15日") are units of their own, joined by a penalty (splitPieces).
 */
export function splitUnits(text: string): string[] {
  return splitPieces(text).map((p) => p.text);
}

export function splitPieces(text: string): Piece[] {
  const cps = [...text];
  const out: Piece[] = [];
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if ((c === '…' || c === '—') && cps[i + 1] === c) {
      out.push({ text: c + c, penalty: 0 });
      i += 2;
      continue;
    }
    if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < cps.length) {
        const d = cps[j]!;
        if (WORD_CHAR.test(d)) j++;
        else if (WORD_JOINER.test(d) && j + 1 < cps.length && WORD_CHAR.test(cps[j + 1]!)) j += 2;
        else if (d === '*') {
          // A masked number ("110105********1239", "138****8000") is one identifier.
          let k = j;
          while (cps[k] === '*') k++;
          if (k < cps.length && WORD_CHAR.test(cps[k]!)) j = k + 1;
          else break;
        } else break;
      }
      // A trailing percent sign belongs to its number ("0.05%").
      if (cps[j] === '%' || cps[j] === '％') j++;
      let word = cps.slice(i, j).join('');
      // A number takes its unit along ("12,444.00元", "7日", "第0140号"), and its 第.
      if (DIGIT.test(cps[j - 1]!)) {
        const rest = cps.slice(j, j + 4).join('');
        const unit = UNITS_AFTER_NUMBER.find((u) => rest.startsWith(u));
        if (unit) {
          word += unit;
          j += [...unit].length;
        }
        const prev = out.at(-1);
        if (prev?.text === '第' && DIGIT.test(c)) {
          out.pop();
          word = `第${word}`;
        }
      }
      // The parts of a date ("2026年 12月 15日", "15日 24时") part only at a price.
      const prev = out.at(-1)?.text;
      const dated = prev !== undefined && DATE_PART.test(prev) && /^[0-9]+[月日时]$/.test(word);
      out.push({ text: word, penalty: dated ? DATE_BREAK : 0 });
      i = j;
      continue;
    }
    out.push({ text: c, penalty: 0 });
    i++;
  }
  return out;
}

const LATIN_OR_DIGIT = /[A-Za-z0-9%％]/;
const HAN = /\p{Script=Han}/u;

/** Room (em) the gap between characters `a` and `b` may grow before ideographs move apart. */
function adjustableEm(a: string, b: string): number {
  if (!a) return 0;
  if ((LATIN_OR_DIGIT.test(b) && HAN.test(a)) || (HAN.test(b) && LATIN_OR_DIGIT.test(a))) return SCRIPT_GAP_EM;
  const marks = (c: string) => BLANK_RIGHT.has(c) || BLANK_LEFT.has(c);
  // After a closing mark, before an opening one: the mark's blank half; never between two marks (squeezed).
  if ((BLANK_RIGHT.has(a) && !marks(b)) || (BLANK_LEFT.has(b) && !marks(a))) return PUNCTUATION_GAP_EM;
  return 0;
}

export function makeUnits(text: string, measure: (s: string) => number, em = 0): Unit[] {
  let before = '';
  const units: Unit[] = splitPieces(text).map(({ text: t, penalty }) => {
    const chars = [...t];
    const first = chars[0]!;
    const adjust = em * adjustableEm(before, first);
    before = chars[chars.length - 1]!;
    return {
      text: t,
      chars,
      width: measure(t),
      squeeze: 0,
      endShrink: em > 0 && BLANK_RIGHT.has(t) ? em / 2 : 0,
      startShrink: em > 0 && BLANK_LEFT.has(t) ? em / 2 : 0,
      midShrink: 0,
      space: t === ' ',
      noStart: NO_LINE_START.has(first),
      noEnd: NO_LINE_END.has(chars[chars.length - 1]!),
      penalty,
      adjust,
    };
  });
  if (em > 0) {
    for (let i = 0; i + 1 < units.length; i++) {
      const a = units[i]!.text;
      const b = units[i + 1]!.text;
      // A closing mark before any mark, or an opening mark before an opening mark: the blank halves meet.
      if (
        (BLANK_RIGHT.has(a) && (BLANK_RIGHT.has(b) || BLANK_LEFT.has(b))) ||
        (BLANK_LEFT.has(a) && BLANK_LEFT.has(b))
      ) {
        units[i]!.squeeze = em / 2;
      }
    }
    // A mark's blank half may still give way inside a line, unless a squeeze took it already.
    units.forEach((u, i) => {
      const squeezedBefore = i > 0 && units[i - 1]!.squeeze > 0 && BLANK_LEFT.has(u.text);
      if ((BLANK_RIGHT.has(u.text) || BLANK_LEFT.has(u.text)) && u.squeeze === 0 && !squeezedBefore)
        u.midShrink = em / 2;
    });
  }
  return units;
}
