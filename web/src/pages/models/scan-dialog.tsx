/** The models a provider offers (its own list), to pick and add in one go. */
import { useMemo, useState } from 'preact/hooks';
import { Badge, Button, Dialog, ErrorNotice, Loaded, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useResource } from '../../lib/resource';
import { useModelsT } from './i18n';
import { MODEL_TYPES, guessType, modelsApi, type Model, type ModelType, type Provider, type Requester } from './types';

export function ScanDialog({ provider, requester, existing, onClose, onAdded, onChanged }: { provider: Provider; requester?: Requester; existing: Model[]; onClose: () => void; onAdded: () => void; onChanged: () => void }) {
  const t = useModelsT();
  const scanned = useResource(() => modelsApi.scan(provider.uuid), [provider.uuid]);
  const offered = MODEL_TYPES.filter((type) => requester?.modelTypes.includes(type) ?? true);
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<Record<string, ModelType>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const added = useMemo(() => new Set(existing.filter((m) => m.provider_uuid === provider.uuid).map((m) => `${m.type}:${m.name}`)), [existing, provider.uuid]);
  const isAdded = (id: string) => offered.some((type) => added.has(`${type}:${id}`));

  const toggle = (id: string, on: boolean) => {
    const next = { ...chosen };
    if (on) next[id] = guessType(id, offered);
    else delete next[id];
    setChosen(next);
  };

  const add = async () => {
    setBusy(true);
    setError(null);
    let done = 0;
    try {
      for (const [name, type] of Object.entries(chosen)) {
        await api.post(`/api/v1/provider/models/${type}`, { name, provider_uuid: provider.uuid });
        done++;
      }
      toast.ok(t('scanDone', { n: done }));
      onAdded();
    } catch (e) {
      setError(e);
      if (done > 0) {
        setChosen(Object.fromEntries(Object.entries(chosen).slice(done)));
        onChanged();
      }
    } finally {
      setBusy(false);
    }
  };

  const count = Object.keys(chosen).length;
  return (
    <Dialog
      title={t('scanOf', { name: provider.name })}
      open
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" busy={busy} disabled={count === 0} onClick={add}>
            {t('scanAdd', { n: count })}
          </Button>
        </>
      }
    >
      <p class="muted">{t('scanIntro', { name: provider.name })}</p>
      <Loaded resource={scanned}>
        {(models) => {
          const shown = models.filter((m) => m.id.toLowerCase().includes(filter.trim().toLowerCase()));
          if (models.length === 0) return <p class="state empty">{t('scanEmpty')}</p>;
          return (
            <div class="stack">
              <div class="row">
                <div class="field models-grow">
                  <label for="scan-filter">{t('scanFilter')}</label>
                  <input id="scan-filter" type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
                </div>
                <Button class="btn-small" onClick={() => setChosen({ ...Object.fromEntries(shown.filter((m) => !isAdded(m.id)).map((m) => [m.id, guessType(m.id, offered)])), ...chosen })}>
                  {t('selectAll')}
                </Button>
              </div>
              {shown.length === 0 ? <p class="muted">{t('scanNoMatch')}</p> : null}
              <ul class="models-scan-list">
                {shown.map((m, index) => {
                  const already = isAdded(m.id);
                  const type = chosen[m.id];
                  return (
                    <li key={m.id}>
                      <label class="models-scan-name">
                        <input type="checkbox" checked={already || type !== undefined} disabled={already} onChange={(e) => toggle(m.id, (e.target as HTMLInputElement).checked)} />
                        <code>{m.id}</code>
                        {m.owned_by ? <span class="muted small">{m.owned_by}</span> : null}
                        {already ? <Badge tone="good">{t('scanAdded')}</Badge> : null}
                      </label>
                      {type !== undefined && offered.length > 1 ? (
                        <select aria-label={`${t('scanAddAs')} · ${m.id}`} id={`scan-type-${index}`} value={type} onChange={(e) => setChosen({ ...chosen, [m.id]: (e.target as HTMLSelectElement).value as ModelType })}>
                          {offered.map((o) => (
                            <option key={o} value={o}>
                              {t(`type_${o}`)}
                            </option>
                          ))}
                        </select>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        }}
      </Loaded>
      {error ? <ErrorNotice error={error} /> : null}
    </Dialog>
  );
}
