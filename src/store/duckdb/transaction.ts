// One transaction on a connection the caller holds alone: committed when `work` resolves, rolled
// back when it throws.

import type { DuckDBConnection } from '@duckdb/node-api';

export async function inTransaction<T>(c: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await c.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await c.run('COMMIT');
    return result;
  } catch (error) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
