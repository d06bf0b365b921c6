/** A template version's manifest.json. The page style is data, so a template can choose it. */
import { z } from 'zod';
import { LETTER_KINDS } from '../schema/letter.js';

const mm = z.number().min(5).max(60);

export const pageStyleSchema = z.strictObject({
  size: z.literal('A4').default('A4'),
  marginsMm: z
    .strictObject({ top: mm, right: mm, bottom: mm, left: mm })
    .default({ top: 37, right: 26, bottom: 35, left: 28 }),
  bodySize: z.number().min(9).max(20).default(16),
  linePitch: z.number().min(10).max(40).default(28.95),
  titleSize: z.number().min(12).max(30).default(22),
  letterheadSize: z.number().min(10).max(30).default(18),
  smallSize: z.number().min(7).max(16).default(10.5),
  /** The letterhead's name and double rule, as #RRGGBB (a firm matches its printed letterhead). */
  letterheadColor: z
    .string()
    .regex(/^#[0-9A-Fa-f]{6}$/, { message: 'a colour as #RRGGBB, e.g. #B5121B' })
    .default('#B5121B'),
  /**
   * The seal over the date line: its diameter (42 mm is the usual round seal; 40 mm fits the
   * default pitch) and a shift from the centre of the date line, right and down, in mm.
   */
  seal: z
    .strictObject({
      diameterMm: z.number().min(30).max(50).default(40),
      offsetMm: z
        .strictObject({ x: z.number().min(-30).max(30).default(0), y: z.number().min(-30).max(30).default(0) })
        .default({ x: 0, y: 0 }),
    })
    .default({ diameterMm: 40, offsetMm: { x: 0, y: 0 } }),
});
export type PageStyle = z.output<typeof pageStyleSchema>;

export const manifestSchema = z.strictObject({
  kind: z.enum(LETTER_KINDS),
  version: z.number().int().min(1),
  title: z.string().min(1),
  description: z.string().default(''),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  status: z.enum(['active', 'retired']),
  /** Who signs: the creditor itself, or a law firm on its behalf. Drives PDF metadata and the registry. */
  sender: z.enum(['creditor', 'lawFirm']),
  style: pageStyleSchema.default(pageStyleSchema.parse({})),
  /** Input fields this version needs beyond the input contract (e.g. engagement.date): a 4xx naming the field when absent. */
  requires: z.array(z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)*$/)).default([]),
  /**
   * Free text this version prints, with its longest length in code points. Absent (versions
   * before 2): relief.note as the input contract allows. Present: only the fields listed.
   */
  freeText: z.strictObject({ 'relief.note': z.number().int().min(1).max(300).optional() }).optional(),
  /**
   * Optional parts of the input this version prints (from version 3): repayment plan options, the
   * previous letter; `plan-cost` (from demand@4, lawyer-letter@4, plan-confirmation@2): the cost of
   * a plan under which interest continues; `window` (issue 29): the addressee block for a window
   * envelope on page 1 of a posted letter (layout/window.ts). Absent: none.
   */
  prints: z.array(z.enum(['plans', 'previous', 'plan-cost', 'window'])).default([]),
  /**
   * Where the payment period counts from (issue 27). `issue` (absent, versions before it): the
   * day after the issue date, as their wording says. `receipt`: the day after the letter's
   * expected receipt for its delivery channel (rules/delivery.json); such a version requires `delivery`.
   */
  deadlineFrom: z.enum(['issue', 'receipt']).default('issue'),
  /**
   * What a version states (issues 27, 28): `basis` prints how interest and overdue interest were computed;
   * `plan-terms` states a plan's conditions (interest stops only while kept, acceleration only by the contract or as a plan term).
   */
  states: z.array(z.enum(['basis', 'credit-reporting', 'arbitration', 'plan-terms'])).default([]),
});
export type Manifest = z.output<typeof manifestSchema>;
