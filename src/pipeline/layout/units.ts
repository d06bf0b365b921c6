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
  space: boolean;
  noStart: boolean;
  noEnd: boolean;
}

const WORD_CHAR = /[A-Za-z0-9]/;
const WORD_JOINER = /[.,\-/:_'’@+#]/;

export function splitUnits(text: string): string[] {
  const cps = [...text];
  const out: string[] = [];
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if ((c === '…' || c === '—') && cps[i + 1] === c) {
      out.push(c + c);
      i += 2;
      continue;
    }
    if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < cps.length) {
        const d = cps[j]!;
        if (WORD_CHAR.test(d)) j++;
        else if (WORD_JOINER.test(d) && j + 1 < cps.length && WORD_CHAR.test(cps[j + 1]!)) j += 2;
        else break;
      }
      // A trailing percent sign belongs to its number ("0.05%").
      if (cps[j] === '%' || cps[j] === '％') j++;
      out.push(cps.slice(i, j).join(''));
      i = j;
      continue;
    }
    out.push(c);
    i++;
  }
  return out;
}

export function makeUnits(text: string, measure: (s: string) => number, em = 0): Unit[] {
  const units: Unit[] = splitUnits(text).map((t) => {
    const chars = [...t];
    return {
      text: t,
      chars,
      width: measure(t),
      squeeze: 0,
      endShrink: em > 0 && BLANK_RIGHT.has(t) ? em / 2 : 0,
      startShrink: em > 0 && BLANK_LEFT.has(t) ? em / 2 : 0,
      space: t === ' ',
      noStart: NO_LINE_START.has(chars[0]!),
      noEnd: NO_LINE_END.has(chars[chars.length - 1]!),
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
  }
  return units;
}
