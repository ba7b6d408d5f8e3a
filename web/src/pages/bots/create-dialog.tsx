/** Creating a bot: choose a platform, then name it, fill in the platform's settings and pick its pipeline. */
import { useState } from 'preact/hooks';
import { DynamicForm, TextField, withDefaults } from '../../components/form';
import { Button, Dialog, ErrorNotice, toast } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { botsApi, pipelineRule, type Adapter, type Pipeline } from './api';
import { useBotsT } from './i18n';
import { AdapterIcon } from './parts';

/** Used by the pipelines' debug chat, not a platform a user connects. */
const INTERNAL_ADAPTERS = new Set(['debug-chat']);
const NO_PIPELINE = '__none__';

export function CreateBotDialog({ adapters, pipelines, onClose, onCreated }: { adapters: Adapter[]; pipelines: Pipeline[]; onClose: () => void; onCreated: (uuid: string) => void }) {
  const t = useBotsT();
  const l = useLocalized();
  const choices = adapters.filter((a) => !INTERNAL_ADAPTERS.has(a.name));
  const [step, setStep] = useState<1 | 2>(1);
  const [adapterName, setAdapterName] = useState(choices[0]?.name ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [config, setConfig] = useState<Record<string, unknown>>({});
  const [pipeline, setPipeline] = useState(pipelines.find((p) => p.is_default)?.uuid ?? '');
  const [enable, setEnable] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const adapter = choices.find((a) => a.name === adapterName);

  const toDetails = () => {
    if (!adapter) return;
    setConfig(withDefaults(adapter.config, {}));
    setError(null);
    setStep(2);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (step === 1) return toDetails();
    if (!adapter) return;
    setBusy(true);
    setError(null);
    try {
      const created = await botsApi.create({
        name: name.trim(),
        description,
        adapter: adapter.name,
        adapter_config: config,
        enable,
        event_handlers: pipeline === NO_PIPELINE ? [] : [pipelineRule(pipeline)],
      });
      toast.ok(t('created', { name: created.bot.name }));
      onCreated(created.uuid);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('createTitle')} open onClose={onClose} wide>
      <form class="stack" onSubmit={submit} aria-describedby="bot-create-step" data-testid="bot-create-form">
        <p id="bot-create-step" class="muted small">
          {t('stepOf', { step, total: 2 })} · {step === 1 ? t('choosePlatform') : adapter ? l(adapter.label) : ''}
        </p>
        {step === 1 ? (
          <fieldset class="adapter-choices">
            <legend>{t('choosePlatform')}</legend>
            <p class="hint">{t('choosePlatformHint')}</p>
            {choices.length === 0 ? <p>{t('noAdapters')}</p> : null}
            {choices.map((a) => (
              <label key={a.name} class={a.name === adapterName ? 'adapter-choice selected' : 'adapter-choice'}>
                <input type="radio" name="bot-adapter" value={a.name} checked={a.name === adapterName} onChange={() => setAdapterName(a.name)} />
                <AdapterIcon adapter={a} name={a.name} size={32} />
                <span class="adapter-choice-text">
                  <strong>{l(a.label)}</strong>
                  <span class="muted small">{l(a.description)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : adapter ? (
          <>
            <TextField id="bot-create-name" label={t('name')} value={name} onInput={setName} required />
            <div class="field">
              <label for="bot-create-description">{t('description')}</label>
              <textarea id="bot-create-description" rows={2} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
            </div>
            <fieldset class="field-group">
              <legend>{t('platformSettings', { platform: l(adapter.label) })}</legend>
              {Object.keys(adapter.config.properties ?? {}).length === 0 ? <p class="hint">{t('noSettings')}</p> : <DynamicForm form={adapter.config} value={config} onChange={setConfig} idPrefix="bot-create-cfg" />}
              {adapter.webhook ? <p class="hint">{t('webhookHint')}</p> : null}
            </fieldset>
            <div class="field">
              <label for="bot-create-pipeline">{t('pipeline')}</label>
              <select id="bot-create-pipeline" value={pipeline} aria-describedby="bot-create-pipeline-hint" onChange={(e) => setPipeline((e.target as HTMLSelectElement).value)}>
                {pipelines.length === 0 ? <option value="">{t('defaultPipeline')}</option> : null}
                {pipelines.map((p) => (
                  <option key={p.uuid} value={p.uuid}>
                    {p.emoji ? `${p.emoji} ` : ''}
                    {p.is_default ? t('defaultPipelineNamed', { name: p.name }) : p.name}
                  </option>
                ))}
                <option value={NO_PIPELINE}>{t('noPipelineRule')}</option>
              </select>
              <p class="hint" id="bot-create-pipeline-hint">
                {t('pipelineHint')}
              </p>
            </div>
            <div class="field field-inline">
              <input id="bot-create-enable" type="checkbox" role="switch" class="switch" checked={enable} onChange={(e) => setEnable((e.target as HTMLInputElement).checked)} />
              <label for="bot-create-enable">{t('startNow')}</label>
            </div>
          </>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
        <div class="form-actions">
          {step === 2 ? (
            <Button onClick={() => setStep(1)} class="back-btn">
              {t('back')}
            </Button>
          ) : null}
          {step === 1 ? (
            <Button type="submit" variant="primary" disabled={!adapter}>
              {t('next')}
            </Button>
          ) : (
            <Button type="submit" variant="primary" busy={busy}>
              {t('create')}
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
