/** The instance at a glance: version, uptime, memory, extensions (with the failed ones named) and bots. */
import { Card, Loaded } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useInterval, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import type { DashT } from './i18n';

interface Health {
  resources?: { uptime_seconds?: number; memory_rss_bytes?: number };
}
interface Extension {
  id: string;
  display_name: unknown;
  enabled: boolean;
  state: 'pending' | 'loading' | 'active' | 'failed' | 'disposed';
  reason: string;
}
interface Bot {
  uuid: string;
  adapter: string;
  enable: boolean;
  status?: { state?: string };
}

/** The debug chat's bot belongs to the console, not to a platform the user connected. */
const INTERNAL_ADAPTERS = new Set(['debug-chat']);

async function health(): Promise<Health> {
  // /healthz is outside the API: no envelope, so not through `api`.
  const response = await fetch('/healthz');
  if (!response.ok) throw new Error(`/healthz answered HTTP ${response.status}`);
  return response.json();
}

async function loadStatus() {
  const [h, info, extensions, bots] = await Promise.all([
    health(),
    api.get<{ version?: string }>('/api/v1/system/info'),
    api.get<{ extensions: Extension[] }>('/api/v1/extensions'),
    api.get<{ bots: Bot[] }>('/api/v1/platform/bots'),
  ]);
  return { health: h, version: info.version, extensions: extensions.extensions, bots: bots.bots.filter((b) => !INTERNAL_ADAPTERS.has(b.adapter)) };
}

export function uptimeText(t: DashT, seconds: number | undefined): string {
  if (seconds === undefined) return t('unknown');
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${t('days', { n: d })} ${t('hours', { n: h })}`;
  if (h > 0) return `${t('hours', { n: h })} ${t('minutes', { n: m })}`;
  if (m > 0) return t('minutes', { n: m });
  return t('seconds', { n: Math.floor(seconds) });
}

const megabytes = (bytes: number | undefined) => (bytes === undefined ? undefined : `${Math.round(bytes / 1_048_576).toLocaleString()} MB`);

export function SystemStatus({ t }: { t: DashT }) {
  const status = useResource(loadStatus, []);
  useInterval(() => {
    if (!status.loading) void status.reload();
  }, 30_000);
  const l = useLocalized();
  return (
    <Card title={t('system')} aria-label={t('system')}>
      <Loaded resource={status}>
        {({ health: h, version, extensions, bots }) => {
          const enabled = extensions.filter((e) => e.enabled);
          const active = enabled.filter((e) => e.state === 'active').length;
          const waiting = enabled.filter((e) => e.state === 'pending').length;
          const failed = enabled.filter((e) => e.state === 'failed');
          const running = bots.filter((b) => b.status?.state === 'running').length;
          return (
            <dl class="dash-status" data-testid="system-status">
              <div>
                <dt>{t('version')}</dt>
                <dd>{version ?? t('unknown')}</dd>
              </div>
              <div>
                <dt>{t('uptime')}</dt>
                <dd>{uptimeText(t, h.resources?.uptime_seconds)}</dd>
              </div>
              <div>
                <dt>{t('memory')}</dt>
                <dd>{megabytes(h.resources?.memory_rss_bytes) ?? t('unknown')}</dd>
              </div>
              <div>
                <dt>{t('extensions')}</dt>
                <dd>
                  <span class="dash-dot dash-good" aria-hidden="true" /> {t('extActive', { n: active })}
                  {waiting > 0 ? <span class="muted small dash-sub">{t('extWaiting', { n: waiting })}</span> : null}
                  {failed.length > 0 ? (
                    <details class="dash-failed" open={failed.length <= 3}>
                      <summary>
                        {t('extFailed', { n: failed.length })}
                      </summary>
                      <ul aria-label={t('failedList')}>
                        {failed.map((e) => (
                          <li key={e.id}>
                            <a href={href(`/extensions/${encodeURIComponent(e.id)}`)} title={e.reason}>
                              {l(e.display_name) || e.id}
                            </a>
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : (
                    <span class="muted small dash-sub">{t('extAllWell')}</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>{t('bots')}</dt>
                <dd>
                  {bots.length === 0 ? (
                    <>
                      {t('noBots')} · <a href={href('/bots')}>{t('addBot')}</a>
                    </>
                  ) : (
                    <>
                      <span class={`dash-dot ${running === bots.length ? 'dash-good' : 'dash-warn'}`} aria-hidden="true" /> {t('botsRunning', { running, total: bots.length })}
                    </>
                  )}
                </dd>
              </div>
            </dl>
          );
        }}
      </Loaded>
    </Card>
  );
}
