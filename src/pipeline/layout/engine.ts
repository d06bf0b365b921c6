/**
 * The layout engine version. It changes whenever the same document model, template version
 * and fonts would be laid out differently (line breaks, spacing), so an issued letter's bytes
 * can be reproduced only by the engine that made them. Recorded in every PDF's metadata and
 * in every registry record; `registry check` re-renders only letters of the current engine.
 *
 * 1: greedy line breaking, slack spread per line (until 2026-11).
 * 2: total-fit paragraph breaking with punctuation compression and no 孤字 (issue 16).
 * 3: the same lines, written differently (issue 16, speed): a font subset per template for its
 *    fixed characters plus one per letter for the rest, text as BT/TJ with fewer decimals.
 * 4: the same lines and glyphs, stored smaller and faster (issue 16, speed and size): the seal's
 *    colour plane flattened to its ink within 2/255 (pdf/seal.ts), the per-letter font subset
 *    stored without deflate (outlines deflate by ~14 % for half a millisecond).
 * 5: the same lines and glyphs, written faster (issue 16, speed): page content streams deflated
 *    at level 1 instead of pdfkit's 6, a letter's own ToUnicode CMap stored without deflate.
 * 6: different lines (issue 31): a number keeps its unit and its 第 ("12,444.00元", "第0140号"),
 *    a masked number is one identifier, a date parts only between 年/月/日 and only to avoid a
 *    loose line; slack goes to clreq's adjustable spaces (script changes, punctuation) before
 *    ideographs move apart, and marks inside a line may give up their blank halves (挤压);
 *    page ends: a page is set up to 4 % tighter rather than end more than two lines early or
 *    leave a last page of a line or two, and the 附件 list keeps with the sign-off.
 */
export const LAYOUT_ENGINE_VERSION = 6;
