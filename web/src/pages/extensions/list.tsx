/** `#/extensions`: every installed extension, searchable and filtered by contribution kind and state. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Button, Empty, Loaded, PageHeader } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useInterval, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { useExtT } from './i18n';
import { HealthText, StatusBadge, word } from './labels';
import { STATUSES, settling, statusOf, type ExtensionSummary } from './model';
import './extensions.css';

interface Filters {
  text: string;
  kind: string;
  status: string;
}
const FILTERS_KEY = 'langbot.extensions.filters';
const NO_KIND = '-';

/** Kept for the browser tab, so coming back from an extension's page finds the list as it was left. */
function savedFilters(): Filters {
  try {
    return { text: '', kind: '', status: '', ...JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}') };
  } catch {
    return { text: '', kind: '', status: '' };
  }
}

export function ExtensionList() {
  const t = useExtT();
  const resource = useResource(() => api.get<{ extensions: ExtensionSummary[] }>('/api/v1/extensions'), []);
  useInterval(() => {
    if (resource.data?.extensions.some(settling)) void resource.reload();
  }, 1500);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <Button onClick={() => void resource.reload()} busy={resource.loading && resource.data !== undefined}>
            {t('refresh')}
          </Button>
        }
      />
      <Loaded resource={resource}>{(data) => <FilteredList extensions={data.extensions} />}</Loaded>
    </>
  );
}

function FilteredList({ extensions }: { extensions: ExtensionSummary[] }) {
  const t = useExtT();
  const l = useLocalized();
  const [filters, setFilters] = useState<Filters>(savedFilters);
  useEffect(() => sessionStorage.setItem(FILTERS_KEY, JSON.stringify(filters)), [filters]);
  const set = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });

  const kinds = useMemo(() => [...new Set(extensions.flatMap((e) => Object.keys(e.contributes)))].sort(), [extensions]);
  const statuses = STATUSES.filter((s) => extensions.some((e) => statusOf(e) === s));
  const needle = filters.text.trim().toLowerCase();
  const shown = extensions.filter((e) => {
    if (needle && ![e.id, l(e.display_name), l(e.description)].some((s) => s.toLowerCase().includes(needle))) return false;
    if (filters.kind === NO_KIND && Object.keys(e.contributes).length > 0) return false;
    if (filters.kind && filters.kind !== NO_KIND && !e.contributes[filters.kind]) return false;
    if (filters.status && statusOf(e) !== filters.status) return false;
    return true;
  });
  const filtered = filters.text !== '' || filters.kind !== '' || filters.status !== '';

  return (
    <section class="card" aria-labelledby="ext-count">
      <div class="ext-filters" role="search">
        <div class="field">
          <label for="ext-search">{t('search')}</label>
          <input id="ext-search" type="search" value={filters.text} placeholder={t('searchPlaceholder')} onInput={(e) => set({ text: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="ext-kind">{t('kind')}</label>
          <select id="ext-kind" value={filters.kind} onChange={(e) => set({ kind: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('allKinds')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {word(t, 'kind', k)}
              </option>
            ))}
            <option value={NO_KIND}>{t('noKind')}</option>
          </select>
        </div>
        <div class="field">
          <label for="ext-status">{t('state')}</label>
          <select id="ext-status" value={filters.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('allStates')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {word(t, 'status', s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="spread ext-count">
        <p id="ext-count" class="muted small" aria-live="polite">
          {t('showing', { shown: shown.length, total: extensions.length })}
        </p>
        {filtered ? (
          <button type="button" class="link-btn small" onClick={() => setFilters({ text: '', kind: '', status: '' })}>
            {t('clear')}
          </button>
        ) : null}
      </div>
      {shown.length === 0 ? (
        <Empty>{t('noMatch')}</Empty>
      ) : (
        <div class="table-wrap">
          <table class="ext-table">
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colKinds')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colIsolation')}</th>
                <th scope="col">{t('colVersion')}</th>
                <th scope="col">{t('colHealth')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.id} data-extension={e.id}>
                  <td data-label={t('colName')}>
                    <a class="ext-name" href={href(`/extensions/${encodeURIComponent(e.id)}`)}>
                      {l(e.display_name) || e.id}
                    </a>
                    <div class="muted small ext-id">{e.id}</div>
                  </td>
                  <td data-label={t('colKinds')}>
                    <div class="row ext-kinds">
                      {Object.keys(e.contributes).length === 0 ? <span class="muted small">{t('noKind')}</span> : null}
                      {Object.keys(e.contributes).map((k) => (
                        <span key={k} class="ext-kind">
                          {word(t, 'kind', k)}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td data-label={t('colState')}>
                    <StatusBadge ext={e} />
                  </td>
                  <td data-label={t('colIsolation')} class="ext-nowrap">
                    {word(t, 'iso', e.isolation)}
                  </td>
                  <td data-label={t('colVersion')}>
                    <code>{e.version ?? '—'}</code>
                  </td>
                  <td data-label={t('colHealth')}>
                    <HealthText health={e.health} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
