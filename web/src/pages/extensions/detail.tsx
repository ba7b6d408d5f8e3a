/** `#/extensions/:id`: one extension — overview, settings, logs — with enable / disable. */
import { useState } from 'preact/hooks';
import { Button, ConfirmButton, ErrorNotice, Loaded, PageHeader, Tabs, toast } from '../../components/ui';
import { api, ApiError } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useInterval, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { useExtT } from './i18n';
import { StatusBadge, word } from './labels';
import { ExtensionLogs } from './logs';
import { HTTP_EXTENSION, settling, statusOf, type ExtensionDetails, type ExtensionSummary } from './model';
import { ExtensionOverview } from './overview';
import { ExtensionSettings } from './settings';
import './extensions.css';

type Tab = 'overview' | 'settings' | 'logs';

export function ExtensionDetail({ id }: { id: string }) {
  const t = useExtT();
  const resource = useResource(() => api.get<{ extension: ExtensionDetails }>(`/api/v1/extensions/${encodeURIComponent(id)}`), [id]);
  useInterval(() => {
    if (resource.data && settling(resource.data.extension)) void resource.reload();
  }, 1000);
  const back = (
    <p class="ext-back">
      <a href={href('/extensions')}>← {t('back')}</a>
    </p>
  );
  if (resource.error instanceof ApiError && resource.error.status === 404 && !resource.data) {
    return (
      <>
        {back}
        <ErrorNotice error={new Error(t('notFound'))} />
      </>
    );
  }
  return (
    <>
      {back}
      <Loaded resource={resource}>{(data) => <Details ext={data.extension} reload={resource.reload} />}</Loaded>
    </>
  );
}

function Details({ ext, reload }: { ext: ExtensionDetails; reload: () => Promise<void> }) {
  const t = useExtT();
  const l = useLocalized();
  const [tab, setTab] = useState<Tab>('overview');
  const name = l(ext.display_name) || ext.id;
  const self = ext.id === HTTP_EXTENSION;

  const toggle = async () => {
    const action = ext.enabled ? 'disable' : 'enable';
    const { extension } = await api.post<{ extension: ExtensionSummary }>(`/api/v1/extensions/${encodeURIComponent(ext.id)}/${action}`);
    await reload();
    const status = statusOf(extension);
    if (status === 'failed') toast.error(t('startFailed', { name, reason: extension.reason }));
    else toast.ok(t('nowStatus', { name, status: word(t, 'status', status) }));
  };

  const tabs: Array<{ id: Tab; label: string }> = [
    { id: 'overview', label: t('tabOverview') },
    { id: 'settings', label: t('tabSettings') },
    { id: 'logs', label: t('tabLogs') },
  ];
  return (
    <>
      <PageHeader
        title={name}
        description={l(ext.description)}
        actions={
          <div class="row">
            <StatusBadge ext={ext} />
            {self ? (
              <Button variant="danger" disabled title={t('selfNotice')}>
                {t('disable')}
              </Button>
            ) : ext.enabled ? (
              <ConfirmButton label={t('disable')} question={t('disableQuestion', { name })} onConfirm={toggle} />
            ) : (
              <ConfirmButton label={t('enable')} variant="secondary" question={t('enableQuestion', { name })} onConfirm={toggle} />
            )}
          </div>
        }
      />
      {statusOf(ext) === 'failed' ? (
        <div class="state error ext-failure" role="alert">
          <strong>{t('failedTitle')}</strong>
          <p>{ext.health?.last_error || ext.reason}</p>
        </div>
      ) : null}
      <Tabs tabs={tabs} active={tab} onChange={(next) => setTab(next as Tab)} label={t('tabsLabel')} />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'overview' ? <ExtensionOverview ext={ext} /> : null}
        {tab === 'settings' ? <ExtensionSettings ext={ext} onSaved={reload} /> : null}
        {tab === 'logs' ? <ExtensionLogs id={ext.id} name={name} /> : null}
      </div>
    </>
  );
}
