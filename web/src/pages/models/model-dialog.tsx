/** Create or edit a model of one type: provider, name (suggested from the provider's list), abilities, extras. */
import { useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Button, Dialog, ErrorNotice, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useModelsT } from './i18n';
import { ABILITIES, MODEL_TYPES, REASONING_LEVELS, modelsApi, type Model, type ModelType, type Provider, type Requester } from './types';

export function ModelDialog({ type: initialType, model, providers, requesters, providerUuid, onClose, onSaved }: {
  /** The type to start with; a new model's type can be changed to another its provider serves. */
  type: ModelType;
  model?: Model;
  providers: Provider[];
  requesters: Requester[];
  /** The provider to start with (from a provider's "Add model"). */
  providerUuid?: string;
  onClose: () => void;
  onSaved: (type: ModelType) => void;
}) {
  const t = useModelsT();
  const editing = model !== undefined;
  const typesOf = (uuid: string): ModelType[] => {
    const requester = requesters.find((r) => r.id === providers.find((p) => p.uuid === uuid)?.requester);
    return MODEL_TYPES.filter((k) => requester?.modelTypes.includes(k) ?? true);
  };
  const [provider, setProvider] = useState(model?.provider_uuid ?? providerUuid ?? providers.find((p) => typesOf(p.uuid).includes(initialType))?.uuid ?? providers[0]?.uuid ?? '');
  const offered = typesOf(provider);
  const [chosenType, setType] = useState<ModelType>(model?.type ?? initialType);
  const type = offered.includes(chosenType) || editing ? chosenType : (offered[0] ?? chosenType);
  const [name, setName] = useState(model?.name ?? '');
  const [abilities, setAbilities] = useState<string[]>(model?.abilities ?? []);
  const [contextLength, setContextLength] = useState(model?.context_length ? String(model.context_length) : '');
  const [level, setLevel] = useState(model?.reasoning_config?.level ?? 'provider_default');
  const [extra, setExtra] = useState(model && Object.keys(model.extra_args ?? {}).length ? JSON.stringify(model.extra_args, null, 2) : '');
  const [suggestions, setSuggestions] = useState<string[] | null>(null);
  const [listing, setListing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const listModels = async () => {
    setListing(true);
    setError(null);
    try {
      setSuggestions((await modelsApi.scan(provider)).map((m) => m.id));
    } catch (e) {
      setError(e);
    } finally {
      setListing(false);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    let extra_args: Record<string, unknown> = {};
    if (extra.trim()) {
      try {
        extra_args = JSON.parse(extra);
      } catch {
        extra_args = null as never;
      }
      if (typeof extra_args !== 'object' || extra_args === null || Array.isArray(extra_args)) return setError(new Error(t('extraArgsInvalid')));
    }
    const body: Record<string, unknown> = { name: name.trim(), provider_uuid: provider, extra_args };
    if (type === 'llm') {
      body.abilities = abilities;
      body.context_length = contextLength ? Number.parseInt(contextLength, 10) : null;
      body.reasoning_config = { level };
    }
    setBusy(true);
    try {
      if (editing) await api.put(`/api/v1/provider/models/${type}/${model.uuid}`, body);
      else await api.post(`/api/v1/provider/models/${type}`, body);
      toast.ok(t('modelSaved'));
      onSaved(type);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const typeName = t(`type_${type}`);
  return (
    <Dialog
      title={editing ? `${t('editModel')} · ${typeName}` : t('addModel')}
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" type="submit" busy={busy} disabled={!provider} {...{ form: 'model-form' }}>
            {editing ? t('save') : t('create')}
          </Button>
        </>
      }
    >
      <form id="model-form" class="form-grid" onSubmit={submit}>
        <div class="field">
          <label for="model-provider">
            {t('provider')}
            <span class="required" aria-hidden="true"> *</span>
          </label>
          <select id="model-provider" value={provider} required disabled={editing} onChange={(e) => { setProvider((e.target as HTMLSelectElement).value); setSuggestions(null); }}>
            {providers.map((p) => (
              <option key={p.uuid} value={p.uuid}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        {!editing ? (
          <div class="field">
            <label for="model-type">{t('modelType')}</label>
            <select id="model-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as ModelType)}>
              {offered.map((k) => (
                <option key={k} value={k}>
                  {t(`type_${k}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div class="field">
          <label for="model-name">
            {t('modelName')}
            <span class="required" aria-hidden="true"> *</span>
          </label>
          <div class="input-with-button">
            <input id="model-name" value={name} required list={suggestions ? 'model-name-options' : undefined} autoComplete="off" aria-describedby="model-name-hint" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
            <Button class="btn-small" variant="ghost" busy={listing} disabled={!provider} onClick={listModels}>
              {t('listProviderModels')}
            </Button>
          </div>
          <p class="hint" id="model-name-hint">{suggestions ? t('providerModelsLoaded', { n: suggestions.length }) : t('modelNameHint')}</p>
          {suggestions ? (
            <datalist id="model-name-options">
              {suggestions.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
          ) : null}
        </div>
        {type === 'llm' ? (
          <>
            <fieldset class="field field-group">
              <legend>{t('abilities')}</legend>
              <div class="radio-group">
                {ABILITIES.map((ability) => (
                  <label key={ability}>
                    <input
                      type="checkbox"
                      checked={abilities.includes(ability)}
                      onChange={(e) => setAbilities((e.target as HTMLInputElement).checked ? [...abilities, ability] : abilities.filter((a) => a !== ability))}
                    />{' '}
                    {t(`ability_${ability}`)}
                  </label>
                ))}
              </div>
            </fieldset>
            <div class="grid-2 models-pair">
              <TextField id="model-context" label={t('contextLength')} type="number" value={contextLength} onInput={setContextLength} />
              <div class="field">
                <label for="model-reasoning">{t('reasoningLevel')}</label>
                <select id="model-reasoning" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
                  {REASONING_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`level_${l}`)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </>
        ) : null}
        <details class="models-advanced" open={extra !== ''}>
          <summary>{t('advanced')}</summary>
          <div class="field">
            <label for="model-extra">{t('extraArgs')}</label>
            <textarea id="model-extra" class="code" rows={4} spellcheck={false} value={extra} placeholder="{}" aria-describedby="model-extra-hint" onInput={(e) => setExtra((e.target as HTMLTextAreaElement).value)} />
            <p class="hint" id="model-extra-hint">{t('extraArgsHint')}</p>
          </div>
        </details>
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}
