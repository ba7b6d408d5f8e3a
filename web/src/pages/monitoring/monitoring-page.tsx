/**
 * `#/monitoring[?tab=&bot=&pipeline=&session=&range=]`: the monitoring lists in tabs, filtered by bot, pipeline,
 * session and time range, paged, with a message's turn in a dialog and each list downloadable as CSV. The filters
 * live in the address, so a view can be reloaded, bookmarked or linked to from the dashboard.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Button, Card, Empty, Loaded, PageHeader, Tabs, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useResource, type Resource } from '../../lib/resource';
import { currentPath } from '../../lib/router';
import { MessageDetailsDialog } from './details';
import { downloadCsv } from './export';
import { num } from './format';
import { useMonT, type MonT } from './i18n';
import { KINDS, LIST_RANGES, listRangeStart, monitoringApi, type Filters, type Kind, type ListRange } from './model';
import { RowsTable, userOf, type Names, type RowActions } from './tables';
import './monitoring.css';

const PAGE_SIZE = 50;

interface View {
  tab: Kind;
  bot: string;
  pipeline: string;
  session: string;
  /** Who the session filter is about, for its label (the id alone means little). */
  sessionName: string;
  range: ListRange;
}

function readView(): View {
  const params = new URLSearchParams(currentPath().split('?')[1] ?? '');
  const tab = params.get('tab') as Kind | null;
  const range = params.get('range') as ListRange | null;
  return {
    tab: tab && KINDS.includes(tab) ? tab : 'messages',
    bot: params.get('bot') ?? '',
    pipeline: params.get('pipeline') ?? '',
    session: params.get('session') ?? '',
    sessionName: params.get('who') ?? '',
    range: range && LIST_RANGES.includes(range) ? range : '7d',
  };
}

function writeView(view: View) {
  const params = new URLSearchParams();
  if (view.tab !== 'messages') params.set('tab', view.tab);
  if (view.bot) params.set('bot', view.bot);
  if (view.pipeline) params.set('pipeline', view.pipeline);
  if (view.session) params.set('session', view.session);
  if (view.session && view.sessionName) params.set('who', view.sessionName);
  if (view.range !== '7d') params.set('range', view.range);
  const search = params.toString();
  // replaceState: no hashchange, so the page keeps its state and the back button is not flooded with filters.
  history.replaceState(null, '', `#/monitoring${search ? `?${search}` : ''}`);
}

export function MonitoringPage() {
  const t = useMonT();
  const [view, setView] = useState<View>(readView);
  const [page, setPage] = useState(0);
  // The range is measured from when the page was loaded or refreshed, so paging does not drift.
  const [now, setNow] = useState(Date.now);
  const [opened, setOpened] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  useEffect(() => writeView(view), [view]);
  // A link to another view of this page (the menu, the dashboard) changes the address while the page stays.
  useEffect(() => {
    const follow = () => {
      if (!currentPath().startsWith('/monitoring')) return;
      setView(readView());
      setPage(0);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const change = (patch: Partial<View>) => {
    setView({ ...view, ...patch });
    setPage(0);
  };
  const filters: Filters = useMemo(
    () => ({ botId: view.bot || undefined, pipelineId: view.pipeline || undefined, sessionId: view.session || undefined, startTime: listRangeStart(view.range, now) }),
    [view.bot, view.pipeline, view.session, view.range, now],
  );

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { filename, rows } = await downloadCsv(view.tab, filters);
      toast.ok(t('exported', { file: filename, rows: num(rows) }));
    } catch (error) {
      toast.error(error);
    } finally {
      setExporting(false);
    }
  };

  const options = useResource(loadOptions, []);
  const names: Names = useMemo(
    () => ({ bots: new Map((options.data?.bots ?? []).map((b) => [b.uuid, b.name])), pipelines: new Map((options.data?.pipelines ?? []).map((p) => [p.uuid, p.name])) }),
    [options.data],
  );
  const actions: RowActions = {
    openMessage: (id) => setOpened(id),
    showSession: (row) => change({ tab: 'messages', session: row.session_id, sessionName: userOf(row) }),
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <>
            <Button onClick={() => setNow(Date.now())}>{t('refresh')}</Button>
            <Button variant="primary" busy={exporting} onClick={() => void exportCsv()} aria-label={t('exportLabel', { what: t(`tab_${view.tab}`) })}>
              ⤓ {t('exportCsv')}
            </Button>
          </>
        }
      />
      <FilterBar view={view} onChange={change} options={options} t={t} />
      <Summary filters={filters} t={t} />
      <Tabs label={t('views')} tabs={KINDS.map((k) => ({ id: k, label: t(`tab_${k}`) }))} active={view.tab} onChange={(id) => change({ tab: id as Kind })} />
      <div role="tabpanel" aria-labelledby={`tab-${view.tab}`}>
        <ListPanel key={view.tab} kind={view.tab} filters={filters} page={page} onPage={setPage} actions={actions} names={names} t={t} />
      </div>
      {opened ? <MessageDetailsDialog id={opened} onClose={() => setOpened(null)} /> : null}
    </>
  );
}

