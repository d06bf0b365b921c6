/** Checking real responses against the served OpenAPI document (ajv, draft 2020-12). */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { expect } from 'vitest';

type Response = { description: string; content?: Record<string, { schema: object }> };
type Doc = {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Response> }>>;
  components: object;
};

export function responseChecker(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (formats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  ajv.addSchema({ components: doc.components }, 'doc');
  const byId = new Map<string, Record<string, Response>>();
  for (const methods of Object.values(doc.paths))
    for (const op of Object.values(methods)) byId.set(op.operationId, op.responses);
  const rebase = (schema: object) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));

  /** The errors of a body against the schema the document gives for this operation, status and media type; throws if it gives none. */
  function check(operationId: string, status: number, contentType: string, body: unknown): string[] {
    const responses = byId.get(operationId);
    if (!responses) throw new Error(`no operation ${operationId}`);
    const response = responses[String(status)];
    if (!response) throw new Error(`${operationId} does not document status ${status}`);
    const media = Object.keys(response.content ?? {}).find((m) => contentType.startsWith(m));
    if (!media) throw new Error(`${operationId} ${status} does not document ${contentType}`);
    const validate = ajv.compile(rebase(response.content![media]!.schema));
    const errors = validate(body)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    // A problem's code must be one the operation names for that status.
    const code = (body as { code?: unknown } | null)?.code;
    const named = /Codes: (.*)$/.exec(response.description)?.[1]?.split(', ') ?? [];
    if (media === 'application/problem+json' && !named.includes(String(code)))
      errors.push(
        `code ${String(code)} is not among the documented ${status} codes of ${operationId}: ${named.join(', ')}`,
      );
    return errors;
  }

  function validator(component: string) {
    return ajv.compile({ $ref: `doc#/components/schemas/${component}` });
  }
  return { check, validator };
}

/**
 * `documented(operationId, response)`: the JSON body, after checking it against the document
 * the server serves (fetched once).
 */
export function documentedBy(server: {
  call: (method: string, path: string, opts?: { key?: string | null }) => Promise<globalThis.Response>;
}) {
  let checker: ReturnType<typeof responseChecker> | undefined;
  return async (operationId: string, r: globalThis.Response): Promise<any> => {
    const body = await r.json();
    checker ??= responseChecker((await (await server.call('GET', '/openapi.json', { key: null })).json()) as Doc);
    expect(
      checker.check(operationId, r.status, r.headers.get('content-type') ?? '', body),
      `${operationId} ${r.status}`,
    ).toEqual([]);
    return body;
  };
}
