/**
 * A small typed client over the types openapi-typescript generates from /openapi.json
 * (api.d.ts beside this file). If the document changes shape, this stops compiling.
 */
import type { components, operations } from './api.js';

type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
type JsonBody<O extends keyof operations> = operations[O] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;
type JsonOk<O extends keyof operations, S extends number = 200> = operations[O] extends {
  responses: { [K in S]: { content: { 'application/json': infer R } } };
}
  ? R
  : never;

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly allow: string | null,
  ) {
    super(`${status} ${problem.code}: ${problem.detail}`);
  }
}

export interface Exchange {
  operation: keyof operations;
  status: number;
  contentType: string;
  body: unknown;
}

export function createClient(baseUrl: string, apiKey?: string, onExchange?: (e: Exchange) => void) {
  async function send(
    operation: keyof operations,
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const body: unknown = contentType.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer());
    onExchange?.({ operation, status: res.status, contentType, body });
    if (!res.ok) throw new ProblemError(res.status, body as Problem, res.headers.get('allow'));
    return { status: res.status, headers: res.headers, body };
  }

  return {
    async previewLetter(input: JsonBody<'previewLetter'>): Promise<Uint8Array> {
      return (await send('previewLetter', 'POST', '/v1/previews', { body: input })).body as Uint8Array;
    },
    async validateLetter(input: JsonBody<'validateLetter'>): Promise<JsonOk<'validateLetter'>> {
      return (await send('validateLetter', 'POST', '/v1/validate', { body: input })).body as JsonOk<'validateLetter'>;
    },
    async recommendLetter(input: JsonBody<'recommendLetter'>): Promise<JsonOk<'recommendLetter'>> {
      return (await send('recommendLetter', 'POST', '/v1/recommendations', { body: input }))
        .body as JsonOk<'recommendLetter'>;
    },
    async listTemplates(): Promise<JsonOk<'listTemplates'>> {
      return (await send('listTemplates', 'GET', '/v1/templates')).body as JsonOk<'listTemplates'>;
    },
    async getTemplate(kind: Schemas['TemplateSummary']['kind'], version: number): Promise<JsonOk<'getTemplate'>> {
      return (await send('getTemplate', 'GET', `/v1/templates/${kind}/${version}`)).body as JsonOk<'getTemplate'>;
    },
    async issueLetter(
      input: JsonBody<'issueLetter'>,
      idempotencyKey: string,
    ): Promise<{ created: boolean; letter: JsonOk<'issueLetter', 201> }> {
      const r = await send('issueLetter', 'POST', '/v1/letters', {
        body: input,
        headers: { 'idempotency-key': idempotencyKey },
      });
      return { created: r.status === 201, letter: r.body as JsonOk<'issueLetter', 201> };
    },
    async listLetters(
      query: NonNullable<operations['listLetters']['parameters']['query']> = {},
    ): Promise<JsonOk<'listLetters'>> {
      const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      return (await send('listLetters', 'GET', `/v1/letters?${q}`)).body as JsonOk<'listLetters'>;
    },
    async voidLetter(id: string, body: JsonBody<'voidLetter'>): Promise<JsonOk<'voidLetter'>> {
      return (await send('voidLetter', 'POST', `/v1/letters/${encodeURIComponent(id)}/void`, { body }))
        .body as JsonOk<'voidLetter'>;
    },
    async requestLetter(
      body: JsonBody<'requestLetter'>,
      idempotencyKey?: string,
    ): Promise<JsonOk<'requestLetter', 202>> {
      const headers: Record<string, string> = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
      return (await send('requestLetter', 'POST', '/v1/letter-requests', { body, headers })).body as JsonOk<
        'requestLetter',
        202
      >;
    },
    async listLetterRequests(
      status?: NonNullable<operations['listLetterRequests']['parameters']['query']>['status'],
    ): Promise<JsonOk<'listLetterRequests'>> {
      return (await send('listLetterRequests', 'GET', `/v1/letter-requests${status ? `?status=${status}` : ''}`))
        .body as JsonOk<'listLetterRequests'>;
    },
    async getLetterRequest(id: string): Promise<JsonOk<'getLetterRequest'>> {
      return (await send('getLetterRequest', 'GET', `/v1/letter-requests/${encodeURIComponent(id)}`))
        .body as JsonOk<'getLetterRequest'>;
    },
    async approveLetterRequest(id: string): Promise<JsonOk<'approveLetterRequest', 201>> {
      return (await send('approveLetterRequest', 'POST', `/v1/letter-requests/${encodeURIComponent(id)}/approve`))
        .body as JsonOk<'approveLetterRequest', 201>;
    },
    async rejectLetterRequest(
      id: string,
      body: JsonBody<'rejectLetterRequest'>,
    ): Promise<JsonOk<'rejectLetterRequest'>> {
      return (
        await send('rejectLetterRequest', 'POST', `/v1/letter-requests/${encodeURIComponent(id)}/reject`, { body })
      ).body as JsonOk<'rejectLetterRequest'>;
    },
    async getLetter(id: string): Promise<JsonOk<'getLetter'>> {
      return (await send('getLetter', 'GET', `/v1/letters/${encodeURIComponent(id)}`)).body as JsonOk<'getLetter'>;
    },
    async getLetterPdf(id: string): Promise<Uint8Array> {
      return (
        await send('getLetterPdf', 'GET', `/v1/letters/${encodeURIComponent(id)}/pdf`, {
          headers: { accept: 'application/pdf' },
        })
      ).body as Uint8Array;
    },
    async verifyLetter(number: string, code: string): Promise<JsonOk<'verifyLetter'>> {
      const q = new URLSearchParams({ number, code });
      return (await send('verifyLetter', 'GET', `/v1/verify?${q}`)).body as JsonOk<'verifyLetter'>;
    },
  };
}

export type Client = ReturnType<typeof createClient>;
