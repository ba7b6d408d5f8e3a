/** What the `/api/v1/monitoring/*` routes answer, the filters they take, and the time ranges the pages offer. */
import { api, query } from '../../lib/api';

export const KINDS = ['messages', 'llm-calls', 'tool-calls', 'errors', 'sessions'] as const;
export type Kind = (typeof KINDS)[number];

/** The key of a list in its answer, e.g. `{ llm_calls, total }`. */
export const ITEMS_KEY: Record<Kind, string> = { messages: 'messages', 'llm-calls': 'llm_calls', 'tool-calls': 'tool_calls', errors: 'errors', sessions: 'sessions' };

export interface Overview {
  total_messages: number;
  llm_calls: number;
  tool_calls: number;
  success_rate: number;
  active_sessions: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  errors: number;
}

export interface BucketRow {
  time: string;
  messages: number;
  llm_calls: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  errors: number;
}

interface Common {
  id: string;
  timestamp: string;
  bot_id: string | null;
  bot_name: string | null;
  pipeline_id: string | null;
  pipeline_name: string | null;
  session_id: string | null;
}

export interface MessageRow extends Common {
  role: 'user' | 'assistant';
  message_content: string;
  status: string;
  level: string;
  platform: string | null;
  user_id: string | null;
  user_name: string | null;
  runner_name: string | null;
}

export interface LlmCallRow extends Common {
  model_name: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  duration: number;
  status: string;
  error_message: string | null;
}

export interface ToolCallRow extends Common {
  tool_name: string;
  tool_source: string | null;
  duration: number;
  status: string;
  arguments: string | null;
  result: string | null;
  error_message: string | null;
}

export interface ErrorRow extends Common {
  error_type: string;
  error_message: string;
  stack_trace: string | null;
}

export interface SessionRow {
  session_id: string;
  bot_id: string | null;
  bot_name: string | null;
  pipeline_id: string | null;
  pipeline_name: string | null;
  message_count: number;
  start_time: string;
  last_activity: string;
  is_active: boolean;
  platform: string | null;
  user_id: string | null;
  user_name: string | null;
}

export interface RowOf {
  messages: MessageRow;
  'llm-calls': LlmCallRow;
  'tool-calls': ToolCallRow;
  errors: ErrorRow;
  sessions: SessionRow;
}

export interface MessageDetails {
  message: MessageRow;
  turn: { session_id: string | null; start: string; end: string | null };
  messages: MessageRow[];
  llm_calls: LlmCallRow[];
  tool_calls: ToolCallRow[];
  errors: ErrorRow[];
}

export interface Filters {
  botId?: string;
  pipelineId?: string;
  sessionId?: string;
  startTime?: string;
  endTime?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** The dashboard's ranges: each one a whole number of the server's UTC buckets, so bars and totals agree. */
export const DASHBOARD_RANGES = ['24h', '7d', '30d'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

export function dashboardRange(range: DashboardRange, now = Date.now()): { startTime: string; bucket: 'hour' | 'day' } {
  if (range === '24h') return { startTime: iso(Math.floor(now / HOUR) * HOUR - 23 * HOUR), bucket: 'hour' };
  const days = range === '7d' ? 7 : 30;
  return { startTime: iso(Math.floor(now / DAY) * DAY - (days - 1) * DAY), bucket: 'day' };
}

/** The monitoring page's ranges, rolling back from now; `all` sets no start. */
export const LIST_RANGES = ['1h', '24h', '7d', '30d', 'all'] as const;
export type ListRange = (typeof LIST_RANGES)[number];
const SPAN: Record<Exclude<ListRange, 'all'>, number> = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

export const listRangeStart = (range: ListRange, now = Date.now()): string | undefined => (range === 'all' ? undefined : iso(now - SPAN[range]));

export const monitoringApi = {
  overview: (f: Filters) => api.get<Overview>(`/api/v1/monitoring/overview${query({ ...f })}`),
  series: (f: Filters, bucket: 'hour' | 'day') => api.get<{ bucket: string; buckets: BucketRow[] }>(`/api/v1/monitoring/token-statistics${query({ ...f, bucket })}`).then((d) => d.buckets),
  list: <K extends Kind>(kind: K, f: Filters, page: { limit: number; offset: number }) =>
    api.get<Record<string, unknown>>(`/api/v1/monitoring/${kind}${query({ ...f, ...page })}`).then((d) => ({ items: d[ITEMS_KEY[kind]] as Array<RowOf[K]>, total: d.total as number })),
  details: (id: string) => api.get<MessageDetails>(`/api/v1/monitoring/messages/${encodeURIComponent(id)}/details`),
  basicStats: () => api.get<{ active_session_count: number; conversation_count: number; query_count: number }>('/api/v1/stats/basic'),
};
