/**
 * The registry's own small facts, by name: the data key's encrypted canary (store/key-check.ts) and
 * where the keyed audit chain begins (store/sql/audit.ts). One DDL for SQLite (migration 15)
 * and PostgreSQL (migration 9). Not copied by `registry migrate`: each registry encrypts its own
 * canary with the key it is opened with, and re-keys its own audit chain. Released: never changes.
 */
export const META_TABLE = `CREATE TABLE registry_meta (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`;
