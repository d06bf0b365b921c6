/**
 * Telling a refused write from a failure, whichever database refused it (SQLite and PostgreSQL
 * spell constraint errors differently). Parts use these to turn "already exists" into their own
 * CONFLICT; only the codes are read, no driver is imported.
 */
function codeOf(e: unknown): string {
  return String((e as { code?: unknown })?.code ?? '');
}

/** A unique constraint refused the write. */
export function isUniqueViolation(e: unknown): boolean {
  const code = codeOf(e);
  return (
    code === '23505' || code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

/** Any integrity constraint (unique, foreign key, check) refused the write. */
export function isConstraintViolation(e: unknown): boolean {
  const code = codeOf(e);
  return /^23\d{3}$/.test(code) || code.startsWith('SQLITE_CONSTRAINT');
}
