/** Create an API key: name, scopes (all, or chosen permissions), expiry; then the key, shown this once. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Button, Dialog, ErrorNotice, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useKeysT, type KeysT } from './i18n';
import { PERMISSIONS, permissionKey, type ApiKey, type Permission } from './model';

type Expiry = 'never' | '30' | '90' | '365' | 'custom';

export function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const t = useKeysT();
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog title={created ? t('createdTitle') : t('createTitle')} open={open} onClose={close}>
      {!open ? null : created ? (
        <ShowOnce t={t} secret={created.key} onDone={close} />
      ) : (
        <CreateForm
          t={t}
          onCancel={close}
          onCreated={(key) => {
            setCreated(key);
            onCreated();
          }}
        />
      )}
    </Dialog>
  );
}

/** The expiry as the server wants it: the end of the chosen day, in the browser's time zone. */
function expiresAt(expiry: Expiry, date: string): string | null {
  if (expiry === 'never') return null;
  if (expiry === 'custom') return date ? new Date(`${date}T23:59:59`).toISOString() : null;
  return new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
}

function CreateForm({ t, onCancel, onCreated }: { t: KeysT; onCancel: () => void; onCreated: (key: ApiKey & { key: string }) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<Permission[]>(['resource.view']);
  const [expiry, setExpiry] = useState<Expiry>('never');
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (!all && chosen.length === 0) return setError(new Error(t('scopesNone')));
    const expires = expiresAt(expiry, date);
    if (expiry === 'custom' && (!expires || Date.parse(expires) <= Date.now())) return setError(new Error(t('expiryPast')));
    setBusy(true);
    try {
      const key = await api.post<ApiKey & { key: string }>('/api/v1/apikeys', {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        scopes: all ? ['*'] : PERMISSIONS.filter((p) => chosen.includes(p)),
        expires_at: expires,
      });
      onCreated(key);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (p: Permission, on: boolean) => setChosen(on ? [...chosen, p] : chosen.filter((c) => c !== p));
  const today = new Date().toISOString().slice(0, 10);

  return (
    <form class="stack" onSubmit={submit}>
      <TextField id="key-name" label={t('name')} value={name} onInput={setName} required hint={t('nameHint')} />
      <TextField id="key-description" label={t('description')} value={description} onInput={setDescription} />
      <fieldset class="field field-group">
        <legend>{t('scopes')}</legend>
        <div class="stack keys-scopes">
          <label class="keys-choice">
            <input type="radio" name="key-scope-mode" checked={all} onChange={() => setAll(true)} /> {t('scopesAll')}
          </label>
          <label class="keys-choice">
            <input type="radio" name="key-scope-mode" checked={!all} onChange={() => setAll(false)} /> {t('scopesSome')}
          </label>
          <ul class="keys-perms" aria-disabled={all ? 'true' : undefined}>
            {PERMISSIONS.map((p) => (
              <li key={p}>
                <input id={`key-perm-${p}`} type="checkbox" disabled={all} checked={all || chosen.includes(p)} aria-describedby={`key-perm-${p}-hint`} onChange={(e) => toggle(p, (e.target as HTMLInputElement).checked)} />
                <label for={`key-perm-${p}`}>
                  <code>{p}</code>
                </label>
                <p class="hint" id={`key-perm-${p}-hint`}>
                  {t(permissionKey(p) as Parameters<KeysT>[0])}
                </p>
              </li>
            ))}
          </ul>
        </div>
      </fieldset>
      <div class="grid-2">
        <div class="field">
          <label for="key-expiry">{t('expiry')}</label>
          <select id="key-expiry" value={expiry} onChange={(e) => setExpiry((e.target as HTMLSelectElement).value as Expiry)}>
            <option value="never">{t('expiryNever')}</option>
            <option value="30">{t('expiry30')}</option>
            <option value="90">{t('expiry90')}</option>
            <option value="365">{t('expiry365')}</option>
            <option value="custom">{t('expiryCustom')}</option>
          </select>
        </div>
        {expiry === 'custom' ? (
          <div class="field">
            <label for="key-expiry-date">
              {t('expiryDate')}
              <span class="required" aria-hidden="true"> *</span>
            </label>
            <input id="key-expiry-date" type="date" min={today} required value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
          </div>
        ) : null}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="form-actions">
        <Button onClick={onCancel}>{t('cancel')}</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? t('creating') : t('create')}
        </Button>
      </div>
    </form>
  );
}

function ShowOnce({ t, secret, onDone }: { t: KeysT; secret: string; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  // The form that had focus is gone: focus moves to the key, selected, ready to copy.
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      toast.ok(t('copied'));
    } catch {
      const input = document.getElementById('key-secret') as HTMLInputElement | null;
      input?.select();
      // The older path still works where the asynchronous clipboard is refused (plain http on another host).
      if (input && document.execCommand('copy')) toast.ok(t('copied'));
      else toast.error(t('copyFailed'));
    }
  };
  return (
    <div class="stack">
      <p class="keys-warning" role="alert">
        {t('createdWarning')}
      </p>
      <div class="field">
        <label for="key-secret">{t('keyLabel')}</label>
        <div class="input-with-button">
          <input ref={field} id="key-secret" class="code" type="text" readOnly value={secret} spellcheck={false} onFocus={(e) => (e.target as HTMLInputElement).select()} />
          <Button variant="primary" onClick={copy}>
            {t('copy')}
          </Button>
        </div>
      </div>
      <p class="hint">{t('usage')}</p>
      <div class="form-actions">
        <Button onClick={onDone}>{t('done')}</Button>
      </div>
    </div>
  );
}
