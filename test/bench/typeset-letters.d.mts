/** Types for typeset-letters.mjs (plain JavaScript, so the benches run it without a build). */
export const HELD_OUT_SEED: number;
export function generateVariedLetters(n: number, seed?: number): Record<string, any>[];
