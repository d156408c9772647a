import type { ClickHouseClient } from '@clickhouse/client';
import type { EventRow } from '../../events/row.js';
import { GENESIS, batchContent, linkHash, type ChainLink, type ChainReader } from '../chain.js';
import { SerialQueue } from '../serial-queue.js';
import { storedIdsLookups } from './stored-ids.js';

// formatRowNoNewline escapes every value, so the text is one-to-one with the row. FINAL: the
// copy a racing second writer may have added is not the one that counts.
const ROW_HASH = `event_id AS id, lower(hex(SHA256(formatRowNoNewline('JSONEachRow', *)))) AS h`;

/**
 * The chain of one ClickHouse database (docs/security.md, "Tamper evidence"). A link is written
 * once the batch's events are acknowledged, in a second insert: ClickHouse has no transaction
 * across the two, so a crash (or a failed link insert) between them leaves events that no link
 * names. Their retry finds them stored and adds no link; verify reports them as unchained, not
 * as a break. Links are added one at a time per process; the chain assumes one writing process
 * per database (two would each continue it from the same head).
 */
export class ClickHouseChain implements ChainReader {
  readonly atomic = false;
  private head: { seq: number; hash: string } | undefined;
  private readonly queue = new SerialQueue();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly lookupBudgetChars: number,
  ) {}

  /** Adds the link of rows just acknowledged; their stored copies are read back within their own sort-key ranges. */
  append(rows: readonly EventRow[]): Promise<void> {
    return this.queue.run(async () => {
      const hashes = new Map<string, string>();
      for (const p of storedIdsLookups(rows, this.lookupBudgetChars)) {
        // the ids as PREWHERE: FINAL then merges the batch's rows only, not every row of its
        // (workflow, day, type) ranges, whose rows it would otherwise read and hash in full.
        // Safe under FINAL: event_id is in the sorting key, so all copies of a row share it.
        const found = await this.hashRows(
          `(workflow, toDate(ts), type) IN arrayZip({workflows:Array(Nullable(String))}, arrayMap(t -> toDate(t), {times:Array(DateTime64(3, 'UTC'))}), {types:Array(String)})`,
          { ...p },
          'event_id IN {ids:Array(String)}',
        );
        for (const [id, h] of found) hashes.set(id, h);
      }
      try {
        const last = this.head ?? (await this.readHead());
        const { content, events } = batchContent(hashes);
        const link = { seq: last.seq + 1, hash: linkHash(last.hash, content, events) };
        await this.client.insert({
          table: `${this.database}.loopwatch_chain`,
          values: [{ seq: link.seq, prev_hash: last.hash, hash: link.hash, content, events, event_ids: [...hashes.keys()].sort(), created_at: Date.now() }],
          format: 'JSONEachRow',
          clickhouse_settings: { insert_deduplication_token: `loopwatch-chain-${link.seq}-${link.hash}`, async_insert: 0 },
        });
        this.head = link;
      } catch (err) {
        this.head = undefined;
        throw err;
      }
    });
  }

  async links(): Promise<ChainLink[]> {
    const rs = await this.client.query({
      query: `SELECT seq, prev_hash, hash, content, events, event_ids FROM ${this.database}.loopwatch_chain ORDER BY seq`,
      format: 'JSONEachRow',
    });
    return (await rs.json<ChainLink>()).map((r) => ({ ...r, seq: Number(r.seq), events: Number(r.events) }));
  }

  rowHashes(ids: readonly string[]): Promise<Map<string, string>> {
    return this.hashRows('event_id IN {ids:Array(String)}', { ids });
  }

  async unchained(): Promise<{ count: number; sample: string[] }> {
    const rs = await this.client.query({
      query: `SELECT count() AS n, arraySlice(arraySort(groupArray(event_id)), 1, 5) AS sample FROM ${this.database}.events FINAL
              WHERE event_id NOT IN (SELECT arrayJoin(event_ids) FROM ${this.database}.loopwatch_chain)`,
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ n: number; sample: string[] }>();
    return { count: Number(r.n), sample: r.sample };
  }

  private async hashRows(where: string, params: Record<string, unknown>, prewhere?: string): Promise<Map<string, string>> {
    const rs = await this.client.query({
      query: `SELECT ${ROW_HASH} FROM ${this.database}.events FINAL ${prewhere ? `PREWHERE ${prewhere} ` : ''}WHERE ${where} SETTINGS transform_null_in = 1`,
      format: 'JSONCompactEachRow',
      query_params: params,
    });
    return new Map(await rs.json<[string, string]>());
  }

  private async readHead(): Promise<{ seq: number; hash: string }> {
    const rs = await this.client.query({ query: `SELECT seq, hash FROM ${this.database}.loopwatch_chain ORDER BY seq DESC LIMIT 1`, format: 'JSONEachRow' });
    const [r] = await rs.json<{ seq: number; hash: string }>();
    return r ? { seq: Number(r.seq), hash: r.hash } : { seq: 0, hash: GENESIS };
  }
}
