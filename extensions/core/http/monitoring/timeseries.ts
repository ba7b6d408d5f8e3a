/**
 * The dashboard's time series: messages, LLM calls, tokens and errors per UTC hour or day. Every bucket of the
 * range is present (empty ones as zeros), so a chart gets a continuous x-axis.
 */
import { sql } from 'kysely';
import { badRequest } from '../api/envelope.js';
import type { Filters } from './filters.js';
import type { MonitoringQueries } from './queries.js';

export type Bucket = 'hour' | 'day';
export const MAX_BUCKETS = 1000;

const UNIT_MS: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000 };
/** Characters of an ISO timestamp that name its bucket: `2025-01-31T12` or `2025-01-31`. */
const KEY_LENGTH: Record<Bucket, number> = { hour: 13, day: 10 };
/** Buckets shown when no startTime is given: the last day by hour, the last 30 days by day. */
const DEFAULT_SPAN: Record<Bucket, number> = { hour: 24, day: 30 };

export interface BucketRow {
  time: string;
  messages: number;
  llm_calls: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  errors: number;
}

export async function tokenStatistics(queries: MonitoringQueries, f: Filters, bucket: Bucket, now = Date.now()) {
  const unit = UNIT_MS[bucket];
  const endMs = f.end ? Date.parse(f.end) : now;
  const first = Math.floor((f.start ? Date.parse(f.start) : endMs - (DEFAULT_SPAN[bucket] - 1) * unit) / unit) * unit;
  const last = Math.floor(endMs / unit) * unit;
  const n = (last - first) / unit + 1;
  if (n > MAX_BUCKETS) throw badRequest(`startTime to endTime spans ${n} ${bucket}s; at most ${MAX_BUCKETS} buckets are drawn. Narrow the range or use bucket=day.`);

  const range: Filters = { ...f, start: f.start ?? new Date(first).toISOString(), end: f.end ?? new Date(endMs).toISOString() };
  const key = sql<string>`substr(${sql.ref('timestamp')}, 1, ${sql.lit(KEY_LENGTH[bucket])})`;
  const grouped = (table: string) => queries.filtered(table, range).select(key.as('bucket')).groupBy(key);
  const [messages, llm, errors] = await Promise.all([
    grouped('monitoring_messages').select((eb) => eb.fn.countAll().as('n')).execute(),
    grouped('monitoring_llm_calls')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('input_tokens').as('input'), eb.fn.sum('output_tokens').as('output'), eb.fn.sum('total_tokens').as('total')])
      .execute(),
    grouped('monitoring_errors').select((eb) => eb.fn.countAll().as('n')).execute(),
  ]);

  const buckets = new Map<string, BucketRow>();
  for (let at = first; at <= last; at += unit) {
    const time = new Date(at).toISOString();
    buckets.set(time.slice(0, KEY_LENGTH[bucket]), { time, messages: 0, llm_calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, errors: 0 });
  }
  const num = (v: unknown) => Number(v ?? 0) || 0;
  for (const row of messages) {
    const b = buckets.get(String(row.bucket));
    if (b) b.messages = num(row.n);
  }
  for (const row of llm) {
    const b = buckets.get(String(row.bucket));
    if (b) Object.assign(b, { llm_calls: num(row.n), input_tokens: num(row.input), output_tokens: num(row.output), total_tokens: num(row.total) });
  }
  for (const row of errors) {
    const b = buckets.get(String(row.bucket));
    if (b) b.errors = num(row.n);
  }
  return { bucket, buckets: [...buckets.values()] };
}
