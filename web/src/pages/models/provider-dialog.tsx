/** Create or edit a provider: its kind (requester), name, base URL and API keys (stored keys stay masked). */
import { useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Button, Dialog, ErrorNotice, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useModelsT } from './i18n';
import type { Provider, Requester } from './types';

interface KeyRow {
  /** A stored key as the server shows it (masked), or a new key typed here. */
  value: string;
  stored: boolean;
}

export function ProviderDialog({ provider, requesters, onClose, onSaved }: { provider?: Provider; requesters: Requester[]; onClose: () => void; onSaved: (p: Provider) => void }) {
  const t = useModelsT();
  const l = useLocalized();
  const editing = provider !== undefined;
  const firstRequester = requesters.find((r) => r.id === 'openai-chat-completions') ?? requesters[0];
  const [requester, setRequester] = useState(provider?.requester ?? firstRequester?.id ?? '');
  const requesterInfo = requesters.find((r) => r.id === requester);
  const [name, setName] = useState(provider?.name ?? (firstRequester ? l(firstRequester.displayName) : ''));
  const [nameTouched, setNameTouched] = useState(editing);
  const [baseUrl, setBaseUrl] = useState(provider?.base_url ?? firstRequester?.defaultBaseUrl ?? '');
  const [baseUrlTouched, setBaseUrlTouched] = useState(editing);
  const [keys, setKeys] = useState<KeyRow[]>(provider ? provider.api_keys.map((value) => ({ value, stored: true })) : [{ value: '', stored: false }]);
  const [shown, setShown] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const chooseRequester = (id: string) => {
    const next = requesters.find((r) => r.id === id);
    setRequester(id);
    // Follow the kind until the user writes their own name or URL.
    if (!baseUrlTouched) setBaseUrl(next?.defaultBaseUrl ?? '');
    if (!nameTouched && next) setName(l(next.displayName));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), requester, base_url: baseUrl.trim(), api_keys: keys.map((k) => k.value.trim()).filter(Boolean) };
    try {
      const saved = editing
        ? (await api.put<{ provider: Provider }>(`/api/v1/provider/providers/${provider.uuid}`, body)).provider
        : (await api.post<{ provider: Provider }>('/api/v1/provider/providers', body)).provider;
      toast.ok(t('providerSaved'));
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const sorted = [...requesters].sort((a, b) => l(a.displayName).localeCompare(l(b.displayName)));
  return (
    <Dialog
      title={editing ? t('editProvider') : t('addProvider')}
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" type="submit" busy={busy} {...{ form: 'provider-form' }}>
            {editing ? t('save') : t('create')}
          </Button>
        </>
      }
    >
      <form id="provider-form" class="form-grid" onSubmit={submit}>
        <div class="field">
          <label for="provider-requester">
            {t('requester')}
            <span class="required" aria-hidden="true"> *</span>
          </label>
          <select id="provider-requester" value={requester} required aria-describedby="provider-requester-hint" onChange={(e) => chooseRequester((e.target as HTMLSelectElement).value)}>
            {sorted.map((r) => (
              <option key={r.id} value={r.id}>
                {l(r.displayName)} ({r.modelTypes.map((type) => t(`type_${type}` as 'type_llm')).join(', ')})
              </option>
            ))}
          </select>
          <p class="hint" id="provider-requester-hint">{t('requesterHint')}</p>
        </div>
        <TextField id="provider-name" label={t('name')} value={name} onInput={(v) => { setName(v); setNameTouched(true); }} required />
        <TextField
          id="provider-base-url"
          label={t('baseUrl')}
          type="url"
          value={baseUrl}
          onInput={(v) => { setBaseUrl(v); setBaseUrlTouched(true); }}
          hint={requesterInfo?.defaultBaseUrl ? t('baseUrlHint', { url: requesterInfo.defaultBaseUrl }) : undefined}
        />
        <fieldset class="field field-group">
          <legend>{t('apiKeys')}</legend>
          <p class="hint">{t('apiKeysHint')}</p>
          <div class="list-editor">
            {keys.length === 0 ? <p class="muted small">{t('noKeys')}</p> : null}
            {keys.map((key, index) => {
              const label = key.stored ? t('storedKey', { n: index + 1 }) : t('apiKey', { n: index + 1 });
              return (
                <div class="list-row" key={index}>
                  <div class="list-cell">
                    {key.stored ? (
                      <input id={`provider-key-${index}`} aria-label={label} value={key.value} readOnly class="code" />
                    ) : (
                      <div class="input-with-button">
                        <input
                          id={`provider-key-${index}`}
                          aria-label={label}
                          {...{ type: shown === index ? 'text' : 'password' }}
                          autoComplete="off"
                          spellcheck={false}
                          value={key.value}
                          onInput={(e) => setKeys(keys.map((k, i) => (i === index ? { ...k, value: (e.target as HTMLInputElement).value } : k)))}
                        />
                        <button type="button" class="btn btn-ghost btn-small" aria-pressed={shown === index} onClick={() => setShown(shown === index ? null : index)}>
                          {shown === index ? t('hideKey') : t('showKey')}
                        </button>
                      </div>
                    )}
                  </div>
                  <button type="button" class="icon-btn" aria-label={t('removeKey', { n: index + 1 })} onClick={() => setKeys(keys.filter((_, i) => i !== index))}>
                    ×
                  </button>
                </div>
              );
            })}
            <button type="button" class="btn btn-ghost btn-small" onClick={() => setKeys([...keys, { value: '', stored: false }])}>
              + {t('addKey')}
            </button>
          </div>
        </fieldset>
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}
