/**
 * issueLetter for library users: the same issuing the HTTP API does (number, final PDF with
 * verification code and QR code, record, idempotent retries), with the PDF bytes returned.
 * Registries are opened once per database and public base URL and reused.
 */
import { type IssueRequest, type IssueResult, openRegistry, type Registry, registryLocation } from './registry.js';

export interface IssueLetterOptions extends IssueRequest {
  /** SQLite database file (the PDFs go to `letters/` beside it) or a postgres:// URL. Default: HANJIAN_DATABASE_URL, else HANJIAN_DB, else ./data/hanjian.db. */
  db?: string;
  /** Base URL printed with the verification code. Default: HANJIAN_PUBLIC_BASE_URL or http://127.0.0.1:8080. */
  publicBaseUrl?: string;
}

const registries = new Map<string, Registry>();

export function issueLetter(input: unknown, options: IssueLetterOptions = {}): Promise<IssueResult> {
  const { db, publicBaseUrl, ...request } = options;
  const path = registryLocation(db);
  const id = JSON.stringify([path, publicBaseUrl ?? null]);
  let registry = registries.get(id);
  if (!registry) registries.set(id, (registry = openRegistry({ db: path, publicBaseUrl })));
  return registry.issue(input, request);
}
