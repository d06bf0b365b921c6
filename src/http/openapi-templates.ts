/**
 * The OpenAPI paths and schemas of an organisation's own templates: the wording diff between two
 * versions, and releasing or retiring a version of the caller's catalogue.
 */
import { ref } from './openapi-components.js';
import { BODY_PROBLEMS, errors, json, KEY_PROBLEMS, pathParam, security } from './openapi-parts.js';

const refParam = pathParam(
  'ref',
  { type: 'string', maxLength: 50, pattern: '^(firm:)?[a-z][a-z-]{0,39}@[1-9][0-9]{0,3}$' },
  "a version of the caller's own catalogue, firm:kind@version",
);
const refQuery = (name: string, description: string) => ({
  name,
  in: 'query',
  required: true,
  description,
  schema: { type: 'string', maxLength: 50 },
});

export const TEMPLATE_PATHS = {
  '/v1/templates/diff': {
    get: {
      operationId: 'diffTemplates',
      tags: ['templates'],
      security: security('read'),
      summary: 'What a version changes for the debtor: both render the same example, compared line by line',
      description:
        "Both versions (built-in or of the caller's own catalogue, drafts included) render the newer version's example to text; the answer lists every line as unchanged, removed or added.",
      parameters: [
        refQuery('from', 'the older version, e.g. lawyer-letter@2'),
        refQuery('to', 'the newer version, e.g. firm:lawyer-letter@3'),
      ],
      responses: {
        200: json('The rendered-text diff', ref('TemplateDiff')),
        ...errors(
          ...KEY_PROBLEMS,
          'TEMPLATE_NOT_FOUND',
          'TEMPLATE_REF_FORMAT',
          'TEMPLATE_KIND_MISMATCH',
          'INVALID_INPUT',
          'COMPLIANCE',
        ),
      },
    },
  },
  '/v1/templates/{ref}/release': {
    post: {
      operationId: 'releaseTemplate',
      tags: ['templates'],
      security: security('review'),
      summary: "Release a draft of the organisation's own catalogue (a key bound to a lawyer of the firm)",
      description:
        "Records who, when and the sha256 of the version's files in the organisation's lock file and the audit trail. From then on letters are issued with it, and its files never change (a changed file is refused at load).",
      parameters: [refParam],
      responses: {
        200: json('Released', ref('TemplateRelease')),
        ...errors(
          ...KEY_PROBLEMS,
          'TEMPLATE_RELEASE_FORBIDDEN',
          'TEMPLATE_NOT_FOUND',
          'TEMPLATE_NOT_DRAFT',
          'TEMPLATE_CHANGED',
          'TEMPLATE_REF_FORMAT',
        ),
      },
    },
  },
  '/v1/templates/{ref}/retire': {
    post: {
      operationId: 'retireTemplate',
      tags: ['templates'],
      security: security('review'),
      summary: "Retire a released version of the organisation's own catalogue, with a reason",
      description:
        'No new letters are issued with it; letters issued with it still re-render. Recorded in the lock file and the audit trail.',
      parameters: [refParam],
      requestBody: { required: true, content: { 'application/json': { schema: ref('RetireTemplateBody') } } },
      responses: {
        200: json('Retired', ref('TemplateRelease')),
        ...errors(
          ...BODY_PROBLEMS,
          ...KEY_PROBLEMS,
          'TEMPLATE_RELEASE_FORBIDDEN',
          'TEMPLATE_NOT_FOUND',
          'TEMPLATE_NOT_RELEASED',
          'TEMPLATE_REF_FORMAT',
          'INVALID_INPUT',
        ),
      },
    },
  },
};
