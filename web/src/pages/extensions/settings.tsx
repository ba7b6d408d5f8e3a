/** An extension's settings, as the form its manifest declares; saving restarts it with them. */
import { useMemo, useState } from 'preact/hooks';
import { DynamicForm, withDefaults, type ConfigForm } from '../../components/form';
import { Button, Card, ErrorNotice, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useExtT } from './i18n';
import { HTTP_EXTENSION, statusOf, type ExtensionDetails } from './model';

export function ExtensionSettings({ ext, onSaved }: { ext: ExtensionDetails; onSaved: () => Promise<void> }) {
  const t = useExtT();
  const form = ext.config_form;
  if (!form || Object.keys(form.properties ?? {}).length === 0) {
    return (
      <Card>
        <p class="muted">{t('noSettings')}</p>
      </Card>
    );
  }
  return <SettingsForm key={ext.id} ext={ext} form={form} onSaved={onSaved} />;
}

function SettingsForm({ ext, form, onSaved }: { ext: ExtensionDetails; form: ConfigForm; onSaved: () => Promise<void> }) {
  const t = useExtT();
  const initial = useMemo(() => withDefaults(form, ext.config), [form, ext.config]);
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const self = ext.id === HTTP_EXTENSION;
  const dirty = JSON.stringify(value) !== JSON.stringify(initial);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { extension } = await api.put<{ extension: ExtensionDetails }>(`/api/v1/extensions/${encodeURIComponent(ext.id)}/config`, { config: value });
      setValue(withDefaults(form, extension.config));
      await onSaved();
      const status = statusOf(extension);
      if (status === 'failed') toast.error(extension.reason);
      else toast.ok(ext.enabled ? t('saved') : t('savedDisabled'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <form class="stack" onSubmit={save} aria-label={t('tabSettings')}>
        {self ? <p class="ext-notice">{t('selfNotice')}</p> : <p class="hint">{t('settingsIntro')}</p>}
        <fieldset class="ext-settings" disabled={self || busy}>
          <DynamicForm form={form} value={value} onChange={setValue} idPrefix={`ext-${ext.id.replace(/[^A-Za-z0-9_-]/g, '-')}`} />
        </fieldset>
        {error ? <ErrorNotice error={error} /> : null}
        {self ? null : (
          <div class="form-actions">
            <Button onClick={() => { setValue(initial); setError(null); }} disabled={!dirty || busy}>
              {t('reset')}
            </Button>
            <Button type="submit" variant="primary" busy={busy}>
              {t('save')}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}
