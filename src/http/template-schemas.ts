/** The zod schemas of the organisation-template routes (their OpenAPI paths are in openapi-templates.ts). */
import { z } from 'zod';

const person = z.object({ userId: z.string(), login: z.string(), name: z.string() });

export const TEMPLATE_INPUT_SCHEMAS = {
  RetireTemplateBody: z.strictObject({
    reason: z.string().min(2).max(500).meta({
      description: 'why the version is withdrawn (2–500 characters, trimmed); recorded in the lock file and audited',
    }),
  }),
};

export const TEMPLATE_RESPONSE_SCHEMAS = {
  TemplateRelease: z.object({
    id: z.string().meta({ description: 'firm:kind@version', examples: ['firm:lawyer-letter@3'] }),
    status: z.enum(['released', 'retired']),
    sha256: z.string().meta({ description: "sha256 over the version's files (each file's path and sha256, sorted)" }),
    files: z
      .record(z.string(), z.string())
      .meta({ description: 'sha256 of each file, by its path in the version folder' }),
    releasedAt: z.string().meta({ format: 'date-time' }),
    releasedBy: person,
    retiredAt: z.string().meta({ format: 'date-time' }).optional(),
    retiredBy: person.optional(),
    retireReason: z.string().optional(),
  }),
  TemplateDiff: z.object({
    from: z.string(),
    to: z.string(),
    input: z
      .enum(['example', 'given'])
      .meta({ description: "the letter both versions rendered: the newer version's example" }),
    added: z.number().int(),
    removed: z.number().int(),
    lines: z
      .array(z.object({ op: z.enum([' ', '-', '+']), text: z.string() }))
      .meta({ description: 'every line of the rendered text, unchanged, removed or added' }),
    branches: z
      .array(
        z.object({ branch: z.string(), line: z.number().int(), rendered: z.boolean(), lines: z.array(z.string()) }),
      )
      .meta({
        description:
          'what each {{#if}}/{{#unless}}/{{#each}} of the newer version prints when taken the way the example does not, that neither version prints otherwise',
      }),
    source: z
      .array(z.object({ op: z.enum([' ', '-', '+']), text: z.string() }))
      .meta({ description: "the older version's letter.hbs against the newer one's, line by line" }),
    text: z.string().meta({ description: 'the changes with two lines of context, like diff -u' }),
  }),
};
