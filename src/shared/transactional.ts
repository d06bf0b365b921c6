/**
 * A store whose writes can be grouped. Transactions are ambient: inside `transaction(fn)` every
 * store on the same database joins the one transaction (store/db.ts), so a part commits its
 * change and the change's audit row together without passing a handle around.
 */
export interface Transactional {
  /** Runs `fn` in one transaction (committed if it resolves, rolled back if it throws); nested calls join. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}
