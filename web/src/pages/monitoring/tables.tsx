/** One table per monitoring list: the columns each kind of row shows. */
import type { ComponentChildren } from 'preact';
import { Badge, formatTime } from '../../components/ui';
import { duration, nameOr, num, shorten, StatusBadge } from './format';
import type { MonT } from './i18n';
import type { Kind, RowOf, SessionRow } from './model';

interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
}

/** Names of bots and pipelines by id, for rows that carry only the id (LLM calls carry no pipeline name). */
export interface Names {
  bots: Map<string, string>;
  pipelines: Map<string, string>;
}

export interface RowActions {
  /** Opens a message's turn. */
  openMessage(id: string, time: string): void;
  /** Shows the messages of one session. */
  showSession(row: SessionRow): void;
}

export const statusLabel = (t: MonT, status: string | null | undefined) =>
  status === 'success' || status === 'error' || status === 'pending' || status === 'discarded' ? t(`status_${status}`) : (status ?? '');

export const userOf = (row: { user_name: string | null; user_id: string | null }) => nameOr(row.user_name, row.user_id);

function IdOrName({ name, id, known }: { name: string | null; id: string | null; known: Map<string, string> }) {
  if (name) return <>{name}</>;
  if (id && known.has(id)) return <>{known.get(id)}</>;
  if (!id) return <>—</>;
  return <code title={id}>{id.length > 12 ? `${id.slice(0, 8)}…` : id}</code>;
}

function columns<K extends Kind>(kind: K, t: MonT, actions: RowActions, names: Names): Array<Column<RowOf[K]>> {
  const time: Column<{ timestamp: string }> = { label: t('col_time'), cell: (r) => <time dateTime={r.timestamp}>{formatTime(r.timestamp)}</time>, class: 'mon-nowrap' };
  const bot: Column<{ bot_name: string | null; bot_id: string | null }> = { label: t('col_bot'), cell: (r) => <IdOrName name={r.bot_name} id={r.bot_id} known={names.bots} /> };
  const pipeline: Column<{ pipeline_name: string | null; pipeline_id: string | null }> = { label: t('col_pipeline'), cell: (r) => <IdOrName name={r.pipeline_name} id={r.pipeline_id} known={names.pipelines} /> };
  const status: Column<{ status: string; error_message?: string | null }> = { label: t('col_status'), cell: (r) => <StatusBadge status={r.status} label={statusLabel(t, r.status)} title={r.error_message ?? undefined} /> };
  const all: { [P in Kind]: Array<Column<RowOf[P]>> } = {
    messages: [
      time,
      { label: t('col_role'), cell: (r) => <Badge tone={r.role === 'user' ? 'info' : 'neutral'}>{r.role === 'user' ? t('role_user') : t('role_assistant')}</Badge> },
      { label: t('col_content'), cell: (r) => <span class="mon-text">{shorten(r.message_content, 200)}</span>, class: 'mon-wide' },
      { label: t('col_user'), cell: (r) => userOf(r) },
      bot,
      pipeline,
      status,
      {
        label: t('col_actions'),
        cell: (r) => (
          <button type="button" class="btn btn-small" aria-label={t('detailsOf', { time: formatTime(r.timestamp) })} onClick={() => actions.openMessage(r.id, r.timestamp)}>
            {t('details')}
          </button>
        ),
      },
    ],
    'llm-calls': [
      time,
      { label: t('col_model'), cell: (r) => <code>{r.model_name}</code>, class: 'mon-nowrap' },
      { label: t('col_tokens'), cell: (r) => `${num(r.input_tokens)} / ${num(r.output_tokens)}`, class: 'mon-num' },
      { label: t('col_duration'), cell: (r) => duration(r.duration), class: 'mon-num' },
      { label: t('col_status'), cell: (r) => <StatusBadge status={r.status} label={statusLabel(t, r.status)} title={r.error_message ?? undefined} /> },
      { label: t('col_error'), cell: (r) => <span class="mon-text">{shorten(r.error_message, 160)}</span> },
      bot,
      pipeline,
    ],
    'tool-calls': [
      time,
      { label: t('col_tool'), cell: (r) => <code>{r.tool_name}</code>, class: 'mon-nowrap' },
      { label: t('col_source'), cell: (r) => r.tool_source ?? '—' },
      { label: t('col_duration'), cell: (r) => duration(r.duration), class: 'mon-num' },
      { label: t('col_status'), cell: (r) => <StatusBadge status={r.status} label={statusLabel(t, r.status)} title={r.error_message ?? undefined} /> },
      { label: t('col_arguments'), cell: (r) => <code class="mon-text">{shorten(r.arguments, 120)}</code> },
      { label: t('col_result'), cell: (r) => <span class="mon-text">{shorten(r.error_message || r.result, 160)}</span>, class: 'mon-wide' },
      bot,
    ],
    errors: [
      time,
      { label: t('col_type'), cell: (r) => <code>{r.error_type}</code> },
      {
        label: t('col_error'),
        cell: (r) => (
          <div class="mon-text">
            {r.error_message}
            {r.stack_trace ? (
              <details>
                <summary>{t('stack')}</summary>
                <pre>{r.stack_trace}</pre>
              </details>
            ) : null}
          </div>
        ),
        class: 'mon-wide',
      },
      bot,
      pipeline,
    ],
    sessions: [
      { label: t('col_user'), cell: (r) => <span title={r.session_id}>{userOf(r)}</span> },
      bot,
      pipeline,
      { label: t('col_count'), cell: (r) => num(r.message_count), class: 'mon-num' },
      { label: t('col_started'), cell: (r) => formatTime(r.start_time), class: 'mon-nowrap' },
      { label: t('col_last'), cell: (r) => formatTime(r.last_activity), class: 'mon-nowrap' },
      { label: t('col_active'), cell: (r) => <Badge tone={r.is_active ? 'good' : 'neutral'}>{r.is_active ? t('active') : t('inactive')}</Badge> },
      {
        label: t('col_actions'),
        cell: (r) => (
          <button type="button" class="btn btn-small" aria-label={t('viewMessagesOf', { name: userOf(r) })} onClick={() => actions.showSession(r)}>
            {t('viewMessages')}
          </button>
        ),
      },
    ],
  };
  return all[kind] as Array<Column<RowOf[K]>>;
}

export function RowsTable<K extends Kind>({ kind, rows, t, actions, names }: { kind: K; rows: Array<RowOf[K]>; t: MonT; actions: RowActions; names: Names }) {
  const cols = columns(kind, t, actions, names);
  // A click anywhere on a message's row opens it too (the Details button is the keyboard's way).
  const onRow = (row: RowOf[K]) => (event: MouseEvent) => {
    if (kind !== 'messages' || (event.target as HTMLElement).closest('button, a, summary, details')) return;
    if (window.getSelection()?.toString()) return;
    const message = row as RowOf['messages'];
    actions.openMessage(message.id, message.timestamp);
  };
  return (
    <div class="table-wrap">
      <table class="mon-table" data-kind={kind}>
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={(row as { id?: string; session_id: string | null }).id ?? (row as SessionRow).session_id ?? i} class={kind === 'messages' ? 'mon-clickable' : undefined} onClick={onRow(row)}>
              {cols.map((c) => (
                <td key={c.label} class={c.class} data-label={c.label}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
