/** The side cards of a marketplace extension: what is installed, what it is and asks for, and its versions. */
import { Fragment } from 'preact';
import { PermissionList } from '../../components/permissions';
import { Badge, Card, formatTime } from '../../components/ui';
import { useExtT } from '../extensions/i18n';
import { word } from '../extensions/labels';
import { useMarketT } from './i18n';
import { formatBytes, type ExtensionDetails } from './model';
import { StateBadge } from './state';

const webLink = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

export function InstalledCard({ ext }: { ext: ExtensionDetails }) {
  const t = useMarketT();
  const installed = ext.installed!;
  return (
    <Card title={t('installedTitle')}>
      <dl class="mp-facts">
        <dt>{t('version')}</dt>
        <dd>
          <code>{installed.version}</code>
        </dd>
        <dt>{t('state')}</dt>
        <dd>
          <StateBadge state={installed.state} reason={installed.reason} />
          {installed.reason ? <p class="hint">{installed.reason}</p> : null}
        </dd>
        <dt>{t('previousVersions')}</dt>
        <dd>{installed.previous_versions.length ? installed.previous_versions.map((v) => <code key={v} class="mp-chip">{v}</code>) : '—'}</dd>
        <dt>{t('approved')}</dt>
        <dd>
          <PermissionList permissions={installed.approved_permissions} />
        </dd>
      </dl>
    </Card>
  );
}

export function ExtensionFacts({ ext }: { ext: ExtensionDetails }) {
  const t = useMarketT();
  const e = useExtT();
  const repository = webLink(ext.repository);
  return (
    <>
      <Card title={t('about')}>
        <dl class="mp-facts">
          <dt>{t('id')}</dt>
          <dd>
            <code>{ext.id}</code>
          </dd>
          <dt>{t('author')}</dt>
          <dd>{ext.author || '—'}</dd>
          <dt>{t('latestVersion')}</dt>
          <dd>
            <code>{ext.latest_version}</code>
          </dd>
          <dt>{t('license')}</dt>
          <dd>{ext.license || '—'}</dd>
          {ext.repository ? (
            <>
              <dt>{t('repository')}</dt>
              <dd>
                {repository ? (
                  <a href={repository} target="_blank" rel="noopener noreferrer">
                    {repository}
                  </a>
                ) : (
                  ext.repository
                )}
              </dd>
            </>
          ) : null}
          <dt>{t('isolation')}</dt>
          <dd>
            {word(e, 'iso', ext.isolation)}
            <p class="hint">{word(e, 'isoLong', ext.isolation)}</p>
          </dd>
          {Object.entries(ext.contributes).map(([kind, keys]) => (
            <Fragment key={kind}>
              <dt>{word(e, 'kind', kind)}</dt>
              <dd>
                {keys.map((k) => (
                  <code key={k} class="mp-chip">
                    {k}
                  </code>
                ))}
              </dd>
            </Fragment>
          ))}
          {ext.categories.length || ext.keywords.length ? (
            <>
              <dt>{t('tags')}</dt>
              <dd class="row">
                {ext.categories.map((c) => (
                  <Badge key={c}>{c}</Badge>
                ))}
                {ext.keywords.map((k) => (
                  <span key={k} class="muted small">
                    #{k}
                  </span>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title={t('permissions')}>
        <p class="hint">{t('permissionsOf', { version: ext.latest_version })}</p>
        <PermissionList permissions={ext.permissions} inprocess={ext.isolation === 'inprocess'} />
      </Card>
    </>
  );
}

export function VersionsCard({ ext }: { ext: ExtensionDetails }) {
  const t = useMarketT();
  return (
    <Card title={t('versions')}>
      <div class="table-wrap">
        <table class="mp-versions">
          <thead>
            <tr>
              <th scope="col">{t('version')}</th>
              <th scope="col">{t('published')}</th>
              <th scope="col">{t('size')}</th>
            </tr>
          </thead>
          <tbody>
            {ext.versions.map((v) => (
              <tr key={v.version}>
                <td>
                  <code>{v.version}</code>{' '}
                  {v.version === ext.installed?.version ? <Badge tone="good">{t('current')}</Badge> : null}
                  {v.compatible ? null : <Badge tone="warn">{t('incompatible')}</Badge>}
                </td>
                <td>{formatTime(v.published_at)}</td>
                <td class="mp-nowrap">{formatBytes(v.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
