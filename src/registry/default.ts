/**
 * issueLetter for library users: the same issuing the HTTP API does (number, final PDF with
 * verification code and QR code, record, idempotent retries), with the PDF bytes returned.
 * Registries are opened once per database and public base URL and reused.
 */
import { defaultDbPath, openRegistry, type IssueRequest, type IssueResult, type Registry } from './registry.js';

export interface IssueLetterOptions extends IssueRequest {
  /** SQLite database file; the PDFs go to `letters/` beside it. Default: HANJIAN_DB or ./data/hanjian.db. */
  db?: string;
  /** Base URL printed with the verification code. Default: HANJIAN_PUBLIC_BASE_URL or http://127.0.0.1:8080. */
  publicBaseUrl?: string;
}

const registries = new Map<string, Registry>();

export function issueLetter(input: unknown, options: IssueLetterOptions = {}): Promise<IssueResult> {
  const { db, publicBaseUrl, ...request } = options;
  const path = db ?? defaultDbPath();
  const id = JSON.stringify([path, publicBaseUrl ?? null]);
  let registry = registries.get(id);
  if (!registry) registries.set(id, (registry = openRegistry({ db: path, publicBaseUrl })));
  return registry.issue(input, request);
}
