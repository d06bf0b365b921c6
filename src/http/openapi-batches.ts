/** The OpenAPI paths of batches (http/batch-routes.ts, batches/). */
import { DELIVERY_METHODS, XLSX_TYPE } from '../jobs/batches/sheet.js';
import { ref } from './openapi-components.js';
import { errors, json, KEY_PROBLEMS, pathParam, security } from './openapi-parts.js';

const batchId = pathParam('id', { type: 'string', maxLength: 64 }, 'the batch id');
const location = { headers: { Location: { description: 'the batch: /v1/batches/{id}', schema: { type: 'string' } } } };
const EXAMPLE = [
  '{"kind":"reminder","creditor":{…},"debtor":{…},"account":{"contractNo":"BT2026-000001",…},"debt":{…}}',
  '{"kind":"demand","creditor":{…},"debtor":{…},"account":{"contractNo":"BT2026-000002",…},"debt":{…},"demand":{"days":7}}',
].join('\n');

export const BATCH_PATHS = {
  '/v1/batches': {
    post: {
      operationId: 'createBatch',
      tags: ['batches'],
      security: [...security('issue:reminder'), ...security('issue:demand'), ...security('request')],
      summary: 'Post many letters as JSON lines or an XLSX sheet: 202, worked in the background',
      description: [
        "The body is JSON lines (application/x-ndjson), one letter per line — with `mode=issue` (default) the body of POST /v1/letters, needing issue:<kind> for each row's kind; with `mode=request` the body of POST /v1/letter-requests (lawyer's letters go this way), needing request. Up to 100,000 rows (HANJIAN_BATCH_MAX_ROWS); each line up to the single-letter body limit and the same bounds (depth, size, keys); the whole body up to HANJIAN_BATCH_BODY_LIMIT_BYTES. A row is numbered by its line; blank lines are skipped.",
        `Or the body is an XLSX workbook (${XLSX_TYPE}, up to 16 MB, inflating to at most 200 MB): the columns of the workspace import template (GET /app/import/template.xlsx: 债务人姓名, 身份证号, 合同编号, 产品, 合同日期, 到期日, 本金, …, Chinese headers and their aliases), one debtor per row; a row is numbered by its spreadsheet row (the header is row 1). What the sheet does not hold comes from the query, as in the workspace import form: \`kind\`; the sender — the caller's own organisation with mode=issue, the creditor of \`engagement\` with mode=request (lawyer's letters by default); the payment channels (\`bank\` and \`accountNo\`, and/or \`online\`); \`demandDays\` and \`delivery\`. A row whose cells cannot be read fails on arrival, each problem named by its column in /errors (with its row and contract number); a file that cannot be read at all is refused whole (422, its code names why).`,
        'The body is read as it arrives and answered 202 once it is stored; a line that is not JSON, too long or over the bounds becomes a failed row, it does not refuse the batch. Each row is then issued under an idempotency key made of the batch id and its row number, so a retried job never issues a second letter.',
        "With `callbackUrl`, a POST is sent there when the batch finishes, signed with HMAC-SHA256: header `Hanjian-Signature: t=<unix seconds>,v1=<hex>` over `<t>.<raw body>` with the service's HANJIAN_BATCH_CALLBACK_SECRET; retried with exponential backoff. In production the URL must be https, and loopback or private addresses are refused unless HANJIAN_BATCH_CALLBACK_ALLOW_PRIVATE is set.",
      ].join('\n\n'),
      parameters: [
        {
          name: 'mode',
          in: 'query',
          description: 'issue each row (POST /v1/letters) or request it (POST /v1/letter-requests)',
          schema: { type: 'string', enum: ['issue', 'request'], default: 'issue' },
        },
        {
          name: 'callbackUrl',
          in: 'query',
          description: 'receives a signed POST when the batch finishes',
          schema: { type: 'string', format: 'uri', maxLength: 2000 },
        },
        {
          name: 'kind',
          in: 'query',
          description:
            'XLSX only: the kind of every letter (mode=issue: reminder or demand, required; mode=request: default lawyer-letter)',
          schema: { type: 'string', enum: ['reminder', 'demand', 'lawyer-letter'] },
        },
        {
          name: 'engagement',
          in: 'query',
          description:
            'XLSX with mode=request: the engagement the rows are requested under; its creditor is the sender',
          schema: { type: 'string', maxLength: 64 },
        },
        {
          name: 'bank',
          in: 'query',
          description: "XLSX only: the bank of the creditor's account (with accountNo)",
          schema: { type: 'string', maxLength: 100 },
        },
        {
          name: 'accountNo',
          in: 'query',
          description: "XLSX only: the creditor's account for repayment; accountNo or online is required",
          schema: { type: 'string', maxLength: 40 },
        },
        {
          name: 'online',
          in: 'query',
          description: 'XLSX only: an online way to repay (e.g. 某某APP-我的-立即还款)',
          schema: { type: 'string', maxLength: 200 },
        },
        {
          name: 'demandDays',
          in: 'query',
          description: 'XLSX only: days to pay',
          schema: { type: 'integer', minimum: 1, maximum: 60, default: 7 },
        },
        {
          name: 'contractType',
          in: 'query',
          description:
            'XLSX only: loan or instalment-sale, for rows whose 合同类型 cell is empty; a letter needs one (the articles it cites follow it)',
          schema: { type: 'string', enum: ['loan', 'instalment-sale'] },
        },
        {
          name: 'columns',
          in: 'query',
          description:
            'XLSX only: the client\'s own columns as JSON, header → the field it fills (a column path such as debt.interest) or "ignore", at most 100 entries and 8 KB. An unrecognised column that looks like an amount (元, 利息, 罚息, 金额 …) must be decided here, or the sheet is refused with COLUMNS_UNDECIDED naming it — it is never dropped silently; two columns mapped to one amount are added',
          schema: { type: 'string', maxLength: 8192 },
        },
        {
          name: 'delivery',
          in: 'query',
          description: 'XLSX only: how the letters are delivered',
          schema: { type: 'string', enum: [...DELIVERY_METHODS] },
        },
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'the same key returns the batch posted with it (200) instead of a second batch; 1–200 characters',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      ],
      requestBody: {
        required: true,
        content: {
          'application/x-ndjson': {
            schema: { type: 'string', description: 'one JSON object per line (UTF-8)' },
            examples: { letters: { summary: 'two letters (abridged)', value: EXAMPLE } },
          },
          [XLSX_TYPE]: {
            schema: {
              type: 'string',
              format: 'binary',
              description: "a workbook whose first sheet has the import template's columns",
            },
          },
        },
      },
      responses: {
        202: json('Accepted: the rows are stored and queued', ref('BatchCreated'), location),
        200: json('The batch posted before with this Idempotency-Key', ref('BatchCreated'), location),
        ...errors(
          ...KEY_PROBLEMS,
          'BAD_REQUEST',
          'BODY_TOO_LARGE',
          'BATCH_TOO_MANY_ROWS',
          'UNSUPPORTED_MEDIA_TYPE',
          'BATCH_EMPTY',
          'INVALID_INPUT',
          'IDEMPOTENCY_KEY_INVALID',
          'CALLBACK_URL_INVALID',
          'CALLBACK_NOT_CONFIGURED',
          'REGISTRY_BUSY',
          'ENGAGEMENT_NOT_FOUND',
          'FILE_EMPTY',
          'NOT_A_SPREADSHEET',
          'XLS_NOT_SUPPORTED',
          'XLSX_UNREADABLE',
          'XLSX_TOO_LARGE',
          'XLSX_TOO_COMPLEX',
          'TOO_MANY_ROWS',
          'TOO_MANY_COLUMNS',
          'DUPLICATE_COLUMN',
          'COLUMNS_MISSING',
          'COLUMNS_UNDECIDED',
        ),
      },
    },
  },
  '/v1/batches/{id}': {
    get: {
      operationId: 'getBatch',
      tags: ['batches'],
      security: security('read'),
      summary: 'Progress: total, done, failed, rate and ETA',
      parameters: [batchId],
      responses: {
        200: json('The progress', ref('BatchProgress')),
        ...errors(...KEY_PROBLEMS, 'BATCH_NOT_FOUND', 'REGISTRY_BUSY'),
      },
    },
  },
  '/v1/batches/{id}/errors': {
    get: {
      operationId: 'listBatchErrors',
      tags: ['batches'],
      security: security('read'),
      summary: 'The failed rows: row number, contract number and the problem, in row order',
      parameters: [
        batchId,
        {
          name: 'after',
          in: 'query',
          description: 'rows after this row number (the `next` of the previous page)',
          schema: { type: 'integer', minimum: 0, default: 0 },
        },
        {
          name: 'limit',
          in: 'query',
          description: 'rows per page',
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      ],
      responses: {
        200: json('A page of failed rows', ref('BatchErrors')),
        ...errors(...KEY_PROBLEMS, 'BATCH_NOT_FOUND', 'INVALID_INPUT', 'REGISTRY_BUSY'),
      },
    },
  },
  '/v1/batches/{id}/archive': {
    get: {
      operationId: 'getBatchArchive',
      tags: ['batches'],
      security: security('read'),
      summary: 'A ZIP of the PDFs and index.csv, streamed; once the batch has finished',
      description:
        "`letters/<row>.pdf` for each issued row, and `index.csv` (UTF-8 with BOM) accounting for every row: row, status (issued, failed, requested), number, contract_no, debtor (masked), total (yuan), verify_code, file, letter_id, request_id, error_code. Cells a spreadsheet would run as formulas are prefixed with '.",
      parameters: [batchId],
      responses: {
        200: {
          description: 'The archive',
          content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
        },
        ...errors(...KEY_PROBLEMS, 'BATCH_NOT_FOUND', 'BATCH_NOT_FINISHED', 'REGISTRY_BUSY', 'STORAGE_UNAVAILABLE'),
      },
    },
  },
  '/v1/batches/{id}/evidence': {
    get: {
      operationId: 'getBatchEvidence',
      tags: ['batches'],
      security: security('read'),
      summary:
        "The evidence package of a finished batch's letters: a folder per letter (证据目录, exhibits), one SHA256SUMS",
      description:
        'Each folder is what GET /v1/letters/{id}/evidence holds. At most 50 letters (413 EVIDENCE_TOO_LARGE: take them in parts with POST /v1/evidence); 404 NOT_FOUND when the batch issued no letter.',
      parameters: [batchId],
      responses: {
        200: { description: 'ZIP', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
        ...errors(
          ...KEY_PROBLEMS,
          'BATCH_NOT_FOUND',
          'BATCH_NOT_FINISHED',
          'EVIDENCE_TOO_LARGE',
          'NOT_FOUND',
          'STORAGE_UNAVAILABLE',
        ),
      },
    },
  },
};
