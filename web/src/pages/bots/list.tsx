/** `#/bots`: every bot as a card (platform, state, where its messages go, on/off), creating and deleting bots. */
import { useState } from 'preact/hooks';
import { Button, ConfirmButton, Empty, Loaded, PageHeader, toast } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { botsApi, type Adapter, type Bot, type Pipeline } from './api';
import { CreateBotDialog } from './create-dialog';
import { ruleFor } from './events';
import { useBotsT } from './i18n';
import { AdapterIcon, EnableSwitch, StatusBadge } from './parts';
import './bots.css';

export function BotsListPage() {
  const t = useBotsT();
  const [creating, setCreating] = useState(false);
  const data = useResource(async () => {
    const [bots, adapters, pipelines] = await Promise.all([botsApi.list(), botsApi.adapters(), botsApi.pipelines()]);
    return { bots, adapters, pipelines };
  }, []);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} disabled={!data.data}>
            + {t('newBot')}
          </Button>
        }
      />
      <Loaded resource={data}>
        {({ bots, adapters, pipelines }) => (
          <>
            {bots.length === 0 ? <Empty>{adapters.length === 0 ? t('noAdapters') : t('noBots')}</Empty> : null}
            <ul class="bot-cards" aria-label={t('title')}>
              {bots.map((bot) => (
                <BotCard key={bot.uuid} bot={bot} adapter={adapters.find((a) => a.name === bot.adapter)} pipelines={pipelines} onChanged={() => void data.reload()} />
              ))}
            </ul>
            {creating ? (
              <CreateBotDialog
                adapters={adapters}
                pipelines={pipelines}
                onClose={() => setCreating(false)}
                onCreated={() => {
                  setCreating(false);
                  void data.reload();
                }}
              />
            ) : null}
          </>
        )}
      </Loaded>
    </>
  );
}

function BotCard({ bot, adapter, pipelines, onChanged }: { bot: Bot; adapter?: Adapter; pipelines: Pipeline[]; onChanged: () => void }) {
  const t = useBotsT();
  const l = useLocalized();
  const headingId = `bot-${bot.uuid}-name`;
  return (
    <li class="card bot-card" aria-labelledby={headingId}>
      <div class="bot-card-head">
        <AdapterIcon adapter={adapter} name={bot.adapter} />
        <div class="bot-card-title">
          <h2 id={headingId}>
            <a href={href(`/bots/${bot.uuid}`)}>{bot.name}</a>
          </h2>
          <span class="muted small">{adapter ? l(adapter.label) : t('unknownAdapter', { name: bot.adapter })}</span>
        </div>
        <StatusBadge bot={bot} />
      </div>
      {bot.description ? <p class="bot-card-desc muted">{bot.description}</p> : null}
      {bot.status?.state === 'failed' && bot.status.last_error ? <p class="field-error small">{bot.status.last_error}</p> : null}
      <dl class="bot-facts">
        <dt>{t('handledBy')}</dt>
        <dd>{messageTarget(bot, pipelines, t)}</dd>
      </dl>
      <div class="spread bot-card-foot">
        <EnableSwitch id={`bot-enable-${bot.uuid}`} bot={bot} onChanged={onChanged} />
        <div class="row">
          <a class="btn btn-ghost btn-small" href={href(`/bots/${bot.uuid}`)} aria-label={`${t('open')}: ${bot.name}`}>
            {t('open')}
          </a>
          <ConfirmButton
            class="btn-small"
            label={t('delete')}
            aria-label={`${t('delete')}: ${bot.name}`}
            question={t('deleteQuestion', { name: bot.name })}
            onConfirm={async () => {
              await botsApi.remove(bot.uuid);
              toast.ok(t('deleted', { name: bot.name }));
              onChanged();
            }}
          />
        </div>
      </div>
    </li>
  );
}

/** Where the bot's incoming messages go, in words: a pipeline's name, another handler, or plugins by default. */
export function messageTarget(bot: Bot, pipelines: Pipeline[], t: ReturnType<typeof useBotsT>): string {
  const rule = ruleFor('message.received', bot.event_handlers);
  if (!rule) return t('pluginsFallback');
  if (rule.handler_type !== 'pipeline') return t('handlerNamed', { handler: rule.handler_type });
  const uuid = typeof rule.handler_config?.pipeline_uuid === 'string' ? rule.handler_config.pipeline_uuid : '';
  if (!uuid) {
    const fallback = pipelines.find((p) => p.is_default);
    return fallback ? t('defaultPipelineNamed', { name: fallback.name }) : t('defaultPipeline');
  }
  const pipeline = pipelines.find((p) => p.uuid === uuid);
  return pipeline ? `${pipeline.emoji ? `${pipeline.emoji} ` : ''}${pipeline.name}` : t('pipelineMissing', { uuid });
}
