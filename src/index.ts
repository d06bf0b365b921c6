/** The public library API of hanjian. */

export { HanjianError, type Issue } from './errors.js';
export type { RenderOptions, RenderResult } from './letters.js';
export {
  type ConductRules,
  DRAFT_MARK,
  fenToYuan,
  inputJsonSchema,
  listTemplates,
  loadConductRules,
  loadPolicy,
  type Policy,
  parseConductRules,
  parsePolicy,
  previewLetter,
  type Recommendation,
  recommendLetter,
  renderLetter,
  renderText,
  validate as validateLetter,
} from './letters.js';
export { type IssueLetterOptions, issueLetter } from './registry/default.js';
export { type IssueRequest, type IssueResult, openRegistry, type PublicFacts, Registry } from './registry/registry.js';
export type { LetterData, ValidationResult } from './schema/validate.js';
export { loadSealConfig, type SealSource, specimenSeal, specimenSeals } from './seals.js';
export { VERSION } from './version.js';
