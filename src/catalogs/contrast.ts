/**
 * Colours a template may set must show on the page (issue 32: letterheadColor "#FFFFFF" printed
 * an invisible letterhead whose text was still in the PDF). WCAG 2's contrast ratio against the
 * white page, at least 4.5 — what WCAG asks of body text (AA) — for every #RRGGBB the manifest's
 * style holds, today's letterheadColor and any colour added later.
 */

/** The page a letter is printed on. */
export const PAGE_COLOUR = '#FFFFFF';
export const MIN_CONTRAST = 4.5;

/** WCAG 2 relative luminance of #RRGGBB. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** (lighter + 0.05) / (darker + 0.05): 1 for the same colour, 21 for black on white. */
export function contrastRatio(a: string, b: string = PAGE_COLOUR): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Every colour of a manifest's style (by its dotted path) that does not reach MIN_CONTRAST on the page. */
export function faintColours(style: unknown, path = 'style'): { path: string; colour: string; ratio: number }[] {
  if (typeof style === 'string')
    return /^#[0-9A-Fa-f]{6}$/.test(style) && contrastRatio(style) < MIN_CONTRAST
      ? [{ path, colour: style, ratio: contrastRatio(style) }]
      : [];
  if (style && typeof style === 'object')
    return Object.entries(style).flatMap(([k, v]) => faintColours(v, `${path}.${k}`));
  return [];
}
