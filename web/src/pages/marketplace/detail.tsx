/** `#/marketplace/:id`: one registry extension — README, versions, permissions, what is installed — and its actions. */
import { useState } from 'preact/hooks';
import { Button, Card, ErrorNotice, Loaded, PageHeader, toast } from '../../components/ui';
import { ApiError } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useInterval, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { ExtensionActions } from './actions';
import { ExtensionFacts, InstalledCard, VersionsCard } from './facts';
import { useMarketT } from './i18n';
import { market, type ExtensionDetails, type Task } from './model';
import { renderReadme } from './readme';
import { InstalledBadges } from './state';
import { TaskProgress } from './task-progress';
import './marketplace.css';

export function MarketplaceDetail({ id }: { id: string }) {
  const t = useMarketT();
  const resource = useResource(() => market.details(id), [id]);
  // An installed version that is still starting settles within moments.
  useInterval(() => {
    if (resource.data?.extension.installed?.state === 'loading' && !resource.loading) void resource.reload();
  }, 1000);
  const back = (
    <p class="mp-back">
      <a href={href('/marketplace')}>← {t('back')}</a>
    </p>
  );
  if (resource.error instanceof ApiError && resource.error.status === 404 && !resource.data) {
    return (
      <>
        {back}
        <ErrorNotice error={new Error(t('notFound', { id }))} />
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
  const t = useMarketT();
  const l = useLocalized();
  const name = l(ext.display_name) || ext.id;
  // A task whose dialog was closed before it ended keeps being shown here.
  const [background, setBackground] = useState<string | null>(null);
  const finished = (task: Task) => {
    void reload();
    if (task.id === background) {
      if (task.state === 'succeeded') toast.ok(t(`done_${task.kind}`, { name, version: task.version ?? '' }));
      else toast.error(task.error?.message ?? task.message);
    }
  };
  return (
    <>
      <PageHeader
        title={name}
        description={l(ext.description)}
        actions={<ExtensionActions ext={ext} onFinished={finished} onBackground={setBackground} />}
      />
      <div class="row mp-summary">
        <InstalledBadges item={ext} />
        {ext.installed ? (
          <a href={href(`/extensions/${encodeURIComponent(ext.id)}`)} class="small">
            {t('openInExtensions')}
          </a>
        ) : null}
      </div>
      {background ? (
        <Card title={t('inProgress')} actions={<Button variant="ghost" class="btn-small" onClick={() => setBackground(null)}>{t('hide')}</Button>}>
          <TaskProgress key={background} taskId={background} name={name} onFinished={finished} />
        </Card>
      ) : null}
      <div class="mp-detail">
        <Card title={t('readme')} class="mp-readme-card">
          {ext.readme ? (
            // The README is rendered with raw HTML escaped and only http(s) links (readme.ts).
            <div class="mp-readme" dangerouslySetInnerHTML={{ __html: renderReadme(ext.readme) }} />
          ) : (
            <p class="muted">{t('noReadme')}</p>
          )}
        </Card>
        <div class="stack mp-side">
          {ext.installed ? <InstalledCard ext={ext} /> : null}
          <ExtensionFacts ext={ext} />
          <VersionsCard ext={ext} />
        </div>
      </div>
    </>
  );
}
