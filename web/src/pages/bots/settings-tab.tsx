/** A bot's name, description and platform settings (secrets stay masked and are kept unless retyped), its webhook URL. */
import { useState } from 'preact/hooks';
import { DynamicForm, TextField, withDefaults } from '../../components/form';
import { Button, Card, ErrorNotice, formatTime, toast } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { botsApi, type Adapter, type Bot } from './api';
import { useBotsT } from './i18n';
import { CopyButton } from './parts';

export function SettingsTab({ bot, adapter, onSaved }: { bot: Bot; adapter?: Adapter; onSaved: () => Promise<void> }) {
  const t = useBotsT();
  const l = useLocalized();
  const initial = () => ({ name: bot.name, description: bot.description, config: adapter ? withDefaults(adapter.config, bot.adapter_config) : bot.adapter_config });
  const [draft, setDraft] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial());
  const hasSecrets = Object.values(adapter?.config.properties ?? {}).some((f) => f.secret || f.widget === 'secret');
  const webhook = bot.adapter_runtime_values?.webhook_full_url;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The whole config goes back: a field left out would be dropped, and a masked secret means "keep it".
      await botsApi.update(bot.uuid, { name: draft.name.trim(), description: draft.description, ...(adapter ? { adapter_config: draft.config } : {}) });
      toast.ok(t('saved'));
      await onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="bot-settings">
      <div class="stack">
        {bot.enable && bot.status?.state === 'failed' ? <div class="state error" role="status">{t('failedToStart', { error: bot.status.last_error ?? '' })}</div> : null}
        {webhook ? (
          <Card title={t('webhookUrl')}>
            <div class="field">
              <label for="bot-webhook-url" class="sr-only">
                {t('webhookUrl')}
              </label>
              <div class="input-with-button">
                <input id="bot-webhook-url" type="text" readOnly value={webhook} class="code" aria-describedby="bot-webhook-hint" onFocus={(e) => (e.target as HTMLInputElement).select()} />
                <CopyButton text={webhook} />
              </div>
              <p class="hint" id="bot-webhook-hint">
                {t('webhookUrlHint')} {t('webhookPublicHint')}
              </p>
            </div>
          </Card>
        ) : null}
        <form class="card stack" onSubmit={save} aria-labelledby="bot-settings-title" data-testid="bot-settings-form">
          <h2 id="bot-settings-title">{t('basics')}</h2>
          <TextField id="bot-name" label={t('name')} value={draft.name} onInput={(name) => setDraft({ ...draft, name })} required />
          <div class="field">
            <label for="bot-description">{t('description')}</label>
            <textarea id="bot-description" rows={2} value={draft.description} onInput={(e) => setDraft({ ...draft, description: (e.target as HTMLTextAreaElement).value })} />
          </div>
          {adapter ? (
            <fieldset class="field-group">
              <legend>{t('platformSettings', { platform: l(adapter.label) })}</legend>
              {hasSecrets ? <p class="hint">{t('secretsKept')}</p> : null}
              {Object.keys(adapter.config.properties ?? {}).length === 0 ? <p class="hint">{t('noSettings')}</p> : <DynamicForm form={adapter.config} value={draft.config} onChange={(config) => setDraft({ ...draft, config })} idPrefix="bot-cfg" />}
            </fieldset>
          ) : (
            <p class="hint">{t('unknownAdapter', { name: bot.adapter })}</p>
          )}
          {error ? <ErrorNotice error={error} /> : null}
          <div class="form-actions">
            {dirty ? <span class="muted small bot-dirty">{t('unsaved')}</span> : null}
            <Button disabled={!dirty || busy} onClick={() => { setDraft(initial()); setError(null); }}>
              {t('discard')}
            </Button>
            <Button type="submit" variant="primary" busy={busy} disabled={!dirty}>
              {t('saveChanges')}
            </Button>
          </div>
        </form>
      </div>
      <Card title={t('info')} class="bot-info">
        <dl class="bot-facts">
          <dt>{t('uuid')}</dt>
          <dd>
            <code>{bot.uuid}</code>
          </dd>
          {bot.adapter_runtime_values?.bot_account_id ? (
            <>
              <dt>{t('accountId')}</dt>
              <dd>
                <code>{bot.adapter_runtime_values.bot_account_id}</code>
              </dd>
            </>
          ) : null}
          <dt>{t('createdAt')}</dt>
          <dd>{formatTime(bot.created_at)}</dd>
          <dt>{t('updatedAt')}</dt>
          <dd>{formatTime(bot.updated_at)}</dd>
        </dl>
      </Card>
    </div>
  );
}
