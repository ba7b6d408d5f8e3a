/** Where the list comes from: the registry's name, the mirror that answered, an offline copy, and failing mirrors. */
import { Badge, ErrorNotice, formatTime } from '../../components/ui';
import type { Resource } from '../../lib/resource';
import { useMarketT } from './i18n';
import type { RegistryStatus } from './model';

/** The marketplace extension's settings: its mirrors and trusted keys. */
function SettingsLink() {
  const t = useMarketT();
  return (
    <a class="small" href="#/extensions/langbot.marketplace">
      {t('registrySettings')}
    </a>
  );
}

export function RegistryStatusLine({ resource }: { resource: Resource<RegistryStatus> }) {
  const t = useMarketT();
  if (resource.data === undefined) {
    if (resource.error) {
      return (
        <div class="stack">
          <ErrorNotice error={resource.error} onRetry={() => void resource.reload()} />
          <SettingsLink />
        </div>
      );
    }
    return <p class="muted small mp-registry">{t('registryLoading')}</p>;
  }
  const status = resource.data;
  const failures = status.mirrors.filter((m) => m.ok === false);
  return (
    <section class="mp-registry" aria-label={t('registryLabel')}>
      <p class="row small">
        <span>
          {t('registry')} <strong>{status.name}</strong>
        </span>
        <span class="muted">{t('fromMirror', { mirror: status.mirror })}</span>
        {status.fetched_at ? <span class="muted">{t('fetchedAt', { time: formatTime(status.fetched_at) })}</span> : null}
        {status.stale ? (
          <Badge tone="warn" title={t('staleHint')}>
            {t('stale')}
          </Badge>
        ) : null}
        <SettingsLink />
      </p>
      {status.stale ? <p class="hint">{t('staleHint')}</p> : null}
      {failures.length > 0 ? (
        <div class="mp-mirror-errors" role="status">
          <p class="small">{t('mirrorErrors')}</p>
          <ul class="small">
            {failures.map((m) => (
              <li key={m.url}>
                <code>{m.url}</code>: {m.error ?? t('unknownError')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
