/**
 * components.schemas of the OpenAPI document, generated from zod: the letter input (one
 * schema per kind, and the issuing form without letterNo) from the schemas that validate
 * requests, the responses from responses.ts. Nothing here is written by hand twice.
 */
import { z } from 'zod';
import { LETTER_KINDS, LETTER_PARTS, letterSchemaFor, recommendationInputSchema, type LetterKind } from '../letters.js';
import { RESPONSE_SCHEMAS } from './responses.js';

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

const PASCAL: Record<LetterKind, string> = { reminder: 'Reminder', demand: 'Demand', 'lawyer-letter': 'LawyerLetter' };

/** A union over the three kinds, discriminated by `kind`, so generated clients get one type per kind. */
function byKind(suffix: string, issuing: boolean) {
  const variants = Object.fromEntries(LETTER_KINDS.map((k) => [`${PASCAL[k]}${suffix}`, letterSchemaFor(k, { issuing })]));
  const mapping = Object.fromEntries(LETTER_KINDS.map((k) => [k, ref(`${PASCAL[k]}${suffix}`).$ref]));
  const list = Object.values(variants) as unknown as [z.ZodObject, ...z.ZodObject[]];
  return { variants, union: z.discriminatedUnion('kind', list).meta({ discriminator: { propertyName: 'kind', mapping } }) };
}

type JsonSchema = Record<string, unknown>;

function generate(entries: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entries)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => ref(id).$ref });
  // Each generated schema names its dialect and id; inside an OpenAPI 3.1 document both are implied.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest as JsonSchema]));
}

export function componentSchemas(): Record<string, JsonSchema> {
  const letters = byKind('Input', false);
  const issuing = byKind('IssueInput', true);
  const input: Record<string, z.ZodType> = {
    ...LETTER_PARTS, ...letters.variants, ...issuing.variants,
    LetterInput: letters.union, LetterIssueInput: issuing.union, RecommendationInput: recommendationInputSchema,
  };
  return { ...generate(input, 'input'), ...generate(RESPONSE_SCHEMAS, 'output') };
}
