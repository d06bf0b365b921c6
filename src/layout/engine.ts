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
 */
export const LAYOUT_ENGINE_VERSION = 3;
