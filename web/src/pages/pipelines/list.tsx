/** `#/pipelines`: every pipeline as a card (emoji, name, description, default badge) with its actions. */
import { useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Badge, Button, Card, ConfirmButton, Dialog, Empty, ErrorNotice, Loaded, PageHeader, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useResource } from '../../lib/resource';
import { href, navigate } from '../../lib/router';
import { useOpener } from '../models/opener';
import { usePipelinesT } from './i18n';
import { pipelinesApi, type Pipeline } from './types';
import './pipelines.css';

export function PipelineList() {
  const t = usePipelinesT();
  const pipelines = useResource(pipelinesApi.list, []);
  const [creating, setCreatingState] = useState(false);
  const opener = useOpener();
  const setCreating = (on: boolean) => {
    if (on) opener.remember();
    setCreatingState(on);
    if (!on) opener.restore();
  };

  /** Runs an action that answers the text to confirm it with. */
  const act = async (action: () => Promise<string>) => {
    try {
      toast.ok(await action());
      await pipelines.reload();
    } catch (error) {
      toast.error(error);
    }
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            + {t('create')}
          </Button>
        }
      />
      <Loaded resource={pipelines}>
        {(list) =>
          list.length === 0 ? (
            <Empty>
              <p>{t('empty')}</p>
              <Button variant="primary" onClick={() => setCreating(true)}>
                + {t('create')}
              </Button>
            </Empty>
          ) : (
            <ul class="grid pipelines-grid" aria-label={t('title')}>
              {list.map((p) => (
                <li key={p.uuid}>
                  <Card class="pipeline-card">
                    <div class="pipeline-card-head">
                      <span class="pipeline-emoji" aria-hidden="true">{p.emoji || '⚙️'}</span>
                      <div class="pipeline-card-title">
                        <h2>
                          <a href={href(`/pipelines/${p.uuid}`)}>{p.name}</a>
                        </h2>
                        {p.is_default ? (
                          <Badge tone="good" title={t('defaultHint')}>
                            {t('default')}
                          </Badge>
                        ) : null}
                      </div>
                    </div>
                    <p class={p.description ? 'pipeline-desc' : 'pipeline-desc muted'}>{p.description || t('noDescription')}</p>
                    <div class="row pipeline-card-actions">
                      <a class="btn btn-small btn-primary" href={href(`/pipelines/${p.uuid}`)} aria-label={t('openNamed', { name: p.name })}>
                        {t('open')}
                      </a>
                      <a class="btn btn-small" href={href(`/pipelines/${p.uuid}/chat`)} aria-label={t('chatNamed', { name: p.name })}>
                        {t('chat')}
                      </a>
                      <Button class="btn-small" variant="ghost" aria-label={t('copyNamed', { name: p.name })} onClick={() => act(async () => t('copied', { name: (await api.post<{ pipeline: Pipeline }>(`/api/v1/pipelines/${p.uuid}/copy`, {})).pipeline.name }))}>
                        {t('copy')}
                      </Button>
                      {!p.is_default ? (
                        <Button class="btn-small" variant="ghost" aria-label={t('setDefaultNamed', { name: p.name })} onClick={() => act(async () => (await api.put(`/api/v1/pipelines/${p.uuid}`, { is_default: true }), t('defaultSet', { name: p.name })))}>
                          {t('setDefault')}
                        </Button>
                      ) : null}
                      <ConfirmButton
                        class="btn-small"
                        label={t('delete')}
                        aria-label={t('deleteNamed', { name: p.name })}
                        question={t('deleteQuestion', { name: p.name })}
                        onConfirm={async () => {
                          await api.del(`/api/v1/pipelines/${p.uuid}`);
                          toast.ok(t('deleted'));
                          await pipelines.reload();
                        }}
                      />
                    </div>
                  </Card>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {creating ? <CreateDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const t = usePipelinesT();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [emoji, setEmoji] = useState('⚙️');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { uuid } = await api.post<{ uuid: string; pipeline: Pipeline }>('/api/v1/pipelines', { name: name.trim(), description, emoji: emoji.trim() || '⚙️' });
      toast.ok(t('created'));
      onClose();
      navigate(`/pipelines/${uuid}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('createTitle')}
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" type="submit" busy={busy} {...{ form: 'pipeline-create-form' }}>
            {t('create')}
          </Button>
        </>
      }
    >
      <form id="pipeline-create-form" class="form-grid" onSubmit={submit}>
        <BasicFields idPrefix="create" name={name} description={description} emoji={emoji} onName={setName} onDescription={setDescription} onEmoji={setEmoji} />
        {error ? <ErrorNotice error={error} /> : null}
      </form>
    </Dialog>
  );
}

/** Name, emoji and description: in the create dialog and on the Basics tab. */
export function BasicFields({ idPrefix, name, description, emoji, onName, onDescription, onEmoji }: { idPrefix: string; name: string; description: string; emoji: string; onName: (v: string) => void; onDescription: (v: string) => void; onEmoji: (v: string) => void }) {
  const t = usePipelinesT();
  return (
    <>
      <div class="pipeline-name-row">
        <div class="field pipeline-emoji-field">
          <label for={`${idPrefix}-emoji`}>{t('emoji')}</label>
          <input id={`${idPrefix}-emoji`} value={emoji} maxLength={10} aria-describedby={`${idPrefix}-emoji-hint`} onInput={(e) => onEmoji((e.target as HTMLInputElement).value)} />
          <p class="sr-only" id={`${idPrefix}-emoji-hint`}>{t('emojiHint')}</p>
        </div>
        <TextField id={`${idPrefix}-name`} label={t('name')} value={name} onInput={onName} required />
      </div>
      <div class="field">
        <label for={`${idPrefix}-description`}>{t('description')}</label>
        <textarea id={`${idPrefix}-description`} rows={3} maxLength={2048} value={description} onInput={(e) => onDescription((e.target as HTMLTextAreaElement).value)} />
      </div>
    </>
  );
}
