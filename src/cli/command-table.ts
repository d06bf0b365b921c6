/**
 * Every command, its help text and how to run it, in one table: `hanjian help <command>`,
 * `hanjian <command> --help` and `hanjian <command> <sub> --help` all read the same help.
 * Modules load lazily so that `hanjian --help` does not load fonts or SQLite.
 */
import type { Out } from './io.js';

export interface CommandSpec {
  run: (args: string[], out: Out) => Promise<number>;
  help: string;
}

type Loader = () => Promise<CommandSpec>;

export const COMMANDS: Record<string, Loader> = {
  preview: async () => {
    const [m, { forOneLetter }] = await Promise.all([import('./commands/render.js'), import('./one-letter.js')]);
    return { run: (a, o) => forOneLetter(() => m.runPreviewOrRender(a, o, 'preview')), help: m.PREVIEW_HELP };
  },
  render: async () => {
    const [m, { forOneLetter }] = await Promise.all([import('./commands/render.js'), import('./one-letter.js')]);
    return { run: (a, o) => forOneLetter(() => m.runPreviewOrRender(a, o, 'render')), help: m.RENDER_HELP };
  },
  validate: async () => {
    const [m, { forOneLetter }] = await Promise.all([import('./commands/validate.js'), import('./one-letter.js')]);
    return { run: (a, o) => forOneLetter(() => m.runValidate(a, o)), help: m.VALIDATE_HELP };
  },
  templates: async () => {
    const m = await import('./commands/templates.js');
    return { run: m.runTemplates, help: m.TEMPLATES_HELP };
  },
  batch: async () => {
    const m = await import('./batch/command.js');
    return { run: m.runBatch, help: m.BATCH_HELP };
  },
  plan: async () => {
    const m = await import('./commands/plan.js');
    return { run: m.runPlan, help: m.PLAN_HELP };
  },
  calendar: async () => {
    const m = await import('./commands/calendar.js');
    return { run: m.runCalendar, help: m.CALENDAR_HELP };
  },
  serve: async () => {
    const m = await import('./commands/serve.js');
    return { run: m.runServe, help: m.SERVE_HELP };
  },
  issue: async () => {
    const m = await import('./commands/registry.js');
    return { run: m.runIssue, help: m.ISSUE_HELP };
  },
  verify: async () => {
    const m = await import('./commands/registry.js');
    return { run: m.runVerify, help: m.VERIFY_HELP };
  },
  evidence: async () => {
    const m = await import('./commands/evidence.js');
    return { run: m.runEvidence, help: m.EVIDENCE_HELP };
  },
  registry: async () => {
    const m = await import('./commands/registry.js');
    return { run: m.runRegistry, help: m.REGISTRY_HELP };
  },
  orgs: async () => {
    const m = await import('./commands/admin.js');
    return { run: m.runOrgs, help: m.ORGS_HELP };
  },
  users: async () => {
    const m = await import('./commands/admin.js');
    return { run: m.runUsers, help: m.USERS_HELP };
  },
  keys: async () => {
    const m = await import('./commands/admin.js');
    return { run: m.runKeys, help: m.KEYS_HELP };
  },
  engagements: async () => {
    const m = await import('./commands/admin.js');
    return { run: m.runEngagements, help: m.ENGAGEMENTS_HELP };
  },
  'plan-settings': async () => {
    const m = await import('./commands/plan-settings.js');
    return { run: m.runPlanSettings, help: m.PLAN_SETTINGS_HELP };
  },
  requests: async () => {
    const m = await import('./commands/requests.js');
    return { run: m.runRequests, help: m.REQUESTS_HELP };
  },
  deliver: async () => {
    const m = await import('./commands/deliver.js');
    return { run: m.runDeliver, help: m.DELIVER_HELP };
  },
  payments: async () => {
    const m = await import('./commands/deliver.js');
    return { run: m.runPayments, help: m.PAYMENTS_HELP };
  },
  letters: async () => {
    const m = await import('./commands/deliver.js');
    return { run: m.runLetters, help: m.LETTERS_HELP };
  },
  'data-key': async () => {
    const m = await import('./commands/data-key.js');
    return { run: m.runDataKey, help: m.DATA_KEY_HELP };
  },
  void: async () => {
    const m = await import('./commands/requests.js');
    return { run: m.runVoid, help: m.VOID_HELP };
  },
};

export function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

/** --help or -h anywhere before a "--" asks for help, whatever else the line says (a half-typed command included). */
export function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