interface Options {
  bots: Array<{ uuid: string; name: string }>;
  pipelines: Array<{ uuid: string; name: string }>;
}

async function loadOptions(): Promise<Options> {
  const [bots, pipelines] = await Promise.all([
    api.get<{ bots: Options['bots'] }>('/api/v1/platform/bots'),
    api.get<{ pipelines: Options['pipelines'] }>('/api/v1/pipelines?sort_by=name&sort_order=ASC'),
  ]);
  return { bots: bots.bots, pipelines: pipelines.pipelines };
}

function FilterBar({ view, onChange, options, t }: { view: View; onChange: (patch: Partial<View>) => void; options: Resource<Options>; t: MonT }) {
  const filtered = view.bot !== '' || view.pipeline !== '' || view.session !== '';
  return (
    <Card class="mon-filters-card" aria-label={t('filters')} role="search">
      <div class="mon-filters">
        <div class="field">
          <label for="mon-bot">{t('bot')}</label>
          <select id="mon-bot" value={view.bot} onChange={(e) => onChange({ bot: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('allBots')}</option>
            {(options.data?.bots ?? []).map((b) => (
              <option key={b.uuid} value={b.uuid}>
                {b.name}
              </option>
            ))}
            {view.bot && options.data && !options.data.bots.some((b) => b.uuid === view.bot) ? <option value={view.bot}>{view.bot}</option> : null}
          </select>
        </div>
        <div class="field">
          <label for="mon-pipeline">{t('pipeline')}</label>
          <select id="mon-pipeline" value={view.pipeline} onChange={(e) => onChange({ pipeline: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('allPipelines')}</option>
            {(options.data?.pipelines ?? []).map((p) => (
              <option key={p.uuid} value={p.uuid}>
                {p.name}
              </option>
            ))}
            {view.pipeline && options.data && !options.data.pipelines.some((p) => p.uuid === view.pipeline) ? <option value={view.pipeline}>{view.pipeline}</option> : null}
          </select>
        </div>
        <div class="field">
          <label for="mon-range">{t('range')}</label>
          <select id="mon-range" value={view.range} onChange={(e) => onChange({ range: (e.target as HTMLSelectElement).value as ListRange })}>
            {LIST_RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`range_${r}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {filtered ? (
        <div class="row mon-chips">
          {view.session ? (
            <span class="mon-chip">
              {t('sessionFilter', { name: view.sessionName || view.session })}
              <button type="button" class="icon-btn" aria-label={t('clearSession')} onClick={() => onChange({ session: '', sessionName: '' })}>
                ×
              </button>
            </span>
          ) : null}
          <button type="button" class="link-btn small" onClick={() => onChange({ bot: '', pipeline: '', session: '', sessionName: '' })}>
            {t('clearFilters')}
          </button>
        </div>
      ) : null}
    </Card>
  );
}

function Summary({ filters, t }: { filters: Filters; t: MonT }) {
  const overview = useResource(() => monitoringApi.overview(filters), [filters]);
  const o = overview.data;
  if (!o) return null;
  const items = [
    { label: t('sum_messages'), value: num(o.total_messages) },
    { label: t('sum_llm'), value: num(o.llm_calls) },
    { label: t('sum_tokens'), value: num(o.total_tokens) },
    { label: t('sum_success'), value: `${o.success_rate}%` },
    { label: t('sum_errors'), value: num(o.errors) },
    { label: t('sum_sessions'), value: num(o.active_sessions) },
  ];
  return (
    <dl class="mon-summary" aria-label={t('summary')}>
      {items.map((i) => (
        <div key={i.label}>
          <dt>{i.label}</dt>
          <dd>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ListPanel({ kind, filters, page, onPage, actions, names, t }: { kind: Kind; filters: Filters; page: number; onPage: (p: number) => void; actions: RowActions; names: Names; t: MonT }) {
  const list = useResource(() => monitoringApi.list(kind, filters, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }), [kind, filters, page]);
  return (
    <Loaded resource={list}>
      {({ items, total }) =>
        total === 0 ? (
          <Empty>{t(`empty_${kind}`)}</Empty>
        ) : (
          <Card>
            <RowsTable kind={kind} rows={items} t={t} actions={actions} names={names} />
            <nav class="spread mon-paging" aria-label={t('paging')}>
              <p class="muted small" aria-live="polite">
                {t('showing', { from: num(page * PAGE_SIZE + 1), to: num(page * PAGE_SIZE + items.length), total: num(total) })}
              </p>
              <div class="row">
                <Button class="btn-small" disabled={page === 0} onClick={() => onPage(page - 1)}>
                  ← {t('previous')}
                </Button>
                <Button class="btn-small" disabled={(page + 1) * PAGE_SIZE >= total} onClick={() => onPage(page + 1)}>
                  {t('next')} →
                </Button>
              </div>
            </nav>
          </Card>
        )
      }
    </Loaded>
  );
}
