/** The public library API of hanjian. */
export { validate as validateLetter, renderLetter, previewLetter, renderText, listTemplates, DRAFT_MARK, fenToYuan } from './letters.js';
export type { RenderOptions, RenderResult } from './letters.js';
export { HanjianError, type Issue } from './errors.js';
export type { LetterData, ValidationResult } from './schema/validate.js';
export { specimenSeal, specimenSeals, loadSealConfig, type SealSource } from './seals.js';
export { VERSION } from './version.js';
export { recommendLetter, loadPolicy, parsePolicy, inputJsonSchema, type Recommendation, type Policy } from './letters.js';
// Custom conduct rules for the guard: renderLetter(input, { compliance: { conduct: loadConductRules(file) } }).
export { loadConductRules, parseConductRules, type ConductRules } from './letters.js';
export { openRegistry, Registry, type IssueRequest, type IssueResult, type PublicFacts } from './registry/registry.js';
export { issueLetter, type IssueLetterOptions } from './registry/default.js';
