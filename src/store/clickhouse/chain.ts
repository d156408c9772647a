import type { ClickHouseClient } from '@clickhouse/client';
import { GENESIS, linkHash, type ChainLink, type ChainReader } from '../chain.js';
import { SerialQueue } from '../serial-queue.js';
import { chooseRows } from '../chain-choice.js';
import { LinkRows } from '../chain-rows.js';
import { ROW_FORMAT_BINARY, ROW_FORMAT_JSON, rowTextSql, type BatchLink, type RowFormat } from './row-text.js';

/**
 * The chain of one ClickHouse database (docs/security.md, "Tamper evidence"). A link is written
 * once the batch's events are acknowledged, in a second insert: ClickHouse has no transaction
 * across the two, so a crash (or a failed link insert) between them leaves events that no link
 * names. Their retry finds them stored and adds no link; verify reports them as unchained, not
 * as a break. Links are added one at a time per process; the chain assumes one writing process
 * per database (two would each continue it from the same head).
 *
 * A link's content comes from the bytes the insert sent (row-text.ts, format 2), not from
 * reading the rows back: the store sends each id once and holds a batch back while another
 * batch of the process carrying one of its ids is in flight (clickhouse-store.ts), so the row
 * FINAL keeps is the one hashed.
 */
export class ClickHouseChain implements ChainReader {
  readonly atomic = false;
  private head: { seq: number; hash: string } | undefined;
  private readonly queue = new SerialQueue();
  // each link's row format, by the link's ids as verifyChain hands them to rowHashes
  private formats = new Map<string, RowFormat>();
  // the links of the last links() call, for ids stored more than once (chain-choice.ts)
  private linkRows: LinkRows | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  /** Adds the link of a batch just acknowledged, from its content computed while encoding it. */
  append(batch: BatchLink): Promise<void> {
    return this.queue.run(async () => {
      try {
        const last = this.head ?? (await this.readHead());
        const link = { seq: last.seq + 1, hash: linkHash(last.hash, batch.content, batch.events) };
        await this.client.insert({
          table: `${this.database}.loopwatch_chain`,
          values: [
            {
              seq: link.seq,
              prev_hash: last.hash,
              hash: link.hash,
              content: batch.content,
              events: batch.events,
              event_ids: batch.ids,
              created_at: Date.now(),
              row_format: ROW_FORMAT_BINARY,
            },
          ],
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
      query: `SELECT seq, prev_hash, hash, content, events, event_ids, row_format FROM ${this.database}.loopwatch_chain ORDER BY seq`,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<ChainLink & { row_format: number }>();
    const formats = new Map<string, RowFormat>();
    const links = rows.map(({ row_format, ...r }) => {
      formats.set(signature([...r.event_ids].sort()), Number(row_format) === ROW_FORMAT_BINARY ? ROW_FORMAT_BINARY : ROW_FORMAT_JSON);
      return { ...r, seq: Number(r.seq), events: Number(r.events) };
    });
    this.formats = formats;
    this.linkRows = new LinkRows(links);
    return links;
  }

  /** The stored rows' texts in the format of the link naming these ids (verifyChain asks link by link). */
  async rowHashes(ids: readonly string[]): Promise<Map<string, string>> {
    const sorted = [...ids].sort();
    const format = this.formats.get(signature(sorted)) ?? (await this.formatOf(sorted[0]));
    const rs = await this.client.query({
      query: `SELECT event_id, ${rowTextSql(format)} FROM ${this.database}.events FINAL PREWHERE event_id IN {ids:Array(String)} ORDER BY received_at, ts`,
      format: 'JSONCompactEachRow',
      query_params: { ids },
    });
    const rows = await rs.json<[string, string]>();
    const link = this.linkRows?.linkOf(sorted);
    if (this.linkRows && !this.linkRows.reused && new Set(rows.map(([id]) => id)).size < rows.length) this.linkRows.reused = await this.reusedIds();
    return chooseRows(rows, link, this.linkRows);
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

  /** Ids stored more than once (reused by a sender under another prefix): asked once per verify, on the first such id. */
  private async reusedIds(): Promise<Set<string>> {
    const rs = await this.client.query({ query: `SELECT event_id FROM ${this.database}.events FINAL GROUP BY event_id HAVING count() > 1`, format: 'JSONCompactEachRow' });
    return new Set((await rs.json<[string]>()).map(([id]) => id));
  }

  /** Outside verifyChain's walk: the format of the first link naming this id. */
  private async formatOf(id: string | undefined): Promise<RowFormat> {
    if (id === undefined) return ROW_FORMAT_BINARY;
    const rs = await this.client.query({
      query: `SELECT row_format FROM ${this.database}.loopwatch_chain WHERE has(event_ids, {id:String}) ORDER BY seq LIMIT 1`,
      format: 'JSONEachRow',
      query_params: { id },
    });
    const [r] = await rs.json<{ row_format: number }>();
    return r && Number(r.row_format) === ROW_FORMAT_JSON ? ROW_FORMAT_JSON : ROW_FORMAT_BINARY;
  }

  private async readHead(): Promise<{ seq: number; hash: string }> {
    const rs = await this.client.query({ query: `SELECT seq, hash FROM ${this.database}.loopwatch_chain ORDER BY seq DESC LIMIT 1`, format: 'JSONEachRow' });
    const [r] = await rs.json<{ seq: number; hash: string }>();
    return r ? { seq: Number(r.seq), hash: r.hash } : { seq: 0, hash: GENESIS };
  }
}

/** A link's ids, sorted, as a short key: its count and first and last id. */
function signature(sorted: readonly string[]): string {
  return `${sorted.length}\u0000${sorted[0] ?? ''}\u0000${sorted[sorted.length - 1] ?? ''}`;
}
