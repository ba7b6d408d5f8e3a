/** `#/bots/:uuid`: one bot — its settings, its event rules and its recent events, one tab each (`?tab=` keeps it). */
import { ConfirmButton, Loaded, Tabs, toast } from '../../components/ui';
import { ApiError } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { href, navigate, usePath } from '../../lib/router';
import { botsApi, type Adapter, type Bot } from './api';
import { useBotsT } from './i18n';
import { LogsTab } from './logs-tab';
import { AdapterIcon, EnableSwitch, StatusBadge } from './parts';
import { RulesTab } from './rules-tab';
import { SettingsTab } from './settings-tab';
import './bots.css';

const TABS = ['settings', 'rules', 'logs'] as const;
type Tab = (typeof TABS)[number];

function tabOf(path: string): Tab {
  const wanted = new URLSearchParams(path.split('?')[1] ?? '').get('tab');
  return (TABS as readonly string[]).includes(wanted ?? '') ? (wanted as Tab) : 'settings';
}

export function BotDetailPage({ uuid }: { uuid: string }) {
  const t = useBotsT();
  const path = usePath();
  const tab = tabOf(path);
  const data = useResource(async () => {
    const [bot, adapters] = await Promise.all([botsApi.get(uuid), botsApi.adapters()]);
    return { bot, adapters };
  }, [uuid]);
  const notFound = data.error instanceof ApiError && data.error.status === 404;
  return (
    <>
      <p class="back-link">
        <a href={href('/bots')}>← {t('allBots')}</a>
      </p>
      {notFound ? (
        <div class="state empty">
          <p>{t('notFound')}</p>
        </div>
      ) : (
        <Loaded resource={data}>
          {({ bot, adapters }) => <BotView bot={bot} adapter={adapters.find((a) => a.name === bot.adapter)} tab={tab} reload={() => data.reload()} />}
        </Loaded>
      )}
    </>
  );
}

function BotView({ bot, adapter, tab, reload }: { bot: Bot; adapter?: Adapter; tab: Tab; reload: () => Promise<void> }) {
  const t = useBotsT();
  const l = useLocalized();
  const labels: Record<Tab, string> = { settings: t('tabSettings'), rules: t('tabRules'), logs: t('tabLogs') };
  return (
    <>
      <header class="page-header bot-header">
        <div class="row bot-header-title">
          <AdapterIcon adapter={adapter} name={bot.adapter} size={44} />
          <div>
            <h1>{bot.name}</h1>
            <p class="muted small">
              {adapter ? l(adapter.label) : t('unknownAdapter', { name: bot.adapter })} · <StatusBadge bot={bot} />
            </p>
          </div>
        </div>
        <div class="page-actions">
          <EnableSwitch id="bot-detail-enable" bot={bot} onChanged={() => void reload()} />
          <ConfirmButton
            label={t('delete')}
            question={t('deleteQuestion', { name: bot.name })}
            onConfirm={async () => {
              await botsApi.remove(bot.uuid);
              toast.ok(t('deleted', { name: bot.name }));
              navigate('/bots');
            }}
          />
        </div>
      </header>
      <Tabs label={t('tabsLabel')} tabs={TABS.map((id) => ({ id, label: labels[id] }))} active={tab} onChange={(id) => navigate(`/bots/${bot.uuid}?tab=${id}`, { replace: true })} />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`} class="bot-tabpanel">
        {tab === 'settings' ? <SettingsTab key={JSON.stringify([bot.name, bot.description, bot.adapter_config])} bot={bot} adapter={adapter} onSaved={reload} /> : null}
        {tab === 'rules' ? <RulesTab key={JSON.stringify(bot.event_handlers)} bot={bot} adapter={adapter} onSaved={reload} /> : null}
        {tab === 'logs' ? <LogsTab bot={bot} /> : null}
      </div>
    </>
  );
}
