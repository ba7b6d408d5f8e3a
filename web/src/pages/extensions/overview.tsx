/** An extension's overview: what it is, what it contributes, what it may do, and how it is doing. */
import { Fragment } from 'preact';
import { Card, formatTime } from '../../components/ui';
import { PermissionList } from '../../components/permissions';
import { useExtT } from './i18n';
import { HealthText, StatusBadge, ms, word } from './labels';
import { HTTP_EXTENSION, issuesText, type ExtensionDetails } from './model';

export function ExtensionOverview({ ext }: { ext: ExtensionDetails }) {
  const t = useExtT();
  const issues = issuesText(ext.issues);
  const lastError = ext.health?.last_error;
  return (
    <div class="stack">
      {ext.id === HTTP_EXTENSION ? <p class="ext-notice">{t('selfNotice')}</p> : null}
      <div class="grid-2">
        <Card title={t('about')}>
          <dl class="ext-facts">
            <dt>{t('id')}</dt>
            <dd>
              <code>{ext.id}</code>
            </dd>
            <dt>{t('version')}</dt>
            <dd>
              <code>{ext.version ?? '—'}</code>
            </dd>
            <dt>{t('source')}</dt>
            <dd>{word(t, 'source', ext.source)}</dd>
            <dt>{t('isolation')}</dt>
            <dd>
              {word(t, 'iso', ext.isolation)}
              <p class="hint">{word(t, 'isoLong', ext.isolation)}</p>
            </dd>
            <dt>{t('state')}</dt>
            <dd>
              <StatusBadge ext={ext} />
            </dd>
            <dt>{t('reason')}</dt>
            <dd>{ext.reason || '—'}</dd>
            <dt>{t('since')}</dt>
            <dd>{formatTime(ext.since)}</dd>
            {lastError ? (
              <>
                <dt>{t('lastError')}</dt>
                <dd>
                  <pre class="ext-error">{lastError}</pre>
                </dd>
              </>
            ) : null}
          </dl>
          {issues ? (
            <div class="ext-issues">
              <h3>{t('issues')}</h3>
              <pre class="ext-error">{issues}</pre>
            </div>
          ) : null}
        </Card>
        <div class="stack">
          <Card title={t('contributions')}>
            {Object.keys(ext.contributes).length === 0 ? (
              <p class="muted">{t('noContributions')}</p>
            ) : (
              <dl class="ext-facts">
                {Object.entries(ext.contributes).map(([kind, keys]) => (
                  <Fragment key={kind}>
                    <dt>{word(t, 'kind', kind)}</dt>
                    <dd>
                      <div class="row">
                        {keys.map((k) => (
                          <code key={k} class="ext-key">
                            {k}
                          </code>
                        ))}
                      </div>
                    </dd>
                  </Fragment>
                ))}
              </dl>
            )}
          </Card>
          <Card title={t('permissions')}>
            <PermissionList permissions={ext.permissions} inprocess={ext.isolation === 'inprocess'} />
          </Card>
          <Card title={t('health')}>
            <p>
              <HealthText health={ext.health} />
            </p>
            {ext.health && (ext.health.rpc_p50_ms !== null || ext.health.rpc_p99_ms !== null) ? (
              <p class="muted small">{t('latency', { p50: ms(ext.health.rpc_p50_ms), p99: ms(ext.health.rpc_p99_ms) })}</p>
            ) : null}
          </Card>
          <ServicesCard ext={ext} />
        </div>
      </div>
    </div>
  );
}

function ServicesCard({ ext }: { ext: ExtensionDetails }) {
  const t = useExtT();
  const { provides = [], requires = [], optional = [] } = ext.services ?? {};
  if (provides.length + requires.length + optional.length === 0) return null;
  return (
    <Card title={t('servicesTitle')}>
      <ul class="ext-perms">
        {provides.length ? <li>{t('provides', { list: provides.join(', ') })}</li> : null}
        {requires.length ? <li>{t('requires', { list: requires.join(', ') })}</li> : null}
        {optional.length ? <li>{t('optional', { list: optional.join(', ') })}</li> : null}
      </ul>
    </Card>
  );
}
