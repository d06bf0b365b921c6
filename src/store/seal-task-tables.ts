/**
 * Two tables of the workspace's second round (issue 12), one DDL in portable types for SQLite
 * (migration 10) and PostgreSQL (migration 4). Released: never changes (input_sealed, the
 * task item's encrypted input, is renamed input_encrypted by a later one: encrypted-column-names.ts).
 *
 * org_seals: the seal images an organisation's admin uploaded, newest last; the one without
 * `replaced_at` is in use. The bytes are a content-addressed blob (kind `seals`, like the seal
 * every issued letter records), so a replaced seal stays readable for the letters it sealed.
 *
 * web_tasks / web_task_items: work the workspace does after answering the request that asked
 * for it — approving a whole batch, issuing a creditor's own letters from an import — one item
 * per letter, each settled once (an item is claimed for a lease, so a second instance or a
 * restart takes over only what no one holds). Since migration 20 (tasks-into-batches.ts) they are
 * batches with a subject, and these two tables are gone.
 */
export const SEAL_TASK_TABLES = `CREATE TABLE org_seals (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     sha256 TEXT NOT NULL,
     width INTEGER NOT NULL,
     height INTEGER NOT NULL,
     size INTEGER NOT NULL,
     uploaded_by TEXT NOT NULL,
     uploaded_at TEXT NOT NULL,
     replaced_at TEXT
   );
   CREATE INDEX org_seals_org ON org_seals (org_id, uploaded_at);
   CREATE TABLE web_tasks (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     user_id TEXT NOT NULL REFERENCES users (id),
     kind TEXT NOT NULL CHECK (kind IN ('approve', 'issue')),
     subject TEXT NOT NULL,
     total INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
     created_at TEXT NOT NULL,
     finished_at TEXT
   );
   CREATE INDEX web_tasks_subject ON web_tasks (subject);
   CREATE TABLE web_task_items (
     task_id TEXT NOT NULL REFERENCES web_tasks (id),
     item_no INTEGER NOT NULL,
     ref TEXT NOT NULL,
     input_sealed TEXT,
     status TEXT NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
     claimed_until TEXT,
     letter_id TEXT,
     letter_no TEXT,
     problem TEXT,
     PRIMARY KEY (task_id, item_no)
   );
   CREATE INDEX web_task_items_queued ON web_task_items (status, claimed_until);`;
