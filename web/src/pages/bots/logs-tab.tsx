/** The bot's recent events, newest first, a page at a time; refused events show as warnings. */
import { useState } from 'preact/hooks';
import { Button, Card, Empty, Loaded, formatTime } from '../../components/ui';
import { useInterval, useResource } from '../../lib/resource';
import { botsApi, type Bot, type LoggedEvent } from './api';
import { useEventNames } from './events';
import { useBotsT } from './i18n';

const PAGE = 20;

type Person = { id?: unknown; nickname?: string; username?: string } | undefined;
const who = (p: Person) => (p ? p.nickname || p.username || String(p.id ?? '') : '');

/** One line about an event: who, where and (for messages) what was said. */
function summary(event: LoggedEvent['event']): string {
  const e = event as Record<string, unknown> & { message_chain?: Array<{ type: string; text?: string }>; new_content?: Array<{ type: string; text?: string }>; group?: { name?: string; id?: unknown } };
  const parts: string[] = [];
  const person = (e.sender ?? e.member ?? e.user ?? e.editor ?? e.operator) as Person;
  if (person) parts.push(who(person));
  if (e.group) parts.push(`@ ${e.group.name || String(e.group.id ?? '')}`);
  else if (e.chat_type === 'group' && e.chat_id !== undefined) parts.push(`@ ${String(e.chat_id)}`);
  const chain = e.message_chain ?? e.new_content;
  if (chain) {
    const text = chain
      .filter((c) => c.type !== 'Source')
      .map((c) => (c.type === 'Plain' || c.type === 'Unknown' ? (c.text ?? '') : `[${c.type}]`))
      .join('')
      .trim();
    if (text) parts.push(`“${text.length > 200 ? `${text.slice(0, 200)}…` : text}”`);
  }
  if (typeof e.reaction === 'string') parts.push(e.reaction);
  if (typeof e.action === 'string') parts.push(e.action);
  return parts.filter(Boolean).join(' ');
}

export function LogsTab({ bot }: { bot: Bot }) {
  const t = useBotsT();
  const names = useEventNames();
  const [page, setPage] = useState(0);
  const [live, setLive] = useState(false);
  const logs = useResource(() => botsApi.logs(bot.uuid, page * PAGE, PAGE), [bot.uuid, page]);
  useInterval(() => {
    if (live && !logs.loading) void logs.reload();
  }, 5000);
  return (
    <Card
      title={t('logsTitle')}
      actions={
        <div class="row">
          <label class="row small" for="bot-logs-live">
            <input id="bot-logs-live" type="checkbox" checked={live} onChange={(e) => setLive((e.target as HTMLInputElement).checked)} />
            {t('autoRefresh')}
          </label>
          <Button class="btn-small" busy={logs.loading} onClick={() => void logs.reload()}>
            {t('refresh')}
          </Button>
        </div>
      }
    >
      <p class="hint">{t('logsIntro')}</p>
      <Loaded resource={logs}>
        {({ logs: entries, total_count }) =>
          total_count === 0 ? (
            <Empty>{t('noLogs')}</Empty>
          ) : (
            <>
              <ol class="log-view bot-log" aria-label={t('logsTitle')} aria-live={live ? 'polite' : undefined}>
                {entries.map((entry, index) => {
                  const level = entry.accepted ? 'info' : 'warn';
                  const text = summary(entry.event);
                  return (
                    <li key={`${entry.received_at}-${index}`} class={`log-line log-${level}`}>
                      <details>
                        <summary>
                          <time dateTime={entry.received_at}>{formatTime(entry.received_at)}</time> <span class="bot-log-level">{level.toUpperCase()}</span>{' '}
                          <strong>{names.label(entry.event.type)}</strong> <span class="bot-log-type">{entry.event.type}</span>
                          {text ? ` ${text}` : ''} → {entry.handler_type} <span class="bot-log-via">({t('via', { via: entry.via })})</span>
                          {entry.accepted ? '' : ` — ${t('refused')}`}
                        </summary>
                        <pre aria-label={t('details')}>{JSON.stringify(entry.event, (key, value) => (key === 'source_platform_object' ? undefined : value), 2)}</pre>
                      </details>
                    </li>
                  );
                })}
              </ol>
              <div class="spread bot-log-pages">
                <span class="muted small">{t('pageInfo', { from: page * PAGE + 1, to: page * PAGE + entries.length, total: total_count })}</span>
                <div class="row">
                  <Button class="btn-small" disabled={page === 0} onClick={() => setPage(page - 1)}>
                    ← {t('newer')}
                  </Button>
                  <Button class="btn-small" disabled={(page + 1) * PAGE >= total_count} onClick={() => setPage(page + 1)}>
                    {t('older')} →
                  </Button>
                </div>
              </div>
            </>
          )
        }
      </Loaded>
    </Card>
  );
}
