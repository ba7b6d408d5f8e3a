/** `#/marketplace`: the registry's extensions as cards, searched and filtered on the server. */
import { useEffect, useState } from 'preact/hooks';
import { Badge, Button, Empty, Loaded, PageHeader } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { useExtT } from '../extensions/i18n';
import { word } from '../extensions/labels';
import { useMarketT } from './i18n';
import { market, type ExtensionList, type ListItem } from './model';
import { RegistryStatusLine } from './registry-status';
import { InstalledBadges } from './state';
import './marketplace.css';

interface Filters {
  q: string;
  kind: string;
  category: string;
}
const FILTERS_KEY = 'langbot.marketplace.filters';
const EMPTY: Filters = { q: '', kind: '', category: '' };

/** Kept for the browser tab, so coming back from an extension's page finds the list as it was left. */
function savedFilters(): Filters {
  try {
    return { ...EMPTY, ...JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}') };
  } catch {
    return EMPTY;
  }
}

/** The search text reaches the server a moment after typing stops. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

export function MarketplaceBrowse() {
  const t = useMarketT();
  const [filters, setFilters] = useState<Filters>(savedFilters);
  useEffect(() => sessionStorage.setItem(FILTERS_KEY, JSON.stringify(filters)), [filters]);
  const q = useDebounced(filters.q.trim(), 250);
  const list = useResource(() => market.list({ q, kind: filters.kind, category: filters.category }), [q, filters.kind, filters.category]);
  const registry = useResource(() => market.registry(), []);
  const refresh = () => Promise.all([list.reload(), registry.reload()]);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <Button onClick={() => void refresh()} busy={list.loading && list.data !== undefined}>
            {t('refresh')}
          </Button>
        }
      />
      <RegistryStatusLine resource={registry} />
      <Loaded resource={list}>{(data) => <Results data={data} filters={filters} onFilters={setFilters} searching={list.loading} />}</Loaded>
    </>
  );
}

function Results({ data, filters, onFilters, searching }: { data: ExtensionList; filters: Filters; onFilters: (f: Filters) => void; searching: boolean }) {
  const t = useMarketT();
  const ext = useExtT();
  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  // A chosen filter stays selectable even when the registry no longer lists it.
  const kinds = [...new Set([...data.kinds, ...(filters.kind ? [filters.kind] : [])])];
  const categories = [...new Set([...data.categories, ...(filters.category ? [filters.category] : [])])];
  const filtered = filters.q !== '' || filters.kind !== '' || filters.category !== '';
  return (
    <section aria-labelledby="mp-count">
      <div class="card mp-filters" role="search">
        <div class="field">
          <label for="mp-search">{t('search')}</label>
          <input id="mp-search" type="search" value={filters.q} placeholder={t('searchPlaceholder')} onInput={(e) => set({ q: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="mp-kind">{t('kind')}</label>
          <select id="mp-kind" value={filters.kind} onChange={(e) => set({ kind: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('allKinds')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {word(ext, 'kind', k)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="mp-category">{t('category')}</label>
          <select id="mp-category" value={filters.category} onChange={(e) => set({ category: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('allCategories')}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="spread mp-count">
        <p id="mp-count" class="muted small" aria-live="polite">
          {searching ? t('searching') : t('count', { n: data.extensions.length })}
        </p>
        {filtered ? (
          <button type="button" class="link-btn small" onClick={() => onFilters(EMPTY)}>
            {t('clear')}
          </button>
        ) : null}
      </div>
      {data.extensions.length === 0 ? (
        <Empty>{filtered ? t('noMatch') : t('emptyRegistry')}</Empty>
      ) : (
        <ul class="mp-cards">
          {data.extensions.map((item) => (
            <ExtensionCard key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ExtensionCard({ item }: { item: ListItem }) {
  const t = useMarketT();
  const ext = useExtT();
  const l = useLocalized();
  const name = l(item.display_name) || item.id;
  return (
    <li class="card mp-card" data-extension={item.id}>
      <div class="mp-card-head">
        <h2>
          <a href={href(`/marketplace/${encodeURIComponent(item.id)}`)}>{name}</a>
        </h2>
        <InstalledBadges item={item} />
      </div>
      <p class="muted small mp-card-meta">
        {item.author ? <span>{t('byAuthor', { author: item.author })}</span> : null}
        <span>
          <code>{item.id}</code>
        </span>
        <span>{t('latest', { version: item.latest_version })}</span>
      </p>
      <p class="mp-card-desc">{l(item.description)}</p>
      <div class="row mp-tags">
        {item.kinds.map((k) => (
          <span key={k} class="mp-kind">
            {word(ext, 'kind', k)}
          </span>
        ))}
        {item.categories.map((c) => (
          <Badge key={c}>{c}</Badge>
        ))}
      </div>
    </li>
  );
}
