/** `#/models`: providers (kind, base URL, masked keys) and the LLM / embedding / rerank models, with tests. */
import { useState } from 'preact/hooks';
import { Badge, Button, Card, ConfirmButton, Empty, Loaded, PageHeader, Tabs, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { useModelsT } from './i18n';
import { ModelDialog } from './model-dialog';
import { ModelTable } from './model-table';
import { ProviderDialog } from './provider-dialog';
import { useOpener } from './opener';
import { ScanDialog } from './scan-dialog';
import { MODEL_TYPES, modelsApi, type Model, type ModelType, type Provider, type Requester } from './types';
import './models.css';

type Open =
  | { kind: 'none' }
  | { kind: 'provider'; provider?: Provider }
  | { kind: 'model'; type: ModelType; model?: Model; providerUuid?: string }
  | { kind: 'scan'; provider: Provider };

export function ModelsPage() {
  const t = useModelsT();
  const l = useLocalized();
  const requesters = useResource(modelsApi.requesters, []);
  const providers = useResource(modelsApi.providers, []);
  const models = useResource(async () => {
    const lists = await Promise.all(MODEL_TYPES.map((type) => modelsApi.models(type)));
    return Object.fromEntries(MODEL_TYPES.map((type, i) => [type, lists[i]])) as Record<ModelType, Model[]>;
  }, []);
  const [type, setType] = useState<ModelType>('llm');
  const [open, setOpenState] = useState<Open>({ kind: 'none' });
  const opener = useOpener();
  const setOpen = (next: Open) => {
    opener.remember();
    setOpenState(next);
  };
  const close = () => {
    setOpenState({ kind: 'none' });
    opener.restore();
  };
  const reloadAll = () => {
    void providers.reload();
    void models.reload();
  };
  const requesterOf = (p: Provider): Requester | undefined => requesters.data?.find((r) => r.id === p.requester);
  const allModels = models.data ? MODEL_TYPES.flatMap((k) => models.data![k]) : [];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <Button variant="primary" disabled={!requesters.data} onClick={() => setOpen({ kind: 'provider' })}>
            + {t('addProvider')}
          </Button>
        }
      />
      <section aria-labelledby="providers-title" class="stack">
        <h2 id="providers-title">{t('providers')}</h2>
        <Loaded resource={providers}>
          {(list) =>
            list.length === 0 ? (
              <Empty>
                <p>{t('noProviders')}</p>
                <Button variant="primary" disabled={!requesters.data} onClick={() => setOpen({ kind: 'provider' })}>
                  + {t('addProvider')}
                </Button>
              </Empty>
            ) : (
              <div class="grid models-providers">
                {list.map((p) => {
                  const requester = requesterOf(p);
                  const serves = requester?.modelTypes ?? MODEL_TYPES;
                  return (
                    <Card key={p.uuid} class="models-provider" title={p.name} aria-label={p.name} data-testid="provider-card">
                      <div class="stack models-provider-body">
                        <div class="row">
                          <Badge tone="info">{requester ? l(requester.displayName) : p.requester}</Badge>
                          <span class="muted small">{t('keys', { n: p.api_keys.length })}</span>
                        </div>
                        <code class="models-url" title={p.base_url || requester?.defaultBaseUrl}>{p.base_url || requester?.defaultBaseUrl || '—'}</code>
                        {p.api_keys.length ? (
                          <div class="row">
                            {p.api_keys.map((k, i) => (
                              <code key={i} class="models-key">{k}</code>
                            ))}
                          </div>
                        ) : null}
                        <p class="muted small">{t('counts', { llm: p.llm_count ?? 0, embedding: p.embedding_count ?? 0, rerank: p.rerank_count ?? 0 })}</p>
                        <div class="row">
                          <Button class="btn-small" onClick={() => setOpen({ kind: 'model', type: (serves.includes(type) ? type : serves[0]) as ModelType, providerUuid: p.uuid })}>
                            + {t('addModel')}
                          </Button>
                          <Button class="btn-small" onClick={() => setOpen({ kind: 'scan', provider: p })}>
                            {t('scan')}
                          </Button>
                          <Button class="btn-small" variant="ghost" aria-label={t('editNamed', { name: p.name })} onClick={() => setOpen({ kind: 'provider', provider: p })}>
                            {t('edit')}
                          </Button>
                          <ConfirmButton
                            class="btn-small"
                            label={t('delete')}
                            aria-label={t('deleteProvider', { name: p.name })}
                            question={t('deleteProviderQuestion', { name: p.name })}
                            onConfirm={async () => {
                              await api.del(`/api/v1/provider/providers/${p.uuid}`);
                              toast.ok(t('providerDeleted'));
                              reloadAll();
                            }}
                          />
                        </div>
                      </div>
                    </Card>
                  );
                })}
              </div>
            )
          }
        </Loaded>
      </section>

      <section aria-labelledby="models-title" class="stack models-section">
        <div class="spread">
          <h2 id="models-title">{t('models')}</h2>
          <Button disabled={!providers.data?.length} onClick={() => setOpen({ kind: 'model', type })}>
            + {t('addModel')}
          </Button>
        </div>
        <Tabs
          label={t('modelTypes')}
          active={type}
          onChange={(id) => setType(id as ModelType)}
          tabs={MODEL_TYPES.map((k) => ({ id: k, label: models.data ? `${t(`type_${k}`)} (${models.data[k].length})` : t(`type_${k}`) }))}
        />
        <div role="tabpanel" aria-labelledby={`tab-${type}`}>
          <Loaded resource={models}>
            {(byType) =>
              byType[type].length === 0 ? (
                <Empty>{t('noModels', { type: t(`type_${type}`) })}</Empty>
              ) : (
                <ModelTable
                  type={type}
                  models={byType[type]}
                  providers={providers.data ?? []}
                  onEdit={(model) => setOpen({ kind: 'model', type, model })}
                  onDeleted={reloadAll}
                />
              )
            }
          </Loaded>
        </div>
      </section>

      {open.kind === 'provider' && requesters.data ? (
        <ProviderDialog provider={open.provider} requesters={requesters.data} onClose={close} onSaved={() => { close(); reloadAll(); }} />
      ) : null}
      {open.kind === 'model' && providers.data ? (
        <ModelDialog
          type={open.type}
          model={open.model}
          providerUuid={open.providerUuid}
          providers={providers.data}
          requesters={requesters.data ?? []}
          onClose={close}
          onSaved={(saved) => { close(); setType(saved); reloadAll(); }}
        />
      ) : null}
      {open.kind === 'scan' ? (
        <ScanDialog provider={open.provider} requester={requesterOf(open.provider)} existing={allModels} onClose={close} onAdded={() => { close(); reloadAll(); }} onChanged={reloadAll} />
      ) : null}
    </>
  );
}
