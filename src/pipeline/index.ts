/**
 * The facade: validate → compose → check glyphs → lay out → PDF. The CLI, the HTTP service
 * and the registry go through here and never reach into a stage.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { VERSION } from '../shared/version.js';
import { type ComposedLetter, type ComposeOptions, composeLetter } from './compose.js';
import { getCalendar } from './facts/calendar.js';
import { letterDeadline } from './facts/deadline.js';
import type { Warning } from './facts/derive.js';
import { fenToYuan } from './facts/format.js';
import { planCostBase } from './facts/plan-facts.js';
import { type PlanSchedule, planOptions } from './facts/plan-schedule.js';
import { layoutDocument } from './layout/document.js';
import { LAYOUT_ENGINE_VERSION } from './layout/engine.js';
import { getFonts } from './layout/fonts.js';
import { geometryOf } from './layout/geometry.js';
import { documentMissingGlyphs, glyphMissingError } from './layout/glyphs.js';
import { addVerification, type Verification } from './layout/verification.js';
import type { Block } from './markup/model.js';
import { renderPdf } from './pdf/render.js';
import { stringFields } from './schema/fields-with.js';
import { KIND_TITLES } from './schema/kinds.js';
import { type LetterKind, letterSchema } from './schema/letter.js';
import { type LetterData, type ValidateOptions, type ValidationResult, validateLetter } from './schema/validate.js';
import { type SealSource, sealFor } from './seals.js';
import { attachmentsOf } from './templates/attachments.js';
import { type Catalog, type FirmStatus, getCatalog, type TemplateVersion } from './templates/catalog.js';
import { fixedTextOf } from './templates/fixed-text.js';
import { resolveTemplate } from './templates/resolve.js';

export { type AttachedFile, appendPages, attachablePages } from './attach-pages.js';
export { findConduct } from './compliance/conduct.js';
export { type ConductRules, getConductRules, loadConductRules, parseConductRules } from './compliance/conduct-rules.js';
export { checkFreeText } from './compliance/free-text.js';
export { planRateOverCap } from './compliance/plan-cost-cap.js';
// What organisations' own catalogues (catalogs/) are loaded, linted and locked with.
export { composeLetter, templateDraftError } from './compose.js';
export { addNotice, calendarOf, dayKind, getCalendar, isRestDay, loadCalendar } from './facts/calendar.js';
export { deadlineAfterDelivery, expectedReceipt, getDeliveryRules, letterDeadline } from './facts/deadline.js';
export { fenToFigures, fenToYuan, yuanToFigures } from './facts/format.js';
export { computeFigures, type FigureLine, type Figures } from './facts/interest.js';
export { effectiveRate, planCost, unpaidPrincipal } from './facts/plan-cost.js';
export { type PlanSchedule, type PlanTerms, planOptions, planRateBp, planSchedule } from './facts/plan-schedule.js';
export { figuresOf, reconcileFigures } from './facts/reconcile.js';
export { conservativeRestDays, statutoryHolidays } from './facts/statutory.js';
export { LAYOUT_ENGINE_VERSION } from './layout/engine.js';
// Render pools share the font files' bytes with their worker threads (one copy, not one per worker).
export { adoptFontBytes, type FontBytes, RENDER_WORKER_LIMITS, sharedFontBytes } from './layout/fonts.js';
export type { Verification } from './layout/verification.js';
export type { Block } from './markup/model.js';
export { getPolicy, loadPolicy, type Policy, parsePolicy } from './policy/policy.js';
export {
  type Recommendation,
  type RecommendResult,
  recommendationInputSchema,
  recommendLetter,
} from './policy/recommend.js';
export { checkInputBounds, INPUT_LIMITS } from './schema/bounds.js';
export { KIND_TITLES, kindTitle } from './schema/kinds.js';
// The zod schemas a published contract (OpenAPI) is generated from.
export {
  COLLECTION_KINDS,
  type CollectionKind,
  LETTER_KINDS,
  type LetterKind,
  planTermsSchema,
} from './schema/letter.js';
export { LETTER_PARTS, letterSchemaFor } from './schema/variants.js';
export {
  ATTACHMENT_KINDS,
  type AttachmentKind,
  attachmentKind,
  attachmentProblems,
  attachmentsOf,
  listsMandate,
  templateListsMandate,
} from './templates/attachments.js';
export { type Branch, listBranches } from './templates/branches.js';
export {
  type Catalog,
  FIRM_PREFIX,
  type FirmStatus,
  getCatalog as builtInCatalog,
  loadVersion,
  type TemplateVersion,
} from './templates/catalog.js';
export {
  changedFiles,
  FIRM_LOCK_FILE,
  type FirmLock,
  hashFirmVersion,
  type LockEntry,
  readFirmLock,
  writeFirmLock,
} from './templates/firm-lock.js';
export { lintTemplateAt } from './templates/helper-paths.js';
export { manifestSchema } from './templates/manifest.js';

/** The input contract as JSON Schema (draft 2020-12), generated from the zod schema that validates it. */
let jsonSchema: Record<string, unknown> | undefined;
export function inputJsonSchema(): Record<string, unknown> {
  if (!jsonSchema) {
    const { $schema: _, ...rest } = z.toJSONSchema(letterSchema, {
      io: 'input',
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as Record<string, unknown>;
    jsonSchema = rest;
  }
  return jsonSchema;
}

/** One template version (`kind@version` or, in an organisation's catalogue, `firm:kind@version`): manifest and example, or null. */
export function templateDetails(kind: string, version: string | number, catalog: Catalog = getCatalog()) {
  const v = catalog.versions.find((t) => t.id === `${kind}@${version}`);
  return v ? { id: v.id, manifest: v.manifest, example: v.example, ...templateOrigin(v) } : null;
}

/** Built-in, or an organisation's own version with its release status. */
export function templateOrigin(v: TemplateVersion): {
  origin: 'built-in' | 'firm';
  status: 'active' | 'retired' | FirmStatus;
} {
  return v.firm ? { origin: 'firm', status: v.firm.status } : { origin: 'built-in', status: v.manifest.status };
}

/** A complete letter input (the reminder example) for warming up a renderer before real traffic. */
export function warmupInput(): unknown {
  return templateDetails('reminder', 1)!.example;
}

export function templatesLoaded(): number {
  return getCatalog().versions.length;
}

export interface RenderOptions extends ComposeOptions {
  /** Seal images per sender (operator configuration). No seal is drawn for a sender without one. */
  seals?: SealSource;
  /** Issued letters: the verification code and URL printed with a QR code (set by the registry). */
  verification?: Verification;
  /** A preview's mark across every page, instead of 预览 · 草稿 (a seal's specimen letter says 样本). */
  mark?: string;
}

export interface RenderResult {
  pdf: Buffer;
  text: string;
  template: { kind: string; version: number; id: string };
  /** sha256 of the PDF bytes. */
  sha256: string;
  /** sha256 of the normalised input. */
  inputSha256: string;
  letterNo: string | null;
  warnings: Warning[];
  pages: number;
  /** The seal image drawn (PNG), or null: the registry keeps it so a re-render uses the very same seal. */
  seal: Buffer | null;
  /** The layout engine that set it (also in the PDF's Info dictionary as HanjianLayoutEngine). */
  engine: number;
  /** The entries of the letter's 附件 list as printed: the registry appends the mandate when one names it. */
  attachments: string[];
}

export const DRAFT_MARK = '预览 · 草稿';
/** The mark of a preview made with a firm's draft version: its wording is not released yet. */
export const DRAFT_TEMPLATE_MARK = '草稿模板 · DRAFT';

export function validate(input: unknown, options?: ValidateOptions): ValidationResult {
  return validateLetter(input, options);
}

/** The letter as plain text, from the same document model the PDF is drawn from. Throws like renderLetter. */
export function renderText(input: unknown, options: ComposeOptions = {}): string {
  return composeText(input, options).text;
}

/** The text with its warnings and template, for the CLI's --text; `blocks` lets a terminal lay it out as the PDF does. */
export function composeText(
  input: unknown,
  options: ComposeOptions = {},
): { text: string; blocks: Block[]; warnings: Warning[]; template: { kind: string; version: number; id: string } } {
  const c = composeLetter(input, options);
  return { text: c.text, blocks: c.document.blocks, warnings: c.warnings, template: templateRef(c) };
}

export async function renderLetter(input: unknown, options: RenderOptions = {}): Promise<RenderResult> {
  return render(input, options, false);
}

export async function previewLetter(input: unknown, options: RenderOptions = {}): Promise<RenderResult> {
  return render(input, { ...options, preview: true }, true);
}

async function render(input: unknown, options: RenderOptions, draft: boolean): Promise<RenderResult> {
  const c = composeLetter(input, options);
  const fonts = getFonts();
  const missing = documentMissingGlyphs(c.document, fonts);
  if (missing.length) {
    // Name the input fields that hold a missing character, where it came from the input.
    throw glyphMissingError(
      missing,
      stringFields(c.data).filter((f) => missing.some((ch) => f.value.includes(ch))),
    );
  }
  const laid = layoutDocument(c.document, c.template.manifest.style, fonts);
  if (options.verification) addVerification(laid, geometryOf(c.template.manifest.style), fonts, options.verification);
  const sender = senderOf(c);
  const seal = sealFor(options.seals, sender);
  const pdf = await renderPdf(
    laid,
    fonts,
    {
      title: [KIND_TITLES[c.data.kind], c.facts.letterNo].filter(Boolean).join(' '),
      author: sender,
      subject: `${KIND_TITLES[c.data.kind]} (${c.data.kind})`,
      keywords: `hanjian; template=${c.template.id}; layout-engine=${LAYOUT_ENGINE_VERSION}; input-sha256=${c.inputSha256}${draft ? '; draft' : ''}`,
      producer: `hanjian ${VERSION}`,
      layoutEngine: LAYOUT_ENGINE_VERSION,
      creationDate: shanghaiMidnight(c.data.issueDate),
    },
    {
      seal,
      draft: draft ? (c.template.firm?.status === 'draft' ? DRAFT_TEMPLATE_MARK : (options.mark ?? DRAFT_MARK)) : null,
      fixedChars: fixedTextOf(c.template),
    },
  );
  return {
    pdf,
    seal,
    text: c.text,
    template: templateRef(c),
    sha256: createHash('sha256').update(pdf).digest('hex'),
    inputSha256: c.inputSha256,
    letterNo: c.facts.letterNo,
    warnings: [...c.warnings, ...laid.warnings],
    pages: laid.pages.length,
    engine: LAYOUT_ENGINE_VERSION,
    attachments: attachmentsOf(c.document),
  };
}

export function senderOf(c: ComposedLetter): string {
  return c.template.manifest.sender === 'lawFirm' && c.data.lawFirm ? c.data.lawFirm.name : c.data.creditor.name;
}

/** `id` differs from kind@version for an organisation's own version (firm:kind@version). */
function templateRef(c: ComposedLetter) {
  return { kind: c.template.manifest.kind, version: c.template.manifest.version, id: c.template.id };
}

/** The issue date at 00:00 in Asia/Shanghai (UTC+8, no DST). */
function shanghaiMidnight(iso: string): Date {
  return new Date(`${iso}T00:00:00+08:00`);
}

/** The template version a validated letter resolves to (pinned, or in effect on its issue date), in a catalogue (default: the built-in one). */
export function resolveTemplateVersion(data: LetterData, catalog: Catalog = getCatalog()): TemplateVersion {
  return resolveTemplate(catalog, data.kind, data.issueDate, data.template);
}

export function resolveTemplateId(data: LetterData, catalog?: Catalog): string {
  return resolveTemplateVersion(data, catalog).id;
}

/** The optional parts of the input the letter's template version prints (plans, previous). */
export function templatePrints(data: LetterData, catalog?: Catalog): TemplateVersion['manifest']['prints'] {
  return resolveTemplateVersion(data, catalog).manifest.prints;
}

/**
 * Whether a letter set with this built-in template version carries the envelope window's block
 * (issue 29): true or false, or null for a version the built-in catalogue does not hold (a firm's).
 */
export function templatePrintsWindow(templateId: string): boolean | null {
  const v = getCatalog().versions.find((x) => x.id === templateId);
  return v ? v.manifest.prints.includes('window') : null;
}

/** The plan options a validated letter offers (the attachment's tables), or [] without plans. */
export function planOptionsOf(data: LetterData): PlanSchedule[] {
  return data.plans ? planOptions(getCalendar(), data.debt.total, data.plans, data.issueDate, planCostBase(data)) : [];
}

/**
 * The payment deadline a validated letter prints, or null when it sets none: from the expected
 * receipt when its template version counts from receipt, else from the issue date. The version
 * is resolved in `catalog` (default: the built-in one); one that cannot be found there counts
 * from the issue date, as every version before issue 27 does.
 */
export function deadlineOf(data: LetterData, catalog?: Catalog): string | null {
  if (!data.demand) return null;
  let countsFrom: 'issue' | 'receipt' = 'issue';
  try {
    countsFrom = resolveTemplateVersion(data, catalog).manifest.deadlineFrom;
  } catch {
    // An organisation's version asked of another catalogue: its wording is a copy of a built-in one.
  }
  return letterDeadline(
    getCalendar(),
    { issueDate: data.issueDate, days: data.demand.days, delivery: data.delivery },
    countsFrom,
  ).date;
}

/**
 * Every version of a catalogue (default: the built-in one; an organisation's catalogue lists
 * its own versions first): `origin` built-in or firm, and `status` active/retired for built-in
 * versions, draft/released/retired for a firm's.
 */
export function listTemplates(catalog: Catalog = getCatalog()) {
  return catalog.versions.map((v) => ({
    kind: v.manifest.kind,
    version: v.manifest.version,
    id: v.id,
    title: v.manifest.title,
    description: v.manifest.description,
    effectiveFrom: v.manifest.effectiveFrom,
    ...templateOrigin(v),
    sender: v.manifest.sender,
  }));
}

export interface LetterSummary {
  ok: true;
  kind: LetterKind;
  template: string;
  debtor: string;
  /** Yuan as a decimal string, "12426.00" (the wire's money form). */
  total: string;
  totalFen: number;
  deadline: string | null;
  letterNo: string | null;
  warnings: Warning[];
  /** The entries of the letter's 附件 list (a request under an engagement without a stored mandate is refused when one names it). */
  attachments: string[];
}

/** Validate and compose (template + compliance guard) without drawing: the `validate` command and endpoint. */
export function summarize(input: unknown, options: ComposeOptions = {}): LetterSummary {
  const c = composeLetter(input, { ...options, preview: true });
  return {
    ok: true,
    kind: c.data.kind,
    template: c.template.id,
    debtor: c.data.debtor.name,
    total: fenToYuan(c.data.debt.total),
    totalFen: c.data.debt.total,
    deadline: c.facts.deadline?.iso ?? null,
    letterNo: c.data.letterNo ?? null,
    warnings: c.warnings,
    attachments: attachmentsOf(c.document),
  };
}
