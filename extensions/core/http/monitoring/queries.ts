/**
 * Read-only queries over the monitoring tables the pipeline, the models and the tools extensions write:
 * paged lists, the overview numbers and the basic stats. Works on SQLite and PostgreSQL alike (timestamps are
 * ISO text, so ranges are text comparisons; counts and sums are converted with Number because PostgreSQL
 * answers bigints as strings).
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Filters, Page } from './filters.js';

export const KINDS = ['messages', 'llm-calls', 'tool-calls', 'errors', 'sessions'] as const;
export type Kind = (typeof KINDS)[number];

const TABLE: Record<Kind, string> = {
  messages: 'monitoring_messages',
  'llm-calls': 'monitoring_llm_calls',
  'tool-calls': 'monitoring_tool_calls',
  errors: 'monitoring_errors',
  sessions: 'sessions',
};

/** The key of a list in its answer, e.g. `{ llm_calls, total }`. */
export const ITEMS_KEY: Record<Kind, string> = { messages: 'messages', 'llm-calls': 'llm_calls', 'tool-calls': 'tool_calls', errors: 'errors', sessions: 'sessions' };

/** Columns in order, for CSV headers (an empty export still says what it would hold). */
export const COLUMNS: Record<Kind, string[]> = {
  messages: ['id', 'timestamp', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'session_id', 'role', 'message_content', 'status', 'level', 'platform', 'user_id', 'user_name', 'runner_name', 'variables'],
  'llm-calls': ['id', 'timestamp', 'model_name', 'input_tokens', 'output_tokens', 'total_tokens', 'duration', 'cost', 'status', 'error_message', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'session_id', 'message_id'],
  'tool-calls': ['id', 'timestamp', 'tool_name', 'tool_source', 'duration', 'status', 'arguments', 'result', 'error_message', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'session_id', 'message_id'],
  errors: ['id', 'timestamp', 'error_type', 'error_message', 'stack_trace', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'session_id', 'message_id'],
  sessions: ['session_id', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'message_count', 'start_time', 'last_activity', 'is_active', 'platform', 'user_id', 'user_name'],
};

/**
 * A session is active while its flag is set and it saw activity within this window. Nothing clears the stored
 * flag yet, so the window is what makes "active" mean something.
 */
export const ACTIVE_WINDOW_MS = 30 * 60_000;

type Row = Record<string, unknown>;
type Select = SelectQueryBuilder<any, any, any>;

const count = (value: unknown) => Number(value ?? 0) || 0;

export class MonitoringQueries {
  constructor(
    /** The application database (any schema that includes the core tables). */
    private readonly db: Kysely<any>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Where rows of a monitoring table match the filters; `timestamp` carries the time range. */
  filtered(table: string, f: Filters): Select {
    return this.db
      .selectFrom(table)
      .$if(f.botIds.length > 0, (q) => q.where('bot_id', 'in', f.botIds))
      .$if(f.pipelineIds.length > 0, (q) => q.where('pipeline_id', 'in', f.pipelineIds))
      .$if(f.sessionIds.length > 0, (q) => q.where('session_id', 'in', f.sessionIds))
      .$if(f.start !== undefined, (q) => q.where('timestamp', '>=', f.start!))
      .$if(f.end !== undefined, (q) => q.where('timestamp', '<=', f.end!));
  }

  /** Sessions that overlap the time range (started before its end, active after its start). */
  private sessions(f: Filters, isActive?: boolean): Select {
    const cutoff = new Date(this.now() - ACTIVE_WINDOW_MS).toISOString();
    return this.db
      .selectFrom('sessions')
      .$if(f.botIds.length > 0, (q) => q.where('bot_id', 'in', f.botIds))
      .$if(f.pipelineIds.length > 0, (q) => q.where('pipeline_id', 'in', f.pipelineIds))
      .$if(f.sessionIds.length > 0, (q) => q.where('session_id', 'in', f.sessionIds))
      .$if(f.start !== undefined, (q) => q.where('last_activity', '>=', f.start!))
      .$if(f.end !== undefined, (q) => q.where('start_time', '<=', f.end!))
      .$if(isActive === true, (q) => q.where('is_active', '=', 1).where('last_activity', '>=', cutoff))
      .$if(isActive === false, (q) => q.where((eb) => eb.or([eb('is_active', '=', 0), eb('last_activity', '<', cutoff)])));
  }

  private sessionView(row: Row): Row {
    return { ...row, is_active: Number(row.is_active) === 1 && String(row.last_activity) >= new Date(this.now() - ACTIVE_WINDOW_MS).toISOString() };
  }

  async list(kind: Kind, f: Filters, page: Page, isActive?: boolean): Promise<{ items: Row[]; total: number }> {
    const base = kind === 'sessions' ? this.sessions(f, isActive) : this.filtered(TABLE[kind], f);
    const [{ n }] = await base.select((eb) => eb.fn.countAll().as('n')).execute();
    const ordered = kind === 'sessions' ? base.orderBy('last_activity', 'desc').orderBy('session_id') : base.orderBy('timestamp', 'desc').orderBy('id', 'desc');
    const rows = (await ordered.selectAll().limit(page.limit).offset(page.offset).execute()) as Row[];
    return { items: kind === 'sessions' ? rows.map((r) => this.sessionView(r)) : rows, total: count(n) };
  }

  async overview(f: Filters) {
    const countOf = async (q: Select) => count((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
    const [total_messages, queries, tool_calls, errors, active_sessions, llm] = await Promise.all([
      countOf(this.filtered('monitoring_messages', f)),
      countOf(this.filtered('monitoring_messages', f).where('role', '=', 'user')),
      countOf(this.filtered('monitoring_tool_calls', f)),
      countOf(this.filtered('monitoring_errors', f)),
      countOf(this.sessions({ ...f, start: undefined, end: undefined }, true)),
      this.filtered('monitoring_llm_calls', f)
        .select((eb) => [
          eb.fn.countAll().as('calls'),
          eb.fn.sum('input_tokens').as('input'),
          eb.fn.sum('output_tokens').as('output'),
          eb.fn.sum('total_tokens').as('total'),
        ])
        .executeTakeFirst(),
    ]);
    const llm_calls = count(llm?.calls);
    const embedding_calls = 0;
    // Upstream counts messages whose status turned to error; here a failed query leaves an error row instead.
    const success_rate = queries > 0 ? Math.round((Math.max(0, queries - errors) / queries) * 10_000) / 100 : 100;
    return {
      total_messages,
      llm_calls,
      embedding_calls,
      model_calls: llm_calls + embedding_calls,
      tool_calls,
      success_rate,
      active_sessions,
      input_tokens: count(llm?.input),
      output_tokens: count(llm?.output),
      total_tokens: count(llm?.total),
      errors,
    };
  }

  async basicStats() {
    const countOf = async (q: Select) => count((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
    const none: Filters = { botIds: [], pipelineIds: [], sessionIds: [] };
    const [active_session_count, conversation_count, query_count] = await Promise.all([
      countOf(this.sessions(none, true)),
      countOf(this.db.selectFrom('conversations')),
      countOf(this.db.selectFrom('monitoring_messages').where('role', '=', 'user')),
    ]);
    return { active_session_count, conversation_count, query_count };
  }
}
