/** An extension's recent log lines, filtered by level, refreshed on demand or every few seconds. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button, Card, Empty, Loaded } from '../../components/ui';
import { api } from '../../lib/api';
import { useInterval, useResource } from '../../lib/resource';
import { useExtT } from './i18n';
import { word } from './labels';
import type { LogEntry } from './model';

const LEVELS: LogEntry['level'][] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const LIMITS = [100, 200, 500];

export function ExtensionLogs({ id, name }: { id: string; name: string }) {
  const t = useExtT();
  const [level, setLevel] = useState<LogEntry['level']>('trace');
  const [limit, setLimit] = useState(200);
  const [auto, setAuto] = useState(false);
  const resource = useResource(() => api.get<{ logs: LogEntry[] }>(`/api/v1/extensions/${encodeURIComponent(id)}/logs?limit=${limit}`), [id, limit]);
  useInterval(() => {
    if (auto && !resource.loading) void resource.reload();
  }, 3000);
  const view = useRef<HTMLDivElement>(null);
  const lines = (resource.data?.logs ?? []).filter((entry) => LEVELS.indexOf(entry.level) >= LEVELS.indexOf(level));
  // Follow the newest line while it refreshes by itself.
  useEffect(() => {
    if (auto && view.current) view.current.scrollTop = view.current.scrollHeight;
  }, [auto, lines.length]);

  return (
    <Card>
      <div class="ext-log-tools">
        <div class="field">
          <label for="ext-log-level">{t('level')}</label>
          <select id="ext-log-level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value as LogEntry['level'])}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {word(t, 'lvl', l)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ext-log-limit">{t('lines')}</label>
          <select id="ext-log-limit" value={String(limit)} onChange={(e) => setLimit(Number((e.target as HTMLSelectElement).value))}>
            {LIMITS.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-inline ext-auto">
          <input id="ext-log-auto" type="checkbox" role="switch" class="switch" checked={auto} onChange={(e) => setAuto((e.target as HTMLInputElement).checked)} />
          <label for="ext-log-auto">{t('autoRefresh')}</label>
        </div>
        <Button onClick={() => void resource.reload()} busy={resource.loading && resource.data !== undefined}>
          {t('refresh')}
        </Button>
      </div>
      <Loaded resource={resource}>
        {() =>
          lines.length === 0 ? (
            <Empty>{t('noLogs')}</Empty>
          ) : (
            <div class="log-view" ref={view} role="log" aria-label={t('logsLabel', { name })} tabIndex={0}>
              {lines.map((entry, index) => (
                <div key={`${entry.time}-${index}`} class={`log-line log-${entry.level}`}>
                  <span class="ext-log-time">{new Date(entry.time).toLocaleTimeString()}</span> <span class="ext-log-level">{entry.level.toUpperCase().padEnd(5)}</span> {entry.msg}
                  {entry.data && Object.keys(entry.data).length > 0 ? <span class="ext-log-data"> {JSON.stringify(entry.data)}</span> : null}
                </div>
              ))}
            </div>
          )
        }
      </Loaded>
    </Card>
  );
}
