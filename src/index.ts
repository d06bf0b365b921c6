/** The public library API of hanjian. */

export { type Hanjian, type HanjianOptions, openHanjian } from './app/hanjian.js';
export { type IssueLetterOptions, issueLetter, openRegistry, type Registry } from './app/library.js';
export type { IssueRequest, IssueResult, PublicFacts } from './letters/letters.js';
export type { RenderOptions, RenderResult } from './pipeline/index.js';
export {
  addNotice,
  type ConductRules,
  computeFigures,
  conservativeRestDays,
  DRAFT_MARK,
  deadlineAfterDelivery,
  deadlineOf,
  expectedReceipt,
  fenToYuan,
  figuresOf,
  getCalendar,
  inputJsonSchema,
  isRestDay,
  letterDeadline,
  listTemplates,
  loadConductRules,
  loadPolicy,
  type Policy,
  parseConductRules,
  parsePolicy,
  previewLetter,
  type Recommendation,
  recommendLetter,
  reconcileFigures,
  renderLetter,
  renderText,
  statutoryHolidays,
  validate as validateLetter,
} from './pipeline/index.js';
export type { LetterData, ValidationResult } from './pipeline/schema/validate.js';
export { loadSealConfig, type SealSource, specimenSeal, specimenSeals } from './pipeline/seals.js';
export { HanjianError, type Issue } from './shared/errors.js';
export { VERSION } from './shared/version.js';
