/** The JSON answers of the batch routes, as zod schemas: the OpenAPI document is generated from them. */
import { z } from 'zod';
import type { BatchProgress, RowFailure } from '../jobs/batches/batches.js';

const dateTime = z.string().meta({ format: 'date-time', description: 'UTC, ISO 8601' });

export const batchProgressSchema = z.object({
  id: z.string(),
  mode: z.enum(['issue', 'request']).meta({
    description:
      'issue: each row is issued as POST /v1/letters would; request: each row is a letter request (POST /v1/letter-requests)',
  }),
  status: z.enum(['running', 'finished']),
  total: z.number().int().min(1).meta({ description: 'rows in the batch (non-blank lines)' }),
  done: z.number().int().min(0).meta({ description: 'rows issued (or requested)' }),
  failed: z.number().int().min(0).meta({ description: 'rows that failed: GET /v1/batches/{id}/errors' }),
  queued: z.number().int().min(0).meta({ description: 'rows still to be worked' }),
  rate: z.number().min(0).meta({ description: 'rows settled per second over the last minute' }),
  etaSeconds: z.number().int().min(0).nullable().meta({
    description: 'seconds until the last row is settled at the current rate; null when finished or not yet measurable',
  }),
  createdAt: dateTime,
  finishedAt: dateTime.nullable(),
  callback: z
    .object({
      url: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int().min(0),
      lastError: z
        .string()
        .nullable()
        .meta({ description: 'why the last attempt failed (HTTP status, network error), never a response body' }),
    })
    .nullable(),
  errors: z.string().meta({ description: 'the failed rows: /v1/batches/{id}/errors' }),
  archive: z.string().meta({ description: 'the ZIP of PDFs and index, once finished: /v1/batches/{id}/archive' }),
});

export const batchCreatedSchema = batchProgressSchema.extend({
  replayed: z.boolean().meta({ description: 'true when the Idempotency-Key named a batch posted before (200)' }),
});

const issueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

export const batchErrorsSchema = z.object({
  errors: z.array(
    z.object({
      row: z.number().int().min(1).meta({ description: 'the line number in the posted body' }),
      contractNo: z
        .string()
        .nullable()
        .meta({ description: "the row's account.contractNo, when the line could be read" }),
      problem: z.object({
        code: z
          .string()
          .meta({ description: 'a problem code (see the Problem schema), as the single-letter route would answer' }),
        detail: z.string(),
        path: z.string().optional(),
        issues: z.array(issueSchema).optional(),
        issuesOmitted: z.number().int().optional(),
      }),
    }),
  ),
  next: z.number().int().nullable().meta({ description: 'pass as `after` for the next page; null on the last' }),
});

export const BATCH_RESPONSE_SCHEMAS = {
  BatchProgress: batchProgressSchema,
  BatchCreated: batchCreatedSchema,
  BatchErrors: batchErrorsSchema,
} as const;

/** The compiler checks that what the routes send fits the schemas above. */
type Fits<Schema extends z.ZodType, Value extends z.output<Schema>> = Value;
export type CheckedAgainstBatches = [
  Fits<typeof batchProgressSchema, BatchProgress>,
  Fits<typeof batchErrorsSchema, { errors: RowFailure[]; next: number | null }>,
];
