import type { ClickHouseClient, ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';

/**
 * Kills the metric queries and refresh statements running on this store's database, not its
 * inserts. Over chdb a query can only be stopped this way: the connection's abort_signal only
 * settles the promise early while the engine keeps computing, and a process that exits then
 * waits for it. chdb runs one statement at a time per connection, so the KILL goes through a
 * second connection on the same directory (chdb lets those coexist).
 */
export async function killReads(client: ClickHouseClient, database: string, chdbPath: string | undefined): Promise<void> {
  let killer = client;
  if (chdbPath !== undefined) {
    const { createChdbConnection } = await import('chdb/connection');
    const connection = createChdbConnection({ path: chdbPath }) as unknown as ClickHouseClientConfigOptions['connection'];
    killer = createClient({ connection });
  }
  try {
    // Every statement of ours names its tables as <database>.<table>. The name is in the text,
    // not bound: chdb runs bound statements one at a time process-wide, so a bound KILL would
    // wait for the very query it is meant to stop (the name is an identifier, checked at open).
    // ASYNC: the killed statements reject in their own callers, which wait for them.
    await killer.command({
      query: `KILL QUERY WHERE query_kind != 'Insert' AND position(query, '${database}.') > 0 AND NOT startsWith(query, 'KILL') ASYNC`,
    });
  } finally {
    if (killer !== client) await killer.close();
  }
}
