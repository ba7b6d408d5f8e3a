/** `#/api-keys`: the API keys with their scopes and use; create one (shown once), revoke or delete. */
import { useState } from 'preact/hooks';
import { Badge, Button, ConfirmButton, Empty, Loaded, PageHeader, formatTime, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useResource } from '../../lib/resource';
import { CreateKeyDialog } from './create-dialog';
import { useKeysT, type KeysT } from './i18n';
import { keyStatus, permissionKey, type ApiKey } from './model';
import './api-keys.css';

export function ApiKeysPage() {
  const t = useKeysT();
  const resource = useResource(() => api.get<{ keys: ApiKey[] }>('/api/v1/apikeys'), []);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('create')}
          </Button>
        }
      />
      <p class="hint keys-usage">{t('usage')}</p>
      <Loaded resource={resource}>
        {({ keys }) =>
          keys.length === 0 ? (
            <Empty>{t('empty')}</Empty>
          ) : (
            <section class="card">
              <div class="table-wrap">
                <table class="keys-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('colName')}</th>
                      <th scope="col">{t('colScopes')}</th>
                      <th scope="col">{t('colStatus')}</th>
                      <th scope="col">{t('colCreated')}</th>
                      <th scope="col">{t('colLastUsed')}</th>
                      <th scope="col">{t('colExpires')}</th>
                      <th scope="col">{t('colActions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...keys].reverse().map((key) => (
                      <KeyRow key={key.uuid} t={t} apiKey={key} reload={resource.reload} />
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )
        }
      </Loaded>
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} onCreated={() => void resource.reload()} />
    </>
  );
}

function KeyRow({ t, apiKey: key, reload }: { t: KeysT; apiKey: ApiKey; reload: () => Promise<void> }) {
  const status = keyStatus(key);
  const tone = status === 'active' ? 'good' : status === 'expired' ? 'warn' : 'neutral';
  const revoke = async () => {
    await api.put(`/api/v1/apikeys/${encodeURIComponent(key.uuid)}`, { status: 'revoked' });
    toast.ok(t('revoked', { name: key.name }));
    await reload();
  };
  const remove = async () => {
    await api.del(`/api/v1/apikeys/${encodeURIComponent(key.uuid)}`);
    toast.ok(t('deleted', { name: key.name }));
    await reload();
  };
  return (
    <tr data-key={key.name}>
      <td data-label={t('colName')}>
        <strong>{key.name}</strong>
        {key.description ? <div class="muted small">{key.description}</div> : null}
      </td>
      <td data-label={t('colScopes')}>
        <div class="row keys-scope-list">
          {key.scopes.includes('*') ? (
            <Badge tone="info">{t('allScopes')}</Badge>
          ) : (
            key.scopes.map((s) => (
              <code key={s} class="keys-scope" title={t(permissionKey(s) as Parameters<KeysT>[0])}>
                {s}
              </code>
            ))
          )}
        </div>
      </td>
      <td data-label={t('colStatus')}>
        <Badge tone={tone}>{t(`status_${status}`)}</Badge>
      </td>
      <td data-label={t('colCreated')}>{formatTime(key.created_at)}</td>
      <td data-label={t('colLastUsed')}>{key.last_used_at ? formatTime(key.last_used_at) : <span class="muted">{t('notUsed')}</span>}</td>
      <td data-label={t('colExpires')}>{key.expires_at ? formatTime(key.expires_at) : <span class="muted">{t('never')}</span>}</td>
      <td data-label={t('colActions')}>
        {status === 'active' ? (
          <ConfirmButton class="btn-small" label={t('revoke')} aria-label={`${t('revoke')} ${key.name}`} question={t('revokeQuestion', { name: key.name })} onConfirm={revoke} />
        ) : (
          <ConfirmButton class="btn-small" variant="secondary" label={t('delete')} aria-label={`${t('delete')} ${key.name}`} question={t('deleteQuestion', { name: key.name })} onConfirm={remove} />
        )}
      </td>
    </tr>
  );
}
