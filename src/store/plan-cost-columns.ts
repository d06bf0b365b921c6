/**
 * The plan's own cost (issue 13): one DDL for the SQLite migration and its PostgreSQL twin.
 * BIGINT for fen (PostgreSQL's INTEGER is 32-bit; SQLite reads BIGINT as INTEGER). Defaults make
 * every existing row what it was: interest stops under a plan, a cost of 0. Once released this
 * text never changes (it is a migration).
 */
export const PLAN_COST_COLUMNS = `
ALTER TABLE plan_settings ADD COLUMN interest TEXT NOT NULL DEFAULT 'stops';
ALTER TABLE plan_settings ADD COLUMN annual_rate_bp INTEGER;
ALTER TABLE repayment_plans ADD COLUMN cost_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE repayment_plans ADD COLUMN annual_rate_bp INTEGER;
ALTER TABLE repayment_plans ADD COLUMN interest_from TEXT;
`;
